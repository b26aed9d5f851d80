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

  it('totalCount counts every row the filter matches, on root lists and nested connections, and is priced as one count', async () => {
    const res = await t.gql(
      key,
      `{ all: customers(first: 2) { totalCount edges { node { id } } }
         filtered: customers(first: 1, filter: { search: "Name1" }) { totalCount }
         orders(first: 1) { totalCount }
         withOrders: customers(first: 5, filter: { externalIds: ["p0", "p1", "p2", "p3", "p4"] }) { edges { node { externalId orders(first: 1) { totalCount edges { node { id } } } } } } }`,
    );
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    const data = res.body.data as Loose;
    expect(data.all.totalCount).toBe(23);
    expect(data.all.edges).toHaveLength(2);
    // Last names cycle Name0, Name1, Name2: customers 1, 4, 7 ... 22 have Name1.
    expect(data.filtered.totalCount).toBe(8);
    expect(data.orders.totalCount).toBe(23);
    // Orders go to customers p0..p4 in turn: p0 and p1 and p2 have 5 each, p3 and p4 have 4.
    const perCustomer = Object.fromEntries(data.withOrders.edges.map((edge: Loose) => [edge.node.externalId, edge.node.orders.totalCount]));
    expect(perCustomer).toEqual({ p0: 5, p1: 5, p2: 5, p3: 4, p4: 4 });

    const plain = await t.gql(key, '{ customers(first: 10) { edges { node { id } } } }');
    const counted = await t.gql(key, '{ customers(first: 10) { totalCount edges { node { id } } } }');
    expect(counted.body.extensions.cost.requested - plain.body.extensions.cost.requested).toBe(10);
  });

  it('another workspace counts only its own rows', async () => {
    const other = await t.workspace();
    const res = await t.gql(other.key, '{ customers { totalCount } orders { totalCount } }');
    expect(res.body.data).toEqual({ customers: { totalCount: 0 }, orders: { totalCount: 0 } });
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
