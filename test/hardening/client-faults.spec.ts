import { request as httpRequest } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../../src/server.js';
import { DATABASE_TARGETS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/harness.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** A deterministic pseudo-random sequence, so a failing fuzz case can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe.each(DATABASE_TARGETS)('client faults are 4xx, never 5xx, on $name', (target) => {
  let t: TestApp;
  let key: string;
  let server: RunningServer;
  const auth = () => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    t = await startTestApp(target, { env: { NODE_ENV: 'production', REQUEST_BODY_LIMIT_BYTES: '65536', RATE_LIMIT_CAPACITY: '1000000' } });
    ({ key } = await t.workspace());
    server = await listen(t.app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 2000 }, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await server.shutdown();
    await t.close();
  });

  const post = (body: string, headers: Record<string, string> = {}) => t.http('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...auth(), ...headers }, body });

  it('malformed JSON in POST and in GET parameters', async () => {
    for (const body of ['{', '{"query": 1}', '[]', '{"query":"{ viewer { apiKeyId } }","variables":"{"}', '{"query":"{ viewer { apiKeyId } }","variables":[1]}', 'null']) {
      const res = await post(body);
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
    }
    for (const search of ['query={viewer{apiKeyId}}&variables={', 'query={viewer{apiKeyId}}&variables=[1]', 'query={viewer{apiKeyId}}&extensions={', 'query={viewer{apiKeyId}}&variables=%FF']) {
      const res = await t.http(`/graphql?${search}`, { headers: { ...auth(), accept: 'application/json' } });
      expect(res.status, search).toBeGreaterThanOrEqual(400);
      expect(res.status, search).toBeLessThan(500);
    }
  });

  it('NUL characters and lone surrogates, in variables and in the query', async () => {
    const mutation = 'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { __typename } }';
    const cases = [
      JSON.stringify({ query: mutation, variables: { input: { firstName: 'Ann\u0000a' } } }),
      `{"query":${JSON.stringify(mutation)},"variables":{"input":{"firstName":"\\ud800x"}}}`,
      `{"query":${JSON.stringify(mutation)},"variables":{"input":{"attributes":{"k\\u0000":"v"}}}}`,
      JSON.stringify({ query: 'mutation { createCustomer(input: { firstName: "A\\u0000B" }) { __typename } }' }),
      JSON.stringify({ query: 'mutation { createCustomer(input: { firstName: "A\\udc00B" }) { __typename } }' }),
    ];
    for (const body of cases) {
      // The GraphQL-over-HTTP media type: parse and validation errors are 4xx there (legacy application/json keeps 200).
      const res = await post(body, { accept: 'application/graphql-response+json' });
      const json = (await res.json()) as { errors?: Array<{ message: string; extensions: { code: string } }> };
      expect(res.status, body).toBe(400);
      expect(json.errors?.[0]?.extensions.code, body).not.toBe('INTERNAL_SERVER_ERROR');
    }
    const count = await t.gql(key, '{ customers(first: 1) { edges { cursor } } }');
    expect(count.body.data.customers.edges).toEqual([]);
  });

  it('malformed global ids read as missing or invalid, never as a server error', async () => {
    const ids = ['', '!!!', 'Q3VzdG9tZXI6', b64('Customer:not-a-uuid'), b64('Customer:'), b64('Nope:1'), b64('Customer:00000000-0000-0000-0000-00000000000g'), b64('Survey:1;DROP'), 'x'.repeat(5000)];
    for (const id of ids) {
      const queries: Array<[string, Record<string, unknown>]> = [
        ['query ($id: ID!) { node(id: $id) { id } }', { id }],
        ['query ($id: ID!) { nodes(ids: [$id, $id]) { id } }', { id }],
        ['mutation ($id: ID!) { deleteCustomer(input: { id: $id }) { __typename ... on Error { code } } }', { id }],
        ['mutation ($id: ID!) { updateCustomer(input: { id: $id, firstName: "X" }) { __typename ... on Error { code } } }', { id }],
        [
          'mutation ($id: ID!) { createOrder(input: { customerId: $id, externalId: "o", orderedAt: "2026-01-01T00:00:00Z", amount: "1", currency: "EUR" }) { __typename ... on Error { code } } }',
          { id },
        ],
        ['query ($id: ID!) { invitations(first: 1, filter: { surveyId: $id, customerId: $id }) { edges { cursor } } }', { id }],
        ['query ($id: ID!) { surveyResponses(first: 1, filter: { surveyId: $id }) { edges { cursor } } }', { id }],
        ['query ($id: ID!) { pendingInvitations(customerId: $id) { id } }', { id }],
        ['query ($id: ID!) { followUps(first: 1, filter: { customerId: $id }) { edges { cursor } } }', { id }],
      ];
      for (const [query, variables] of queries) {
        const res = await t.gql(key, query, variables);
        expect(res.status, `${query} ${id}`).toBeLessThan(500);
        for (const error of res.body.errors ?? []) expect(error.extensions?.code, `${query} ${id}: ${error.message}`).not.toBe('INTERNAL_SERVER_ERROR');
      }
    }
  });

  it('a chunked body over the limit gets 413 while it streams', async () => {
    const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      const url = new URL(`${server.url}/graphql`);
      let sent = 0;
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...auth() } },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, sent });
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(16 * 1024, 'a');
      req.write('{"query":"');
      const pump = () => {
        // Keep writing until the server answers: it must not wait for the end of an endless body.
        if (sent > 4 * 1024 * 1024) return req.end('"}');
        sent += chunk.length;
        if (req.write(chunk)) setImmediate(pump);
        else req.once('drain', pump);
      };
      pump();
    });
    expect(status).toBe(413);
    expect(sent).toBeLessThan(4 * 1024 * 1024);
  });

  it('over HTTP, a declared body over the limit gets 413 unread, and a chunked body within it is answered like a declared one', async () => {
    const headers = { 'content-type': 'application/json', ...auth() };
    const big = await fetch(`${server.url}/graphql`, { method: 'POST', headers, body: `{"query":"{ viewer { apiKeyId } }"${' '.repeat(70_000)}}` });
    expect(big.status).toBe(413);
    await big.body?.cancel();
    const body = JSON.stringify({ query: '{ viewer { apiKeyId } }' });
    const declared = await fetch(`${server.url}/graphql`, { method: 'POST', headers, body });
    expect(declared.status).toBe(200);
    const declaredBody = (await declared.json()) as { data?: unknown };
    const chunked = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const url = new URL(`${server.url}/graphql`);
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      req.end(body.slice(10));
    });
    expect(chunked.status).toBe(200);
    expect(JSON.parse(chunked.text).data).toEqual(declaredBody.data);
    expect(declaredBody.data).toMatchObject({ viewer: { apiKeyId: expect.any(String) } });
  });

  it("extreme but well-formed values are refused as the client's fault", async () => {
    const created = await t.gql(key, 'mutation { createCustomer(input: { firstName: "Edge" }) { ... on CreateCustomerPayload { customer { id } } } }');
    const customerId = created.body.data.createCustomer.customer.id as string;
    const cases: Array<[string, Record<string, unknown>]> = [
      ['query ($n: Int) { customers(first: $n) { edges { cursor } } }', { n: -1 }],
      ['query ($n: Int) { customers(first: $n) { edges { cursor } } }', { n: 2147483647 }],
      ['query ($n: Int) { customers(first: $n) { edges { cursor } } }', { n: 1e20 }],
      ['query ($c: String) { customers(first: 1, after: $c) { edges { cursor } } }', { c: 'not-a-cursor' }],
      ['query ($c: String) { customers(first: 1, after: $c) { edges { cursor } } }', { c: b64('GPC:S:garbage') }],
      [
        'mutation ($c: ID!, $a: Decimal!) { createOrder(input: { customerId: $c, externalId: "x", orderedAt: "2026-01-01T00:00:00Z", amount: $a, currency: "EUR" }) { __typename ... on Error { code } } }',
        { c: customerId, a: 'abc' },
      ],
      [
        'mutation ($c: ID!, $a: Decimal!) { createOrder(input: { customerId: $c, externalId: "y", orderedAt: "2026-01-01T00:00:00Z", amount: $a, currency: "EUR" }) { __typename ... on Error { code } } }',
        { c: customerId, a: '1e999' },
      ],
      [
        'mutation ($c: ID!, $d: DateTime!) { createOrder(input: { customerId: $c, externalId: "z", orderedAt: $d, amount: "1", currency: "EUR" }) { __typename ... on Error { code } } }',
        { c: customerId, d: '99999-99-99' },
      ],
      ['mutation ($e: String) { createCustomer(input: { email: $e }) { __typename ... on Error { code } } }', { e: `${'a'.repeat(70_000)}@example.com` }],
      ['query ($f: CustomerFilter) { customers(first: 1, filter: $f) { edges { cursor } } }', { f: { search: '%_\\' } }],
      ['query ($p: DateRange!) { metrics(filter: { period: $p }) { nps { score } } }', { p: { from: '2026-02-30', to: '2026-01-01' } }],
      ['query ($p: DateRange!) { metrics(filter: { period: $p }) { nps { score } } }', { p: { from: '2026-03-01', to: '2026-01-01' } }],
      ['query ($p: DateRange!) { metrics(filter: { period: $p }) { nps { score } } }', { p: { from: '0001-01-01', to: '9999-12-31' } }],
    ];
    for (const [query, variables] of cases) {
      const res = await t.gql(key, query, variables);
      // Each case reaches execution: the document itself is valid.
      for (const error of res.body.errors ?? []) expect(error.extensions?.code, error.message).not.toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.status, `${query} ${JSON.stringify(variables).slice(0, 80)}`).toBeLessThan(500);
      for (const error of res.body.errors ?? []) expect(error.extensions?.code, `${query}: ${error.message}`).not.toBe('INTERNAL_SERVER_ERROR');
    }
  });

  it('a fuzzed flood of broken requests never gets a 5xx', async () => {
    const next = random(12345);
    const seeds = [
      '{ customers(first: 2, filter: { search: "a" }) { edges { node { id fullName orders(first: 1) { edges { node { id } } } } } } }',
      'mutation { createCustomer(input: { firstName: "A", email: "a@example.com" }) { __typename ... on Error { code message } } }',
      'query ($id: ID!) { node(id: $id) { id ... on Customer { email } } }',
      '{ metrics(filter: { period: { from: "2026-01-01", to: "2026-02-01" } }) { nps { score } } }',
    ];
    const alphabet = '{}()[]:$!@"\\\u0000\ud800 ,.#=abcxyz0123456789-';
    const failures: string[] = [];
    for (let i = 0; i < 1500; i += 1) {
      const chars = [...seeds[i % seeds.length]!];
      const edits = 1 + Math.floor(next() * 4);
      for (let e = 0; e < edits; e += 1) {
        const at = Math.floor(next() * chars.length);
        const char = alphabet[Math.floor(next() * alphabet.length)]!;
        if (next() < 0.5) chars[at] = char;
        else chars.splice(at, 0, char);
      }
      const query = chars.join('');
      const variables = next() < 0.5 ? { id: next() < 0.5 ? b64(`Customer:${query.slice(0, 10)}`) : query.slice(0, 8) } : undefined;
      const res = await post(JSON.stringify({ query, variables }));
      const body = await res.text();
      if (res.status >= 500 || body.includes('INTERNAL_SERVER_ERROR')) failures.push(`${res.status} ${query} ${body.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });
});
