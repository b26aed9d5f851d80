import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';

/**
 * Keyset pagination through the API: walking a list page by page, forwards and backwards, with
 * many ties in the sort column, gives every row exactly once and in the order of the full list.
 */
describe.each(DATABASE_TARGETS)('pagination on $name', (target) => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp(target);
    ({ key } = await t.workspace());
    const customers = Array.from({ length: 23 }, (_, i) => ({ externalId: `p${i}`, firstName: `P${i}`, lastName: `Name${i % 3}` }));
    const orders = Array.from({ length: 23 }, (_, i) => ({ externalId: `o${i}`, customerExternalId: `p${i % 5}`, amount: '10', currency: 'EUR', orderedAt: `2026-0${1 + (i % 3)}-01T00:00:00Z` }));
    const res = await t.gql(key, 'mutation ($input: ImportCommerceDataInput!) { importCommerceData(input: $input) { __typename ... on Error { message } } }', { input: { customers, orders } });
    expect(res.body.data.importCommerceData.__typename, JSON.stringify(res.body)).toBe('ImportCommerceDataPayload');
  });
  afterAll(() => t.close());

  async function walk(field: string, args: string, backwards: boolean): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 50; guard += 1) {
      const page = backwards ? `last: 4${cursor ? `, before: "${cursor}"` : ''}` : `first: 4${cursor ? `, after: "${cursor}"` : ''}`;
      const res = await t.gql(key, `{ ${field}(${page}${args}) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`);
      expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
      const connection = res.body.data[field] as Loose;
      const pageIds = connection.edges.map((edge: Loose) => edge.node.id as string);
      if (backwards) ids.unshift(...pageIds);
      else ids.push(...pageIds);
      const more = backwards ? connection.pageInfo.hasPreviousPage : connection.pageInfo.hasNextPage;
      if (!more) break;
      cursor = backwards ? connection.pageInfo.startCursor : connection.pageInfo.endCursor;
    }
    return ids;
  }

  it.each([
    ['customers', ', orderBy: { field: LAST_NAME, direction: ASC }'],
    ['customers', ', orderBy: { field: LAST_NAME, direction: DESC }'],
    ['customers', ''],
    ['orders', ''],
  ])('%s%s: forwards and backwards give the full list once, in order', async (field, args) => {
    const full = await t.gql(key, `{ ${field}(first: 100${args}) { edges { node { id } } } }`);
    const expected = (full.body.data[field] as Loose).edges.map((edge: Loose) => edge.node.id as string);
    expect(expected.length).toBe(23);
    expect(await walk(field, args, false)).toEqual(expected);
    expect(await walk(field, args, true)).toEqual(expected);
  });

  it('a cursor from another workspace gives an empty page, like a missing one', async () => {
    const page = await t.gql(key, '{ customers(first: 2) { pageInfo { endCursor } } }');
    const cursor = page.body.data.customers.pageInfo.endCursor as string;
    const other = await t.workspace();
    const res = await t.gql(other.key, `{ customers(first: 5, after: "${cursor}") { edges { node { id } } } }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.customers.edges).toEqual([]);
  });
});
