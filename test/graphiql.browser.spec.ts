import { mkdir } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../src/server.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';

const SCREENSHOTS = 'test-results/screenshots';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** GraphiQL in Debian's Chromium on a host without internet: every request off loopback is refused. */
describe('GraphiQL offline in a real browser', () => {
  let t: TestApp;
  let server: RunningServer;
  let browser: Browser;
  let key: string;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    t = await startTestApp(DATABASE_TARGETS[0]!, { env: { GRAPHIQL: 'true', GRAPHQL_INTROSPECTION: 'true' } });
    server = await listen(t.app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    ({ key } = await t.workspace('GraphiQL'));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
    await t.app.database.close().catch(() => undefined);
  });

  it('loads from the server alone, fetches the schema without a key, and runs the first example with the pasted key', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const offLoopback: string[] = [];
    const refused: number[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
      offLoopback.push(url.href);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    const introspections: number[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) refused.push(response.status());
      if (response.request().method() === 'POST' && (response.request().postData() ?? '').includes('__schema')) introspections.push(response.status());
    });
    await page.goto(`${server.url}/graphql`, { waitUntil: 'load' });
    await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
    // The schema comes in without a key (only introspection is answered anonymously).
    await page.waitForFunction(() => document.querySelector('.graphiql-container') !== null, undefined, { timeout: 30_000 });
    for (let i = 0; i < 300 && introspections.length === 0; i += 1) await page.waitForTimeout(100);
    expect(introspections).toEqual([200]);
    // Saved examples open as tabs.
    expect(await page.locator('.graphiql-tab').count()).toBeGreaterThanOrEqual(5);
    expect((await page.locator('.graphiql-query-editor').innerText()).replace(/\u00a0/g, ' ')).toContain('query WhoAmI');

    // Paste the key as a person would: into the Headers editor.
    await page.getByText('Headers', { exact: true }).click();
    const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
    await headers.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${key}` }));
    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction(() => document.querySelector('.result-window')?.textContent?.includes('API_KEY'), undefined, { timeout: 30_000 });
    expect((await page.locator('.result-window').innerText()).replace(/\s+/g, ' ')).toContain('"name": "GraphiQL"');
    await page.screenshot({ path: `${SCREENSHOTS}/graphiql-offline.png`, fullPage: true });

    expect(offLoopback).toEqual([]);
    expect(refused).toEqual([]);
    await context.close();
  }, 120_000);

  it('answers only introspection without a key', async () => {
    const anonymous = await t.http('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ customers(first: 1) { edges { node { id } } } }' }),
    });
    expect(anonymous.status).toBe(401);
    const mixed = await t.http('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename viewer { kind } }' }) });
    expect(mixed.status).toBe(401);
    const schema = await t.http('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }) });
    expect(await schema.json()).toMatchObject({ data: { __schema: { queryType: { name: 'Query' } } } });
  });
});
