import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/harness.js';

const CREATE = `mutation($input: CreateCustomerInput!) {
  createCustomer(input: $input) {
    __typename
    ... on CreateCustomerPayload { customer { id fullName salutation infix email locale country attributes devices customerSince } }
    ... on ValidationError { issues { path message } }
    ... on ConflictError { field }
  }
}`;

describe.each(DATABASE_TARGETS)('customers on $name', (target) => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp(target);
    ({ key } = await t.workspace());
  });
  afterAll(() => t?.close());

  it('creates a customer with name parts, attributes and consent', async () => {
    const res = await t.gql(key, CREATE, {
      input: {
        externalId: 'crm-1',
        firstName: 'Jan',
        infix: 'van der',
        lastName: 'Berg',
        salutation: 'MR',
        email: 'jan@example.nl',
        locale: 'nl-NL',
        country: 'NL',
        devices: ['ios'],
        attributes: { tier: 'gold' },
      },
    });
    const customer = res.body.data.createCustomer.customer;
    expect(customer).toMatchObject({ fullName: 'Jan van der Berg', salutation: 'MR', infix: 'van der', locale: 'nl-NL', attributes: { tier: 'gold' }, devices: ['ios'] });
  });

  it('rejects bad input with a typed error naming each field, and writes nothing', async () => {
    const before = await t.gql(key, '{ customers(first: 100) { edges { node { id } } } }');
    const res = await t.gql(key, CREATE, { input: { email: 'not-an-email', country: 'Netherlands', locale: 'dutch' } });
    expect(res.body.data.createCustomer.__typename).toBe('ValidationError');
    const paths = res.body.data.createCustomer.issues.map((issue: { path: string[] }) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['input.email', 'input.country', 'input.locale']));
    const after = await t.gql(key, '{ customers(first: 100) { edges { node { id } } } }');
    expect(after.body.data.customers.edges).toHaveLength(before.body.data.customers.edges.length);
  });

  it('refuses a second customer with the same external id', async () => {
    const res = await t.gql(key, CREATE, { input: { externalId: 'crm-1' } });
    expect(res.body.data.createCustomer).toEqual({ __typename: 'ConflictError', field: 'externalId' });
  });

  it('upserts by external id: the same call twice leaves one customer', async () => {
    const upsert = `mutation($input: UpsertCustomerInput!) { upsertCustomer(input: $input) { __typename ... on UpsertCustomerPayload { customer { id lastName city } } } }`;
    const first = await t.gql(key, upsert, { input: { externalId: 'crm-up', lastName: 'Jansen', city: 'Utrecht' } });
    const second = await t.gql(key, upsert, { input: { externalId: 'crm-up', lastName: 'Jansen', city: 'Utrecht' } });
    expect(second.body.data.upsertCustomer.customer.id).toBe(first.body.data.upsertCustomer.customer.id);
    const changed = await t.gql(key, upsert, { input: { externalId: 'crm-up', city: 'Zwolle' } });
    expect(changed.body.data.upsertCustomer.customer).toMatchObject({ lastName: 'Jansen', city: 'Zwolle' });
  });

  it('updates only the given fields and clears a field given as null', async () => {
    const created = await t.gql(key, CREATE, { input: { firstName: 'Eva', lastName: 'de Vries', city: 'Delft' } });
    const id = created.body.data.createCustomer.customer.id;
    const res = await t.gql(key, `mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { ... on UpdateCustomerPayload { customer { firstName lastName city } } } }`, {
      input: { id, city: null, firstName: 'Eef' },
    });
    expect(res.body.data.updateCustomer.customer).toEqual({ firstName: 'Eef', lastName: 'de Vries', city: null });
  });

  it('refuses a churn date before the start of the relationship', async () => {
    const res = await t.gql(key, CREATE, { input: { customerSince: '2024-05-01T00:00:00Z', churnedAt: '2024-01-01T00:00:00Z' } });
    expect(res.body.data.createCustomer.issues).toEqual([{ path: ['input', 'churnedAt'], message: 'must not be before customerSince' }]);
  });

  it('deleting a customer erases the person and keeps their orders, anonymous, for past figures', async () => {
    const created = await t.gql(key, CREATE, { input: { lastName: 'Weg' } });
    const id = created.body.data.createCustomer.customer.id;
    const order = await t.gql(key, `mutation($input: CreateOrderInput!) { createOrder(input: $input) { __typename ... on CreateOrderPayload { order { id amount } } } }`, {
      input: { customerId: id, amount: '19.95', currency: 'EUR', orderedAt: '2026-01-11T10:00:00Z' },
    });
    expect(order.body.data.createOrder.order.amount).toBe('19.95');
    const deleted = await t.gql(key, `mutation($id: ID!) { deleteCustomer(input: { id: $id }) { __typename ... on DeleteCustomerPayload { customer { lastName erasedAt } } } }`, { id });
    expect(deleted.body.data.deleteCustomer).toMatchObject({ __typename: 'DeleteCustomerPayload', customer: { lastName: null, erasedAt: expect.any(String) } });
    const node = await t.gql(key, `query($id: ID!) { node(id: $id) { ... on Order { amount customer { lastName } } } }`, { id: order.body.data.createOrder.order.id });
    expect(node.body.data.node).toEqual({ amount: '19.95', customer: { lastName: null } });
  });

  describe('pagination', () => {
    let ws: { key: string };
    beforeAll(async () => {
      ws = await t.workspace('Paging');
      const customers = Array.from({ length: 45 }, (_, i) => ({ externalId: `p-${i}`, lastName: `Name ${String(i % 7)}`, country: i % 2 ? 'NL' : 'BE' }));
      const res = await t.gql(ws.key, `mutation($input: ImportCommerceDataInput!) { importCommerceData(input: $input) { __typename } }`, { input: { customers } });
      expect(res.body.data.importCommerceData.__typename).toBe('ImportCommerceDataPayload');
    });

    it('walks every customer exactly once with keyset cursors, sorted by a non-unique field', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let previous = '';
      for (let page = 0; page < 10; page += 1) {
        const res: GraphQLResponse = await t.gql(
          ws.key,
          `query($after: String) { customers(first: 10, after: $after, orderBy: { field: LAST_NAME, direction: ASC }) { pageInfo { hasNextPage endCursor } edges { node { id lastName } } } }`,
          { after },
        );
        const connection: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: { id: string; lastName: string } }> } = res.body.data.customers;
        for (const edge of connection.edges) {
          expect(edge.node.lastName >= previous).toBe(true);
          previous = edge.node.lastName;
          seen.push(edge.node.id);
        }
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(45);
      expect(new Set(seen).size).toBe(45);
    });

    it('filters', async () => {
      const res = await t.gql(ws.key, `{ customers(first: 100, filter: { country: "NL" }) { edges { node { country } } } }`);
      expect(res.body.data.customers.edges).toHaveLength(22);
    });

    it.each([101, 1000])('rejects first: %i, naming the argument', async (first) => {
      const res = await t.gql(ws.key, `query($first: Int) { customers(first: $first) { edges { node { id } } } }`, { first });
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: ['first'] }] });
      expect(res.body.data?.customers).toBeNull();
    });

    it('rejects a negative first', async () => {
      const res = await t.gql(ws.key, `{ customers(first: -1) { edges { node { id } } } }`);
      expect(res.body.errors?.[0]).toMatchObject({ message: expect.stringContaining('"first"'), extensions: { code: 'VALIDATION_FAILED' } });
    });

    it('accepts first: 100', async () => {
      const res = await t.gql(ws.key, `{ customers(first: 100) { edges { node { id } } } }`);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.customers.edges).toHaveLength(45);
    });
  });
});
