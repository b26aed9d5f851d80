import { ApolloClient, gql as apolloGql, HttpLink, InMemoryCache, split } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient, type Client } from 'graphql-ws';
import possibleTypes from '../schemas/possible-types.json' with { type: 'json' };
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp, type App } from '../src/app.js';
import { loadConfigOrThrow } from '../src/config.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { listen, type RunningServer } from '../src/server.js';
import { DATABASE_TARGETS } from './support/databases.js';
import type { Loose } from './support/harness.js';

const silent = pino({ level: 'silent' });
const redisUrl = process.env.TEST_REDIS_URL;

/** A graphql-ws client as Apollo's GraphQLWsLink, urql and Relay set-ups create it. */
function client(server: RunningServer, connectionParams: Record<string, string>): Client & { closed: Promise<{ code: number; reason: string }> } {
  let closed!: (event: { code: number; reason: string }) => void;
  const promise = new Promise<{ code: number; reason: string }>((resolve) => (closed = resolve));
  const created = createClient({
    url: `${server.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    // A refused connection is asserted through `closed`; the client would otherwise print it.
    onNonLazyError: () => undefined,
    on: { closed: (event) => closed({ code: (event as { code: number }).code, reason: String((event as { reason: unknown }).reason) }) },
  });
  return Object.assign(created, { closed: promise });
}

/** The first `n` results of an operation, or its error. */
function take(c: Client, query: string, n: number): { results: Promise<Loose[]> } {
  const results: Loose[] = [];
  const promise = new Promise<Loose[]>((resolve, reject) => {
    const stop = c.subscribe(
      { query },
      {
        next: (value) => {
          results.push(value);
          if (results.length >= n) {
            stop();
            resolve(results);
          }
        },
        error: reject,
        complete: () => resolve(results),
      },
    );
  });
  return { results: promise };
}

async function gql(app: App, key: string, query: string, variables?: Record<string, unknown>) {
  const response = await app.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data: Loose; errors?: Loose[] };
}

/** Imports reviews until the subscriber has its event: the subscription opens asynchronously (bounded). */
async function importUntil(app: App, key: string, results: Promise<unknown>, externalId: string) {
  const source = (
    await gql(
      app,
      key,
      `mutation { connectReviewSource(input: { platformCode: "kiyoh", name: "WS ${externalId}", settings: { apiToken: "t", locationId: "1", apiBaseUrl: "http://127.0.0.1:9" } }) { ... on ConnectReviewSourcePayload { source { id } } } }`,
    )
  ).data.connectReviewSource.source.id;
  let done = false;
  void results.then(
    () => (done = true),
    () => (done = true),
  );
  for (let attempt = 0; attempt < 50 && !done; attempt += 1) {
    await gql(app, key, `mutation($s: ID!, $csv: String!) { importReviews(input: { sourceId: $s, csv: $csv }) { __typename } }`, {
      s: source,
      csv: `externalId,rating,publishedAt\n${externalId}-${attempt},4,2026-10-01T00:00:00Z\n`,
    });
    await app.events.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each(DATABASE_TARGETS)('subscriptions over graphql-ws on $name', (target) => {
  let database: Awaited<ReturnType<typeof target.create>>;
  let app: App;
  let server: RunningServer;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    database = await target.create();
    app = await createApp({ ...loadConfigOrThrow({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database: database.settings }, resolvePlugins({}), silent, { firstWorkspace: false, jobs: false });
    server = await listen(app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, silent);
    key = (await createWorkspaceWithAdminKey(app.database.prisma, { name: 'WS' })).adminKey.plaintext;
    otherKey = (await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Other' })).adminKey.plaintext;
  });
  afterAll(async () => {
    await server?.shutdown();
    await database?.drop();
  });

  it("delivers the workspace's events, and not another workspace's, with credentials in connection_init", async () => {
    const mine = client(server, { authorization: `Bearer ${key}` });
    const theirs = client(server, { Authorization: `Bearer ${otherKey}` });
    const own = take(mine, 'subscription { events(types: ["review.created"]) { type subjectId data } }', 1);
    const foreign = take(theirs, 'subscription { events(types: ["review.created"]) { type data } }', 1);
    await importUntil(app, key, own.results, 'ws');
    const [event] = await own.results;
    expect(event.errors).toBeUndefined();
    expect(event.data.events.type).toBe('review.created');
    expect(JSON.stringify(event.data.events.data)).toContain('ws-');
    const nothing = await Promise.race([foreign.results.then(() => 'leaked'), new Promise((resolve) => setTimeout(() => resolve('nothing'), 300))]);
    expect(nothing).toBe('nothing');
    await mine.dispose();
    await theirs.dispose();
  });

  it('an Apollo Client queries over HttpLink and receives an event over GraphQLWsLink (the README recipe)', async () => {
    const ws = client(server, { authorization: `Bearer ${key}` });
    const apollo = new ApolloClient({
      // The committed possibleTypes: without them Apollo drops the fields of "... on Error" fragments.
      cache: new InMemoryCache({ possibleTypes }),
      link: split(
        ({ query }) => {
          const definition = getMainDefinition(query);
          return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
        },
        new GraphQLWsLink(ws),
        new HttpLink({ uri: `${server.url}/graphql`, headers: { authorization: `Bearer ${key}` } }),
      ),
    });
    const viewer = await apollo.query<{ viewer: { kind: string } }>({ query: apolloGql`{ viewer { kind } }` });
    expect(viewer.data?.viewer.kind).toBe('API_KEY');
    const refused = await apollo.mutate<{ createCustomer: { __typename: string; code?: string; message?: string } }>({
      mutation: apolloGql`mutation { createCustomer(input: { email: "not-an-email", lastName: "X" }) { __typename ... on Error { code message } } }`,
    });
    expect(refused.data?.createCustomer).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_FAILED', message: expect.any(String) });
    const received = new Promise<Loose>((resolve, reject) => {
      const subscription = apollo.subscribe({ query: apolloGql`subscription { events(types: ["review.created"]) { type data } }` }).subscribe({
        next: (result) => {
          subscription.unsubscribe();
          resolve(result);
        },
        error: reject,
      });
    });
    await importUntil(app, key, received, 'apollo');
    const result = await received;
    expect(result.data.events.type).toBe('review.created');
    apollo.stop();
    await ws.dispose();
  });

  it('refuses a bad key at connection_init with 4401 and the reason', async () => {
    const refused = client(server, { authorization: 'Bearer cxk_nope' });
    const closed = await refused.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toContain('UNAUTHENTICATED');
    await refused.dispose();
  });

  it('applies scopes, limits and the error policy to each operation', async () => {
    const keyRes = await gql(app, key, `mutation { createApiKey(input: { name: "metrics only", scopes: ["metrics:read"] }) { ... on CreateApiKeyPayload { created { secret } } } }`);
    const narrow = client(server, { authorization: `Bearer ${keyRes.data.createApiKey.created.secret}` });
    const forbidden = await take(narrow, 'subscription { events { type } }', 1).results.catch((errors: Loose) => errors);
    expect(JSON.stringify(forbidden)).toContain('FORBIDDEN');
    const deep = await take(narrow, `{ viewer { ${'member { '.repeat(12)}id${' }'.repeat(12)} } }`, 1).results.catch((errors: Loose) => errors);
    expect(JSON.stringify(deep)).toMatch(/DEPTH_LIMIT_EXCEEDED|Cannot query field|not found/);
    const query = await take(narrow, '{ viewer { kind scopes } }', 1).results;
    expect(query[0].data.viewer).toEqual({ kind: 'API_KEY', scopes: ['metrics:read'] });
    await narrow.dispose();
  });
});

/** Two instances on one PostgreSQL database, live events shared through Redis (CI sets both). */
const postgres = DATABASE_TARGETS.find((target) => target.name === 'postgres');
describe.runIf(postgres && redisUrl)('graphql-ws across instances through Redis', () => {
  it('a subscriber on one instance receives an event relayed by the other', async () => {
    const database = await postgres!.create();
    const start = () =>
      createApp({ ...loadConfigOrThrow({ NODE_ENV: 'test', LOG_LEVEL: 'silent', REDIS_URL: redisUrl }), database: database.settings }, resolvePlugins({}), silent, {
        firstWorkspace: false,
        jobs: false,
      });
    const first = await start();
    const second = await start();
    const server = await listen(second, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, silent);
    try {
      const key = (await createWorkspaceWithAdminKey(first.database.prisma, { name: 'Redis WS' })).adminKey.plaintext;
      const c = client(server, { authorization: `Bearer ${key}` });
      const sub = take(c, 'subscription { events(types: ["review.created"]) { type data } }', 1);
      await importUntil(first, key, sub.results, 'redis-ws');
      const [event] = await sub.results;
      expect(event.data.events.type).toBe('review.created');
      await c.dispose();
    } finally {
      await server.shutdown();
      await first.close();
      await database.drop();
    }
  });
});
