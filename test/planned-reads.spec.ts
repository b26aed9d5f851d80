import { getNamedType, isEnumType, isObjectType, isScalarType, parse, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryOrThrow } from '../src/core/plugin-sdk/registry.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { buildSchema } from '../src/schema/index.js';
import { PERSONAL_FIELDS } from '../src/schema/personal-fields.js';
import { planOperation } from '../src/schema/planned-reads/plan.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';
import { npsWithReason, surveyApi, tokenOf } from './support/survey-helpers.js';

/**
 * Planned reads answer list queries from their rows without the resolver walk. Every answer must
 * be byte for byte what normal execution gives: each query here runs twice, once as written (the
 * plan answers) and once with `@include(if: true)` on its root fields (a directive the planner
 * leaves to normal execution), and the two response bodies must be identical.
 */
describe.each(DATABASE_TARGETS)('planned reads on $name', (target) => {
  let t: TestApp;
  let key: string;
  let otherKey: string;

  const planned = async () => {
    const metric = await t.app.metrics.registry.getSingleMetric('cx_graphql_planned_reads_total')!.get();
    const of = (outcome: string) => metric.values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
    return { answered: of('answered'), fallback: of('fallback') };
  };

  /** The query as written, and the same with every root field under `@include(if: true)`. */
  const unplanned = (query: string) => {
    const document = parse(query);
    const operation = document.definitions.find((d) => d.kind === 'OperationDefinition')!;
    let out = query;
    // Insert the directive after each root field's arguments (or name), from the end so offsets hold.
    const roots = [...(operation as Loose).selectionSet.selections].reverse();
    for (const root of roots) {
      const at = root.arguments?.length ? root.arguments[root.arguments.length - 1].loc.end + 1 : root.name.loc.end;
      out = `${out.slice(0, at)} @include(if: true)${out.slice(at)}`;
    }
    return out;
  };

  /** The body as sent, but for what differs between any two requests (their ids, the rate-limit bucket left). */
  const comparable = (body: unknown) =>
    JSON.stringify(body)
      .replace(/"requestId":"[^"]*"/g, '"requestId":"-"')
      .replace(/"remaining":\d+/g, '"remaining":0');

  const compare = async (apiKey: string, query: string, variables?: Record<string, unknown>, expectPlanned = true) => {
    const before = await planned();
    const fast = await t.gql(apiKey, query, variables);
    const after = await planned();
    const slow = await t.gql(apiKey, unplanned(query), variables);
    expect(comparable(fast.body)).toBe(comparable(slow.body));
    expect(fast.status).toBe(slow.status);
    if (expectPlanned) expect(after.answered - before.answered, 'answered by the plan').toBe(1);
    return fast.body;
  };

  beforeAll(async () => {
    t = await startTestApp(target);
    const ws = await t.workspace('Planned');
    key = ws.key;
    otherKey = (await t.workspace('Other')).key;
    const prisma = t.app.database.prisma;
    const api = surveyApi(t, key);
    const unit = await prisma.businessUnit.create({ data: { workspaceId: ws.id, name: 'Online' } });
    const names: Array<[string | null, string | null, string | null]> = [
      ['Anna', 'van der', 'Berg'],
      ['  Bram ', null, 'Jansen'],
      [null, null, null],
      ['Cees', '', 'de Vries'],
      ['Daan', null, 'Bakker'],
      ['Eva', null, 'Visser'],
    ];
    const customerIds: string[] = [];
    for (const [i, [firstName, infix, lastName]] of names.entries()) {
      const customer = await prisma.customer.create({
        data: {
          workspaceId: ws.id,
          externalId: `c${i}`,
          firstName,
          infix,
          lastName,
          email: `c${i}@example.nl`,
          salutation: i % 2 ? 'MR' : 'MS',
          devices: i % 2 ? ['ios', 'web'] : [],
          attributes: { tier: i, nested: { ok: true } },
          businessUnitId: i % 3 ? unit.id : null,
          customerSince: new Date(Date.UTC(2024, i, 1, 12, 30)),
          churnedAt: i === 4 ? new Date(Date.UTC(2025, 0, 1)) : null,
          consentEmail: true,
          createdAt: new Date(Date.UTC(2025, 0, 1 + (i % 3))),
        },
      });
      customerIds.push(customer.id);
      for (let j = 0; j < i; j += 1) {
        const order = await prisma.order.create({
          data: {
            workspaceId: ws.id,
            customerId: customer.id,
            businessUnitId: j % 2 ? unit.id : null,
            amount: ['10.00', '129.90', '0.05', '1000'][j % 4]!,
            currency: j % 3 ? 'EUR' : 'USD',
            orderedAt: new Date(Date.UTC(2025, j % 3, 1 + j)),
            lines: [{ sku: `s${j}`, quantity: 1 }],
          },
        });
        if (j === 0)
          await prisma.touchpoint.create({ data: { workspaceId: ws.id, customerId: customer.id, orderId: order.id, type: 'purchase', journeyPhase: 'PURCHASE', occurredAt: order.orderedAt } });
      }
    }
    const survey = await api.survey(npsWithReason());
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: customerIds.slice(0, 4) } });
    await t.app.dispatcher.dispatchDue();
    for (const [i, invitation] of (await api.invitations()).entries()) {
      if (i === 3) continue;
      await api.ok(`mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { __typename } }`, {
        input: { token: tokenOf(invitation.url), complete: i !== 2, answers: [{ questionId: survey.questions[0]!.id, score: [2, 9, 10][i] }] },
      });
    }
    await api.ok(`mutation($input: CreateSegmentInput!) { createSegment(input: $input) { __typename } }`, { input: { name: 'Vast', kind: 'STATIC' } });
    const connection = await prisma.reviewConnection.create({ data: { workspaceId: ws.id, platformCode: 'generic', name: 'Shop', pushSecret: 'x'.repeat(32) } });
    for (let i = 0; i < 3; i += 1) {
      await prisma.review.create({
        data: {
          workspaceId: ws.id,
          connectionId: connection.id,
          platformCode: 'generic',
          externalId: `r${i}`,
          rating: 2 + i,
          ratingMin: 1,
          ratingMax: 5,
          ratingNormalised: (1 + i) / 4,
          title: `Titel ${i}`,
          publishedAt: new Date(Date.UTC(2025, 5, 1 + i)),
          contentHash: `h${i}`,
          customerId: i === 0 ? customerIds[0]! : null,
        },
      });
    }
  });
  afterAll(() => t.close());

  const CUSTOMER_LIST = `query($n: Int!) { customers(first: $n) { edges { node { id fullName email businessUnit { id name } orders(first: 3) { edges { node { id amount currency orderedAt } } } } } } }`;

  it('the customer list: names, units and last orders, in one plan', async () => {
    const body = await compare(key, CUSTOMER_LIST, { n: 20 });
    expect(body.data.customers.edges).toHaveLength(6);
    expect(body.data.customers.edges.map((edge: Loose) => edge.node.fullName)).toContain('Anna van der Berg');
  });

  it('every column of a customer, aliases, __typename, fragments and page info', async () => {
    await compare(
      key,
      `query List($first: Int, $filter: CustomerFilter) {
        __typename
        list: customers(first: $first, filter: $filter, orderBy: { field: LAST_NAME, direction: DESC }) {
          __typename totalCount
          pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
          edges { __typename cursor node { ...Person ... on Node { id } ... on Customer { city } } }
        }
      }
      fragment Person on Customer {
        __typename id externalId firstName infix lastName fullName salutation email phone locale ageBand gender incomeBand education maritalStatus
        country province city postcode devices apps attributes preferredChannel consentEmail consentSms consentPhone consentSurveys unsubscribedAt
        customerSince erasedAt churnedAt createdAt updatedAt
        first: orders(first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { __typename id amount currency channel lines createdAt customer { id } businessUnit { name } } } }
        touchpoints { edges { node { id type journeyPhase occurredAt } } }
      }`,
      { first: 4, filter: { churned: false } },
    );
  });

  it('pages forwards and backwards by cursor exactly as before', async () => {
    const first = await compare(key, `{ customers(first: 2) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }`);
    const after = first.data.customers.pageInfo.endCursor;
    const second = await compare(key, `query($after: String) { customers(first: 2, after: $after) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }`, {
      after,
    });
    await compare(key, `query($before: String) { customers(last: 1, before: $before) { pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id } } } }`, {
      before: second.data.customers.pageInfo.startCursor,
    });
    await compare(key, `{ customers(last: 2) { pageInfo { hasNextPage hasPreviousPage } edges { node { id lastName } } } }`);
    await compare(key, `{ customers(first: 0) { pageInfo { hasNextPage hasPreviousPage startCursor } edges { node { id } } } }`);
    await compare(key, `{ customers(first: 100) { totalCount } }`);
  });

  it('the other lists', async () => {
    await compare(
      key,
      `{ orders(first: 10) { totalCount edges { node { id amount currency orderedAt customer { id fullName } businessUnit { id } touchpoints(first: 2) { totalCount edges { node { id } } } } } } }`,
    );
    await compare(key, `{ touchpoints(first: 10) { edges { node { id type journeyPhase occurredAt } } } }`);
    await compare(key, `{ businessUnits { edges { node { id name } } } }`);
    await compare(key, `{ segments(first: 5) { totalCount edges { node { id name kind } } } }`);
    await compare(key, `{ reviews(first: 5) { edges { node { id rating title publishedAt } } } }`);
  });

  it('every field of every planned list that a plan can answer', async () => {
    const schema = buildSchema(createRegistryOrThrow(resolvePlugins({})));
    const query = schema.getQueryType()!;
    const roots = Object.values(query.getFields()).filter((field) => field.extensions?.plannedList);
    expect(roots.map((root) => root.name).sort()).toEqual(
      ['auditLog', 'businessUnits', 'customers', 'followUps', 'invitations', 'orders', 'reviewInvitations', 'reviews', 'segments', 'surveyResponses', 'surveys', 'touchpoints'].sort(),
    );
    for (const root of roots) {
      const connection = getNamedType(root.type) as GraphQLObjectType;
      const node = getNamedType((getNamedType(connection.getFields().edges!.type) as GraphQLObjectType).getFields().node!.type) as GraphQLObjectType;
      const leaves = Object.values(node.getFields()).filter((field) => field.args.length === 0 && (isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type))));
      const plannable = leaves.filter((field) => planOperation(schema, parse(`{ ${root.name} { edges { node { ${field.name} } } } }`), undefined, PERSONAL_FIELDS));
      // The lists' own columns are all answered by the plan.
      expect(plannable.length, root.name).toBeGreaterThan(leaves.length / 2);
      const relations = Object.values(node.getFields()).filter(
        (field) => isObjectType(getNamedType(field.type)) && planOperation(schema, parse(`{ ${root.name} { edges { node { ${field.name} { __typename } } } } }`), undefined, PERSONAL_FIELDS),
      );
      const selection = [
        ...plannable.map((field) => field.name),
        ...relations.map((field) => `${field.name} { __typename ${isPaged(field) ? 'totalCount edges { cursor node { __typename } }' : idOf(field)} }`),
      ].join(' ');
      await compare(key, `{ ${root.name}(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${selection} } } } }`);
    }
  });

  const idOf = (field: GraphQLField<unknown, unknown>) => ((getNamedType(field.type) as GraphQLObjectType).getFields().id ? 'id' : '');
  const isPaged = (field: GraphQLField<unknown, unknown>) => Boolean((getNamedType(field.type) as GraphQLObjectType).getFields().edges);

  it('leaves introspection and other roots to normal execution', async () => {
    for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Customer") { name } }', '{ __typename }', '{ viewer { kind } customers(first: 1) { edges { node { id } } } }']) {
      const before = await planned();
      const res = await t.gql(key, query);
      expect(res.body.errors, query).toBeUndefined();
      expect(await planned(), query).toEqual(before);
    }
  });

  it('falls back for what a plan cannot answer, with the same errors', async () => {
    await compare(key, `{ customers(first: 1000) { edges { node { id } } } }`, undefined, false);
    await compare(key, `{ customers(first: 2, after: "not-a-cursor") { edges { node { id } } } }`, undefined, false);
    await compare(key, `{ customers(first: 2, filter: { businessUnitId: "nope" }) { edges { node { id } } } }`, undefined, false);
    await compare(key, `query($n: Int!) { customers(first: $n) { edges { node { id } } } }`, { n: 'x' }, false);
    const before = await planned();
    await compare(key, `{ customers(first: 2) { edges { node { id } } } }`);
    expect((await planned()).fallback).toBe(before.fallback);
  });

  it('a key without the scope, or another workspace, gets what normal execution gives', async () => {
    const limited = (
      await t.gql(key, `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreateApiKeyPayload { created { secret } } } }`, {
        input: { name: 'surveys only', scopes: ['surveys:read'] },
      })
    ).body.data.createApiKey.created.secret;
    const before = await planned();
    const refused = await compare(limited, CUSTOMER_LIST, { n: 5 }, false);
    expect(refused.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await planned()).fallback).toBe(before.fallback + 1);
    const other = await compare(otherKey, CUSTOMER_LIST, { n: 5 });
    expect(other.data.customers.edges).toEqual([]);
  });
});
