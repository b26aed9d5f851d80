import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createWorkspaceWithAdminKey } from '../../src/core/workspaces/workspace.service.js';
import { APPLICATION_NAME } from '../../src/db/database.js';
import { listen, type RunningServer } from '../../src/server.js';
import { DATABASE_TARGETS } from '../support/databases.js';
import { bootApp } from '../support/harness.js';

const postgres = DATABASE_TARGETS.find((target) => target.name === 'postgres');

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The server's PostgreSQL connections are killed under it (as a restart or failover does): the
 * process keeps running, requests in the outage fail with the masked error, and everything, the
 * job queue included, serves again by itself.
 */
describe.runIf(postgres)('the server survives its database', () => {
  let database: Awaited<ReturnType<NonNullable<typeof postgres>['create']>>;
  let app: App;
  let server: RunningServer;
  let key: string;
  let admin: pg.Client;
  let dbName: string;

  const gql = async (query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
    return { status: res.status, body: (await res.json()) as { data?: Record<string, never>; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
  };
  const terminateAll = async () =>
    (await admin.query<{ n: number }>(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [dbName])).rows[0]!.n;

  beforeAll(async () => {
    database = await postgres!.create();
    if (database.settings.kind !== 'postgres') throw new Error('postgres expected');
    dbName = new URL(database.settings.url).pathname.slice(1);
    admin = new pg.Client({ connectionString: database.settings.url });
    await admin.connect();
    app = await bootApp(database.settings, { NODE_ENV: 'production', RATE_LIMIT_CAPACITY: '1000000' }, { jobs: true });
    server = await listen(app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 5000 }, pino({ level: 'silent' }));
    key = (await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Outage' })).adminKey.plaintext;
  });
  afterAll(async () => {
    await server?.shutdown();
    await admin?.end();
    await database?.drop();
  });

  it('keeps serving when every connection is terminated during requests', async () => {
    const [{ n: named }] = (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`, [dbName, APPLICATION_NAME])).rows as [
      { n: number },
    ];
    expect(named).toBeGreaterThan(0);
    const outcomes: number[] = [];
    let running = true;
    const load = (async () => {
      while (running) {
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            gql(`mutation ($e: String!) { createCustomer(input: { firstName: "Load", email: $e }) { __typename } }`, { e: `load-${Date.now()}-${i}-${Math.random()}@example.com` })
              .then((res) => {
                // A request that failed in the outage gets the masked error, never a stack or a hang.
                for (const error of res.body.errors ?? []) expect(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']).toContain(error.extensions?.code);
                for (const error of res.body.errors ?? []) expect(error.message).not.toMatch(/terminat|ECONN|postgres/i);
                return res.status;
              })
              .catch(() => 0),
          ),
        );
        outcomes.push(...results);
      }
    })();
    for (let round = 0; round < 4; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await terminateAll();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    running = false;
    await load;
    // The process is alive (this test runs in it) and serves again within seconds.
    const back = await waitFor('a successful request', async () => {
      const res = await gql('{ customers(first: 1) { edges { cursor } } }');
      return res.status === 200 && !res.body.errors ? res : undefined;
    });
    expect(back.body.data).toBeTruthy();
    expect(outcomes.filter((status) => status === 0)).toEqual([]);
    expect(outcomes.filter((status) => status === 200).length).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
  });

  it('reports not ready while the database is unreachable, and the job queue resumes by itself', async () => {
    // Keep killing every new connection for a while: readiness must say so.
    let killing = true;
    const killer = (async () => {
      while (killing) {
        await terminateAll();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const notReady = await waitFor('readiness 503', async () => ((await fetch(`${server.url}/health/ready`)).status === 503 ? true : undefined));
    expect(notReady).toBe(true);
    killing = false;
    await killer;
    await waitFor('readiness 200', async () => ((await fetch(`${server.url}/health/ready`)).status === 200 ? true : undefined));

    // The survey dispatcher runs on pg-boss: an invitation sent now goes out through the queue.
    const survey = await gql(`mutation { createSurvey(input: { name: "After", kind: NPS, channel: "link", reminderAfterHours: null }) { ... on CreateSurveyPayload { survey { id } } } }`);
    const surveyId = (survey.body.data as unknown as { createSurvey: { survey: { id: string } } }).createSurvey.survey.id;
    await gql(`mutation ($id: ID!) { updateSurvey(input: { id: $id, status: ACTIVE }) { __typename } }`, { id: surveyId });
    const customer = await gql(`mutation { createCustomer(input: { firstName: "After" }) { ... on CreateCustomerPayload { customer { id } } } }`);
    const customerId = (customer.body.data as unknown as { createCustomer: { customer: { id: string } } }).createCustomer.customer.id;
    await gql(`mutation ($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId, customerIds: [customerId] } });
    const status = await waitFor(
      'the invitation to be sent by the job queue',
      async () => {
        const res = await gql(`query ($c: ID!) { invitations(first: 1, filter: { customerId: $c }) { edges { node { status } } } }`, { c: customerId });
        const value = (res.body.data as unknown as { invitations: { edges: Array<{ node: { status: string } }> } }).invitations.edges[0]?.node.status;
        return value && value !== 'SCHEDULED' ? value : undefined;
      },
      60_000,
    );
    expect(status).not.toBe('FAILED');
  });
});
