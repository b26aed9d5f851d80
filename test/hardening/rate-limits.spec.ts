import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS } from '../support/databases.js';
import { bootApp, startTestApp, type TestApp } from '../support/harness.js';
import type { App } from '../../src/app.js';
import { createWorkspaceWithAdminKey } from '../../src/core/workspaces/workspace.service.js';

const REDIS_URL = process.env.TEST_REDIS_URL;
const PAGE_QUERY = '{ customers(first: 10) { edges { node { id } } } }'; // 2 + 10 = 12 points

describe.each(DATABASE_TARGETS)('per-key rate limits on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    // 60 points, restored at 1 point every 1000 s: the test sees the bucket drain, not refill.
    t = await startTestApp(target, { env: { RATE_LIMIT_CAPACITY: '60', RATE_LIMIT_REFILL_PER_SECOND: '0.001' } });
  });
  afterAll(() => t.close());

  it('charges each operation its cost, says so in headers and extensions, and answers 429 with Retry-After when the bucket is empty', async () => {
    const { key } = await t.workspace();
    const remaining: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await t.gql(key, PAGE_QUERY);
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-policy')).toBe('"cost";q=60;w=60000');
      expect(res.headers.get('ratelimit')).toMatch(/^"cost";r=\d+;t=\d+$/);
      remaining.push(res.body.extensions.cost.remaining);
    }
    expect(remaining).toEqual([48, 36, 24, 12, 0]);
    const refused = await t.gql(key, PAGE_QUERY);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit')).toMatch(/^"cost";r=0;/);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(refused.body.data).toBeUndefined();
  });

  it('keeps one bucket per key', async () => {
    const a = await t.workspace();
    const b = await t.workspace();
    for (let i = 0; i < 5; i += 1) await t.gql(a.key, PAGE_QUERY);
    expect((await t.gql(a.key, PAGE_QUERY)).status).toBe(429);
    expect((await t.gql(b.key, PAGE_QUERY)).status).toBe(200);
  });
});

const postgres = DATABASE_TARGETS.find((candidate) => candidate.name === 'postgres');

/** Two instances on one PostgreSQL database with one Redis: limits hold across them. */
describe.runIf(postgres && REDIS_URL)('rate limits shared through Redis', () => {
  let database: Awaited<ReturnType<NonNullable<typeof postgres>['create']>>;
  let one: App;
  let two: App;
  let key: string;
  const gql = (app: App) =>
    app.yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query: PAGE_QUERY }) });

  beforeAll(async () => {
    database = await postgres!.create();
    const env = { REDIS_URL: REDIS_URL!, RATE_LIMIT_CAPACITY: '36', RATE_LIMIT_REFILL_PER_SECOND: '0.001', PUBLIC_REQUESTS_PER_MINUTE: '4', REVIEW_PUSHES_PER_MINUTE: '3' };
    const start = () => bootApp(database.settings, env);
    one = await start();
    two = await start();
    key = (await createWorkspaceWithAdminKey(one.database.prisma, { name: 'Shared limits' })).adminKey.plaintext;
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await database?.drop();
  });

  it('draws on one bucket per key from every instance', async () => {
    const statuses = [];
    for (const app of [one, two, one, two]) statuses.push((await gql(app)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('counts survey-page requests per address across instances', async () => {
    const address = `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
    const statuses: number[] = [];
    for (const app of [one, two, one, two, one, two]) {
      const res = await app.fetch(new Request('http://localhost/s/unknown-token'), { req: { socket: { remoteAddress: address } } } as never);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([404, 404, 404, 404, 429, 429]);
  });

  it('counts review pushes per address on their own budget, apart from the pages', async () => {
    const address = `10.8.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
    const push = (app: App) =>
      app.fetch(new Request(`http://localhost/hooks/reviews/${randomUUID()}/not-the-secret`, { method: 'POST', body: '{}' }), { req: { socket: { remoteAddress: address } } } as never);
    const statuses: number[] = [];
    for (const app of [one, two, one, two]) statuses.push((await push(app)).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
    const page = await one.fetch(new Request('http://localhost/s/unknown-token'), { req: { socket: { remoteAddress: address } } } as never);
    expect(page.status).toBe(404);
  });
});
