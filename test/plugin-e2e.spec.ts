import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createRegistryOrThrow } from '../src/core/plugin-sdk/registry.js';
import { syncContributions } from '../src/core/plugin-sdk/sync-contributions.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { listen } from '../src/server.js';
import { createEchoPlugin } from './fixtures/echo-plugin.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';

describe.each(DATABASE_TARGETS)('a plugin end to end on $name', (target) => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp(target, { plugins: resolvePlugins({ plugins: [createEchoPlugin()] }), env: { REQUEST_BODY_LIMIT_BYTES: '2048' } });
    ({ key } = await t.workspace());
  });
  afterAll(() => t?.close());

  it('serves the fields the plugin registered, with its options applied', async () => {
    const res = await t.gql(key, '{ echoGreeting(name: "Eva") }');
    expect(res.body.data).toEqual({ echoGreeting: 'hello, Eva' });
  });

  it('records contributions, and disables (not deletes) them when the plugin is removed', async () => {
    const listed = await t.gql(key, '{ pluginContributions { kind code pluginName enabled } }');
    expect(listed.body.data.pluginContributions).toEqual(
      expect.arrayContaining([
        { kind: 'SURVEY_CHANNEL', code: 'echo', pluginName: 'echo-plugin', enabled: true },
        { kind: 'SEGMENTATION_MODEL', code: 'echo-country', pluginName: 'echo-plugin', enabled: true },
        { kind: 'SURVEY_CHANNEL', code: 'link', pluginName: 'link-channel', enabled: true },
      ]),
    );
    await syncContributions(t.app.database.prisma, createRegistryOrThrow(resolvePlugins({})));
    const after = await t.gql(key, '{ pluginContributions { code enabled disabledAt } }');
    expect(after.body.data.pluginContributions).toEqual(
      expect.arrayContaining([
        { code: 'echo', enabled: false, disabledAt: expect.any(String) },
        { code: 'link', enabled: true, disabledAt: null },
      ]),
    );
    await syncContributions(t.app.database.prisma, t.app.registry);
  });

  it('masks unexpected errors: a request id for the client, the details only in the log', async () => {
    const res = await t.gql(key, '{ echoFailure }');
    const error = res.body.errors?.[0];
    expect(error?.message).toBe('Unexpected error.');
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(error?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: res.headers.get('x-request-id') });
  });

  it('refuses bodies over the limit with 413', async () => {
    const response = await t.http('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: `{ echoGreeting(name: "${'x'.repeat(4000)}") }` }),
    });
    expect(response.status).toBe(413);
  });

  it('answers liveness and readiness', async () => {
    expect((await t.app.yoga.fetch('http://localhost/health/live')).status).toBe(200);
    expect((await t.app.yoga.fetch('http://localhost/health/ready')).status).toBe(200);
  });
});

describe('server shutdown', () => {
  it('lets an in-flight request finish before closing the database', async () => {
    const t = await startTestApp(DATABASE_TARGETS[0]!, { plugins: resolvePlugins({ plugins: [createEchoPlugin()] }) });
    const { key } = await t.workspace();
    const running = await listen(t.app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 5000 }, pino({ level: 'silent' }));
    const slow = fetch(`${running.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ echoSlow(ms: 400) }' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = running.shutdown();
    const response = await slow;
    expect(((await response.json()) as { data: unknown }).data).toEqual({ echoSlow: 400 });
    await stopped;
    await expect(fetch(`${running.url}/health/live`)).rejects.toThrow();
    await expect(t.app.database.ping()).rejects.toThrow();
  });
});
