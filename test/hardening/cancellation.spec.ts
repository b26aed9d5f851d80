import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePlugins } from '../../src/plugins/plugin-config.js';
import { listen, type RunningServer } from '../../src/server.js';
import { createEchoPlugin } from '../fixtures/echo-plugin.js';
import { DATABASE_TARGETS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/harness.js';

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(DATABASE_TARGETS)('a client that goes away on $name', (target) => {
  let t: TestApp;
  let server: RunningServer;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp(target, { plugins: resolvePlugins({ plugins: [createEchoPlugin()] }) });
    ({ key } = await t.workspace());
    server = await listen(t.app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 2000 }, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await server.shutdown();
    await t.close();
  });

  it('stops the execution: later mutation fields never run, and no transaction stays open', async () => {
    const controller = new AbortController();
    // Mutation fields run one after another: the customer is created only if execution goes on after the first.
    const request = fetch(`${server.url}/graphql`, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: 'mutation { first: echoSlowWrite(ms: 600) then: createCustomer(input: { externalId: "after-abort" }) { __typename } }' }),
    }).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 150));
    controller.abort();
    expect(await request).toBeInstanceOf(Error);
    // Long enough for the slow field to finish and, without cancellation, the next one to run.
    let created = false;
    const deadline = Date.now() + 2_000;
    while (Date.now() < deadline && !created) {
      const res = await t.gql(key, '{ customerByExternalId(externalId: "after-abort") { id } }');
      created = Boolean(res.body.data?.customerByExternalId);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(created).toBe(false);
    if (target.name === 'postgres' && t.app.database.kind === 'postgres') {
      const [{ db }] = (await t.app.database.sql.session((conn) => conn.query<{ db: string }>('SELECT current_database() AS db'))) as [{ db: string }];
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      try {
        await waitFor(
          async () => (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in transaction%'`, [db])).rows[0]!.n === 0,
        );
      } finally {
        await admin.end();
      }
    }
  });
});
