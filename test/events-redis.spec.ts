import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createApp, type App } from '../src/app.js';
import { loadConfigOrThrow } from '../src/config.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { DATABASE_TARGETS } from './support/databases.js';
import type { Loose } from './support/harness.js';

const postgres = DATABASE_TARGETS.find((target) => target.name === 'postgres');
const redisUrl = process.env.TEST_REDIS_URL;

/** Two server instances on one PostgreSQL database, sharing live events through Redis (CI sets both). */
describe.runIf(postgres && redisUrl)('GraphQL subscriptions across instances through Redis', () => {
  let database: Awaited<ReturnType<NonNullable<typeof postgres>['create']>>;
  let first: App;
  let second: App;
  let key: string;

  const gql = async (app: App, query: string, variables?: Record<string, unknown>) => {
    const response = await app.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data: Loose };
  };

  beforeAll(async () => {
    database = await postgres!.create();
    const start = async () =>
      createApp({ ...loadConfigOrThrow({ NODE_ENV: 'test', LOG_LEVEL: 'silent', REDIS_URL: redisUrl }), database: database.settings }, resolvePlugins({}), pino({ level: 'silent' }), {
        firstWorkspace: false,
        jobs: false,
      });
    first = await start();
    second = await start();
    key = (await createWorkspaceWithAdminKey(first.database.prisma, { name: 'Redis' })).adminKey.plaintext;
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });

  it('delivers an event relayed by one instance to a subscriber on the other', async () => {
    const response = await second.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: 'subscription { events { type data } }' }),
    });
    const reader = response.body!.getReader();
    const pending = reader.read();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const secret = `whsec_${Buffer.from('redis-spec-secret-of-32-bytes!!!').toString('base64')}`;
    const source = await gql(
      first,
      `mutation { connectReviewSource(input: { platformCode: "generic", name: "Redis", settings: { secrets: ["${secret}"] } }) { ... on ConnectReviewSourcePayload { source { id } } } }`,
    );
    await gql(first, `mutation($s: ID!) { importReviews(input: { sourceId: $s, csv: "externalId,rating,publishedAt\\nredis-1,4,2026-10-01T00:00:00Z\\n" }) { __typename } }`, {
      s: source.data.connectReviewSource.source.id,
    });
    await first.events.runOnce();
    const decoder = new TextDecoder();
    let text = decoder.decode((await pending).value);
    const deadline = Date.now() + 10_000;
    while (!text.includes('redis-1') && Date.now() < deadline) text += decoder.decode((await reader.read()).value);
    expect(text).toContain('"review.created"');
    expect(text).toContain('redis-1');
    await reader.cancel();
  });
});
