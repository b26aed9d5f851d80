import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/harness.js';

/** A valid query `depth` fields deep: orders → customer → orders → customer ... */
function deepQuery(depth: number): string {
  const fields: string[] = ['orders(first: 1)', 'edges', 'node'];
  while (fields.length < depth) fields.push(...(fields.at(-1) === 'customer' ? ['orders(first: 1)', 'edges', 'node'] : ['customer']).slice(0, depth - fields.length));
  return `{ ${fields.map((field) => `${field} {`).join(' ')} id ${'}'.repeat(fields.length)} }`;
}

describe.each(DATABASE_TARGETS)('operation limits on $name', (target) => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp(target);
    ({ key } = await t.workspace());
    // Warm the key: it is cached from here on (and its lastUsedAt is written once a minute).
    await t.gql(key, '{ viewer { apiKeyId } }');
  });
  afterAll(() => t.close());

  /** Statements the request sent (the warmed key is served from the key cache). */
  async function statementsFor(run: () => Promise<unknown>): Promise<number> {
    const before = t.app.database.statementCount();
    await run();
    return t.app.database.statementCount() - before;
  }

  it('refuses a depth-20 query before any resolver or SQL runs', async () => {
    const query = deepQuery(20);
    let res!: Awaited<ReturnType<TestApp['gql']>>;
    expect(await statementsFor(async () => (res = await t.gql(key, query)))).toBe(0);
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0]?.extensions?.code).toBe('DEPTH_LIMIT_EXCEEDED');
    expect(res.body.errors?.[0]?.message).toMatch(/depth limit of 10/);
  });

  it('refuses 100 aliases with no SQL', async () => {
    const query = `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: viewer { apiKeyId }`).join(' ')} }`;
    let res!: Awaited<ReturnType<TestApp['gql']>>;
    expect(await statementsFor(async () => (res = await t.gql(key, query)))).toBe(0);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('ALIAS_LIMIT_EXCEEDED');
    expect(res.body.errors?.[0]?.message).toMatch(/15/);
  });

  it('prices page sizes passed as variables and refuses an operation over the maximum with no SQL', async () => {
    const query = 'query ($n: Int, $m: Int) { customers(first: $n) { edges { node { id orders(first: $m) { edges { node { id touchpoints(first: $m) { edges { node { id } } } } } } } } } }';
    let res!: Awaited<ReturnType<TestApp['gql']>>;
    expect(await statementsFor(async () => (res = await t.gql(key, query, { n: 100, m: 100 })))).toBe(0);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    expect(res.body.errors?.[0]?.message).toMatch(/maximum of 2500/);
    const cheap = await t.gql(key, query, { n: 5, m: 2 });
    expect(cheap.body.errors).toBeUndefined();
    // 2 + 5 x (1 + 2 + 2 x (1 + 2 + 2 x 1))
    expect(cheap.body.extensions).toMatchObject({ cost: { requested: 67, limit: 2500 } });
    expect(cheap.body.extensions.cost.remaining).toBeLessThan(100_000_000);
  });

  it('refuses too many directives, too many tokens, an over-long query and over-large variables', async () => {
    const directives = await t.gql(key, `{ viewer { apiKeyId ${'@include(if: true) '.repeat(60)} } }`);
    expect(directives.body.errors?.[0]?.extensions?.code).toBe('DIRECTIVE_LIMIT_EXCEEDED');
    const tokens = await t.gql(key, `{ viewer { ${'a '.repeat(3500)} } }`);
    expect(tokens.body.errors?.[0]?.extensions?.code).toBe('TOKEN_LIMIT_EXCEEDED');
    const long = await t.gql(key, `{ viewer { apiKeyId } } ${'#'.repeat(25_000)}`);
    expect(long.status).toBe(413);
    expect(long.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_LONG');
  });

  it('refuses variables over the configured size', async () => {
    const small = await startTestApp(target, { env: { GRAPHQL_MAX_VARIABLES_BYTES: '2048' } });
    try {
      const { key: smallKey } = await small.workspace();
      const res = await small.gql(smallKey, 'query ($x: String) { viewer { apiKeyId } }', { x: 'y'.repeat(5000) });
      expect(res.status).toBe(413);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('VARIABLES_TOO_LARGE');
    } finally {
      await small.close();
    }
  });

  it('runs the database with a statement timeout', async () => {
    if (target.name !== 'postgres') return;
    const timed = await startTestApp(target, { env: { DATABASE_STATEMENT_TIMEOUT_MS: '200' } });
    try {
      const [row] = await timed.app.database.sql.session((conn) => conn.query<{ statement_timeout: string }>('SHOW statement_timeout'));
      expect(row?.statement_timeout).toBe('200ms');
      await expect(timed.app.database.sql.session((conn) => conn.query('SELECT pg_sleep(5)'))).rejects.toThrow(/statement timeout/);
    } finally {
      await timed.close();
    }
  });
});

describe('the depth query used above', () => {
  it('is valid apart from its depth', async () => {
    const { DATABASE_TARGETS: targets } = await import('../support/databases.js');
    const t = await startTestApp(targets[0]!, { env: { GRAPHQL_MAX_DEPTH: '30' } });
    try {
      const { key } = await t.workspace();
      const res = await t.gql(key, deepQuery(20));
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toEqual({ orders: { edges: [] } });
    } finally {
      await t.close();
    }
  });
});
