import { mkdir } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../src/server.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { surveyApi } from './support/survey-helpers.js';

const SCREENSHOTS = 'test-results/screenshots';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A whole NPS + open question survey answered in Debian's Chromium, on a phone-sized and a
 * desktop-sized viewport, against the server listening on loopback.
 */
describe('survey page in a real browser', () => {
  let t: TestApp;
  let server: RunningServer;
  let browser: Browser;
  let api: ReturnType<typeof surveyApi>;
  let survey: { id: string };

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    t = await startTestApp(DATABASE_TARGETS[0]!, { env: { PUBLIC_URL: 'http://127.0.0.1' } });
    server = await listen(t.app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    api = surveyApi(t, (await t.workspace('Browser')).key);
    survey = await api.survey({
      name: 'Browser',
      kind: 'NPS',
      texts: [{ locale: 'nl', title: 'Uw bestelling', reason: 'U bestelde onlangs bij {company}.', whyWeAsk: 'Zo worden wij beter.', duration: 'Het duurt 1 minuut.' }],
      questions: [
        { type: 'NPS', required: true, texts: [{ locale: 'nl', text: 'Hoe waarschijnlijk is het dat u ons aanbeveelt?', lowLabel: 'Zeer onwaarschijnlijk', highLabel: 'Zeer waarschijnlijk' }] },
        { type: 'OPEN_TEXT', texts: [{ locale: 'nl', text: 'Wat is de belangrijkste reden voor uw score?' }] },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
    await t.app.database.close().catch(() => undefined);
  });

  async function invitationPath(firstName: string) {
    const customerId = await api.customer({ firstName, locale: 'nl' });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customerId], channel: 'link' } });
    await t.app.dispatcher.dispatchDue();
    const [invitation] = await api.invitations({ customerId });
    return { customerId, url: `${server.url}${new URL(invitation.url).pathname}` };
  }

  it('is answered on a phone with taps: one tap per score, progress shown', async () => {
    const { customerId, url } = await invitationPath('Telefoon');
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'nl-NL' });
    const page = await context.newPage();
    await page.goto(url);
    await expect.poll(() => page.locator('legend').textContent()).toBe('Hoe waarschijnlijk is het dat u ons aanbeveelt?');
    expect(await page.locator('#progress-label').textContent()).toBe('Vraag 1 van 2');
    // Nothing overflows the phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // 0-10 on one row from 320 to 430 px wide, with "very likely" under the 10.
    for (const width of [320, 390, 430]) {
      await page.setViewportSize({ width, height: 844 });
      const layout = await page.evaluate(() => {
        const labels = [...document.querySelectorAll('.scale label')].map((label) => label.getBoundingClientRect());
        const ends = document.querySelector('.ends span:last-child')!.getBoundingClientRect();
        return {
          tops: new Set(labels.map((box) => Math.round(box.top))).size,
          lastRight: labels.at(-1)!.right,
          endRight: ends.right,
          narrowest: Math.min(...labels.map((box) => box.width)),
          scrollWidth: document.documentElement.scrollWidth,
        };
      });
      expect(layout.tops, `rows at ${width} px`).toBe(1);
      expect(Math.abs(layout.lastRight - layout.endRight), `label under 10 at ${width} px`).toBeLessThan(2);
      expect(layout.narrowest).toBeGreaterThanOrEqual(20);
      expect(layout.scrollWidth).toBeLessThanOrEqual(width);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SCREENSHOTS}/phone-1-nps.png`, fullPage: true });
    await page.locator('label', { hasText: /^9$/ }).tap();
    await page.waitForURL(/\?q=1$/);
    expect(await page.locator('#progress-label').textContent()).toBe('Vraag 2 van 2');
    await page.getByRole('textbox').fill('Snelle levering en vriendelijke hulp');
    await page.screenshot({ path: `${SCREENSHOTS}/phone-2-open.png`, fullPage: true });
    await page.getByRole('button', { name: 'Versturen' }).tap();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Hartelijk dank');
    await page.screenshot({ path: `${SCREENSHOTS}/phone-3-thanks.png`, fullPage: true });
    await context.close();

    const res = await api.ok(`query($f: SurveyResponseFilter) { surveyResponses(first: 1, filter: $f) { edges { node { completed source answers { score text } } } } }`, { f: { customerId } });
    expect(res.surveyResponses.edges[0].node).toEqual({
      completed: true,
      source: 'PAGE',
      answers: [
        { score: 9, text: null },
        { score: null, text: 'Snelle levering en vriendelijke hulp' },
      ],
    });
  }, 60_000);

  it('is answered on a desktop with the keyboard only', async () => {
    const { customerId, url } = await invitationPath('Toetsenbord');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL' });
    const page = await context.newPage();
    await page.goto(url);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('0');
    for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
    // Arrow keys choose without submitting; the button confirms.
    expect(page.url()).toBe(url);
    expect(await page.locator('input[name=score]:checked').getAttribute('value')).toBe('7');
    await page.screenshot({ path: `${SCREENSHOTS}/desktop-1-nps.png` });
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Volgende');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?q=1$/);
    await page.getByRole('textbox').focus();
    await page.keyboard.type('Prima');
    await page.screenshot({ path: `${SCREENSHOTS}/desktop-2-open.png` });
    await page.getByRole('button', { name: 'Versturen' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/desktop-3-thanks.png` });
    await context.close();

    const res = await api.ok(`query($f: SurveyResponseFilter) { surveyResponses(first: 1, filter: $f) { edges { node { completed answers { score text } } } } }`, { f: { customerId } });
    expect(res.surveyResponses.edges[0].node).toEqual({
      completed: true,
      answers: [
        { score: 7, text: null },
        { score: null, text: 'Prima' },
      ],
    });
  }, 60_000);

  it('keeps what was answered: Enter on an optional question saves it, every ticked choice is stored', async () => {
    const optional = await api.survey({
      name: 'Optional',
      kind: 'CSAT',
      questions: [
        { type: 'CSAT', required: false, texts: [{ locale: 'nl', text: 'Hoe tevreden bent u?', lowLabel: 'Ontevreden', highLabel: 'Tevreden' }] },
        {
          type: 'MULTIPLE_CHOICE',
          required: false,
          texts: [{ locale: 'nl', text: 'Wat viel op?' }],
          options: [
            { value: 'speed', labels: [{ locale: 'nl', text: 'Snelheid' }] },
            { value: 'price', labels: [{ locale: 'nl', text: 'Prijs' }] },
            { value: 'service', labels: [{ locale: 'nl', text: 'Service' }] },
          ],
        },
      ],
    });
    const customerId = await api.customer({ firstName: 'Enter', locale: 'nl' });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: optional.id, customerIds: [customerId], channel: 'link' } });
    await t.app.dispatcher.dispatchDue();
    const [invitation] = await api.invitations({ customerId });
    const url = `${server.url}${new URL(invitation.url).pathname}`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL' });
    const page = await context.newPage();
    await page.goto(url);
    await page.keyboard.press('Tab');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    expect(await page.locator('input[name=score]:checked').getAttribute('value')).toBe('4');
    // Enter submits with the default action (next), not with the first visible button (skip).
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?q=1$/);
    await page.getByLabel('Snelheid').check();
    await page.getByLabel('Service').check();
    await page.getByRole('button', { name: 'Versturen' }).click();
    await page.getByRole('status').waitFor();
    await context.close();

    const res = await api.ok(`query($f: SurveyResponseFilter) { surveyResponses(first: 1, filter: $f) { edges { node { completed answers { score choices skipped } } } } }`, { f: { customerId } });
    expect(res.surveyResponses.edges[0].node).toEqual({
      completed: true,
      answers: [
        { score: 4, choices: [], skipped: false },
        { score: null, choices: ['service', 'speed'], skipped: false },
      ],
    });
  }, 60_000);
});
