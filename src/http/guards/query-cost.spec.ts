import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationCost } from './query-cost.js';

const schema = buildSchema(`
  type Query { customers(first: Int, last: Int): CustomerConnection viewer: Viewer nodes(ids: [ID!]!): [Customer] trend: [Point!] node(id: ID!): Node }
  type Mutation { createCustomer(name: String): Customer }
  interface Node { id: ID! }
  type Viewer { apiKeyId: ID }
  type Point { value: Int }
  type PageInfo { hasNextPage: Boolean }
  type Customer implements Node { id: ID! name: String orders(first: Int): OrderConnection }
  type Order implements Node { id: ID! total: Int }
  type CustomerConnection { edges: [CustomerEdge] nodes: [Customer] pageInfo: PageInfo! totalCount: Int }
  type CustomerEdge { cursor: String node: Customer }
  type OrderConnection { edges: [OrderEdge] nodes: [Order] pageInfo: PageInfo! totalCount: Int }
  type OrderEdge { cursor: String node: Order }
`);

describe('operationCost', () => {
  it.each([
    ['scalars only', '{ viewer { apiKeyId } }', {}, 1],
    ['a page of 20 customers', '{ customers(first: 20) { edges { node { id name } } } }', {}, 2 + 20],
    ['nodes instead of edges', '{ customers(first: 20) { nodes { id } } }', {}, 22],
    ['pageInfo is free', '{ customers(first: 10) { pageInfo { hasNextPage } edges { cursor node { id } } } }', {}, 12],
    ['totalCount adds one count, not one per node', '{ customers(first: 10) { totalCount edges { node { id } } } }', {}, 2 + 10 + 10],
    ['totalCount alone', '{ customers { totalCount } }', {}, 2 + 10],
    ['a nested totalCount is counted per parent', '{ customers(first: 5) { nodes { orders(first: 1) { totalCount } } } }', {}, 2 + 5 * (1 + 2 + 10)],
    ['default page size', '{ customers { edges { node { id } } } }', {}, 22],
    ['page size from a variable', 'query ($n: Int) { customers(first: $n) { edges { node { id } } } }', { n: 50 }, 52],
    ['last counts like first', '{ customers(last: 7) { edges { node { id } } } }', {}, 9],
    ['nested pages multiply', '{ customers(first: 100) { edges { node { id orders(first: 3) { edges { node { id } } } } } } }', {}, 2 + 100 * (1 + 2 + 3)],
    ['nested pages from variables', 'query ($a: Int, $b: Int) { customers(first: $a) { edges { node { orders(first: $b) { edges { node { id } } } } } } }', { a: 10, b: 10 }, 2 + 10 * (1 + 2 + 10)],
    ['page sizes above 100 are priced at 100 (the field refuses them)', '{ customers(first: 5000) { nodes { id } } }', {}, 102],
    ['aliases add up', '{ a: viewer { apiKeyId } b: viewer { apiKeyId } }', {}, 2],
    ['nodes(ids) counts its ids', '{ nodes(ids: ["1", "2", "3"]) { id } }', {}, 3],
    ['plain lists assume 10 items', '{ trend { value } }', {}, 10],
    ['fragments expand', 'query { customers(first: 2) { ...C } } fragment C on CustomerConnection { edges { node { id } } }', {}, 4],
    ['inline fragments on an interface', '{ node(id: "1") { ... on Customer { orders(first: 4) { nodes { id } } } } }', {}, 1 + 2 + 4],
    ['mutations cost 10 per field', 'mutation { createCustomer(name: "x") { id } }', {}, 11],
    ['introspection is free', '{ __typename }', {}, 0],
  ])('%s', (_name, query, variables, expected) => {
    expect(operationCost(schema, parse(query), undefined, variables)).toBe(expected);
  });

  it('prices the named operation', () => {
    const document = parse('query A { viewer { apiKeyId } } query B { customers(first: 30) { nodes { id } } }');
    expect(operationCost(schema, document, 'B', {})).toBe(32);
    expect(operationCost(schema, document, 'A', {})).toBe(1);
  });
});
