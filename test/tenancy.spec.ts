import type { GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { startTokenIssuer, type TokenIssuer } from './support/token-issuer.js';
import { inviteMember } from '../src/core/workspaces/members.js';
import { configureIdentityProvider } from '../src/core/auth/identity-provider.js';

/**
 * Workspace B asks for workspace A's objects through every query and mutation. Each must behave as
 * if the id did not exist. The table must name every root field: a new field fails this test until
 * its cross-tenant behaviour is written down here.
 */
interface Ids {
  customer: string;
  order: string;
  touchpoint: string;
  businessUnit: string;
  apiKey: string;
  survey: string;
  question: string;
  invitation: string;
  surveyResponse: string;
  token: string;
  segment: string;
  staticSegment: string;
  reviewSource: string;
  review: string;
  reviewInvitation: string;
  reviewInvitationRule: string;
  followUp: string;
  followUpRule: string;
  improvementAction: string;
  webhookSubscription: string;
  webhookDelivery: string;
  member: string;
}

type Check = (t: TestApp, key: string, a: Ids) => Promise<void>;

const nodeTypes = [
  'customer',
  'order',
  'touchpoint',
  'businessUnit',
  'apiKey',
  'survey',
  'question',
  'invitation',
  'surveyResponse',
  'segment',
  'reviewSource',
  'review',
  'reviewInvitation',
  'reviewInvitationRule',
  'followUp',
  'improvementAction',
  'webhookSubscription',
  'webhookDelivery',
  'member',
] as const;
const idsOf = (connection: { edges: Array<{ node: { id: string } }> }) => connection.edges.map((edge) => edge.node.id);

const QUERY_CHECKS: Record<string, Check> = {
  node: async (t, key, a) => {
    for (const type of nodeTypes) {
      const res = await t.gql(key, `query($id: ID!) { node(id: $id) { id } }`, { id: a[type] });
      expect(res.body.data, type).toEqual({ node: null });
      expect(res.body.errors, type).toBeUndefined();
    }
  },
  nodes: async (t, key, a) => {
    const res = await t.gql(key, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: nodeTypes.map((type) => a[type]) });
    expect(res.body.data).toEqual({ nodes: nodeTypes.map(() => null) });
    expect(res.body.errors).toBeUndefined();
  },
  customers: async (t, key, a) => {
    const res = await t.gql(key, `{ customers(first: 100) { edges { node { id } } } }`);
    expect(res.body.data.customers.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(a.customer);
    const filtered = await t.gql(key, `query($bu: ID!) { customers(first: 100, filter: { businessUnitId: $bu }) { edges { node { id } } } }`, { bu: a.businessUnit });
    expect(filtered.body.data.customers.edges).toEqual([]);
  },
  auditLog: async (t, key, a) => {
    const res = await t.gql(key, `query($id: ID!) { auditLog(first: 50, filter: { targetId: $id }) { edges { node { operation } } } }`, { id: a.customer });
    expect(res.body.data.auditLog.edges).toEqual([]);
  },
  retentionPreview: async (t, key) => {
    const res = await t.gql(key, `{ retentionPreview { dryRun inactiveCustomers } }`);
    expect(res.body.data.retentionPreview).toEqual({ dryRun: true, inactiveCustomers: 0 });
  },
  exportCustomerData: async (t, key, a) => {
    const res = await t.gql(key, `query($id: ID!) { exportCustomerData(customerId: $id) }`, { id: a.customer });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.exportCustomerData).toBeNull();
  },
  customerByExternalId: async (t, key) => {
    const res = await t.gql(key, `{ customerByExternalId(externalId: "a-customer") { id } }`);
    expect(res.body.data.customerByExternalId).toBeNull();
  },
  orders: async (t, key, a) => {
    const res = await t.gql(key, `query($c: ID!) { all: orders(first: 100) { edges { node { id } } } byCustomer: orders(first: 100, filter: { customerId: $c }) { edges { node { id } } } }`, {
      c: a.customer,
    });
    expect(res.body.data.all.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(a.order);
    expect(res.body.data.byCustomer.edges).toEqual([]);
  },
  touchpoints: async (t, key, a) => {
    const res = await t.gql(key, `query($c: ID!) { touchpoints(first: 100, filter: { customerId: $c }) { edges { node { id } } } }`, { c: a.customer });
    expect(res.body.data.touchpoints.edges).toEqual([]);
  },
  businessUnits: async (t, key, a) => {
    const res = await t.gql(key, `{ businessUnits(first: 100) { edges { node { id } } } }`);
    expect(res.body.data.businessUnits.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(a.businessUnit);
  },
  apiKeys: async (t, key, a) => {
    const res = await t.gql(key, `{ apiKeys(first: 100) { edges { node { id } } } }`);
    expect(res.body.data.apiKeys.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(a.apiKey);
  },
  viewer: async (t, key, a) => {
    const res = await t.gql(key, `{ viewer { apiKeyId } }`);
    expect(res.body.data.viewer.apiKeyId).not.toBe(a.apiKey);
  },
  members: async (t, key, a) => {
    const res = await t.gql(key, `{ members(first: 100, includeRemoved: true) { edges { node { id } } } }`);
    expect(idsOf(res.body.data.members)).not.toContain(a.member);
  },
  identityProvider: async (t, key) => {
    const res = await t.gql(key, `{ identityProvider { audience } }`);
    expect(res.body.data.identityProvider?.audience).not.toBe('a-audience');
  },
  workspace: async (t, key) => {
    const res = await t.gql(key, `{ workspace { name } }`);
    expect(res.body.data.workspace.name).toBe('B');
  },
  surveys: async (t, key, a) => {
    const res = await t.gql(key, `{ surveys(first: 100) { edges { node { id } } } }`);
    expect(res.body.data.surveys.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(a.survey);
  },
  invitations: async (t, key, a) => {
    const res = await t.gql(
      key,
      `query($s: ID!, $c: ID!) { all: invitations(first: 100) { edges { node { id } } } bySurvey: invitations(first: 100, filter: { surveyId: $s }) { edges { node { id } } } byCustomer: invitations(first: 100, filter: { customerId: $c }) { edges { node { id } } } }`,
      { s: a.survey, c: a.customer },
    );
    expect(res.body.data.all.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(a.invitation);
    expect(res.body.data.bySurvey.edges).toEqual([]);
    expect(res.body.data.byCustomer.edges).toEqual([]);
  },
  surveyResponses: async (t, key, a) => {
    const res = await t.gql(
      key,
      `query($s: ID!) { all: surveyResponses(first: 100) { edges { node { id } } } bySurvey: surveyResponses(first: 100, filter: { surveyId: $s }) { edges { node { id } } } }`,
      { s: a.survey },
    );
    expect(res.body.data.all.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(a.surveyResponse);
    expect(res.body.data.bySurvey.edges).toEqual([]);
  },
  pendingInvitations: async (t, key, a) => {
    const res = await t.gql(key, `query($c: ID!) { pendingInvitations(customerId: $c) { id } }`, { c: a.customer });
    expect(res.body.data).toEqual({ pendingInvitations: [] });
    expect(res.body.errors).toBeUndefined();
  },
  surveyChannels: async (t, key) => {
    const res = await t.gql(key, `{ surveyChannels { code settingKeys } }`);
    expect(res.body.data.surveyChannels.find((channel: { code: string }) => channel.code === 'widget').settingKeys).toEqual([]);
  },
  responseExportLink: async (t, key, a) => {
    // Another workspace's survey id narrows this workspace's export to nothing: headers only, no question columns.
    const res = await t.gql(key, `query($s: ID!) { responseExportLink(filter: { period: { from: "2020-01-01", to: "2030-01-01" }, surveyIds: [$s] }) { url } }`, { s: a.survey });
    expect(res.body.errors).toBeUndefined();
    const url = new URL(res.body.data.responseExportLink.url);
    const body = await (await t.http(url.pathname + url.search)).text();
    const lines = body.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('recorded by,customer external id')).toBe(true);
  },
  metrics: async (t, key, a) => {
    const res = await t.gql(
      key,
      `query($s: ID!) { all: metrics(filter: { period: { from: "2020-01-01", to: "2030-01-01" } }) { nps { responses } responseRate { delivered } retention { atEnd } commerce { orders } npsBehaviour { customers } } mine: metrics(filter: { period: { from: "2020-01-01", to: "2030-01-01" }, surveyIds: [$s], customer: {} }) { nps { responses } } }`,
      { s: a.survey },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.all.nps.responses).toBe(0);
    expect(res.body.data.all.responseRate.delivered).toBe(0);
    expect(res.body.data.all.retention.atEnd).toBe(0);
    expect(res.body.data.all.commerce).toEqual([]);
    expect(res.body.data.all.npsBehaviour.every((group: { customers: number }) => group.customers === 0)).toBe(true);
    expect(res.body.data.mine.nps.responses).toBe(0);
    const reviews = await t.gql(key, `query($s: ID!) { metrics(filter: { period: { from: "2020-01-01", to: "2030-01-01" } }) { reviews(sourceIds: [$s]) { count } reviewsByPlatform { count } } }`, {
      s: a.reviewSource,
    });
    expect(reviews.body.data.metrics).toEqual({ reviews: { count: 0 }, reviewsByPlatform: [] });
  },
  segments: async (t, key, a) => {
    const res = await t.gql(key, `{ segments(first: 100) { edges { node { id } } } }`);
    expect(res.body.data.segments.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(a.segment);
  },
  previewSegment: async (t, key) => {
    const res = await t.gql(
      key,
      `{ previewSegment(modelCode: "geographic", parameters: { rules: { match: ALL_PLACEHOLDER } }) { count } }`.replace(
        '{ match: ALL_PLACEHOLDER }',
        '{ match: "ALL", rules: [{ field: "country", op: "exists" }] }',
      ),
    );
    expect(res.body.data.previewSegment.count).toBe(0);
  },
  // Server-wide catalogue of installed platforms: holds no workspace data.
  reviewPlatforms: async (t, key) => {
    const res = await t.gql(key, `{ reviewPlatforms { code } }`);
    expect(res.body.errors).toBeUndefined();
  },
  reviewSources: async (t, key, a) => {
    const res = await t.gql(key, `{ reviewSources(first: 100) { edges { node { id } } } }`);
    expect(idsOf(res.body.data.reviewSources)).not.toContain(a.reviewSource);
  },
  reviews: async (t, key, a) => {
    const res = await t.gql(
      key,
      `query($s: ID!, $c: ID!) { all: reviews(first: 100, filter: { includeDeleted: true }) { edges { node { id } } } bySource: reviews(first: 100, filter: { sourceIds: [$s] }) { edges { node { id } } } byCustomer: reviews(first: 100, filter: { customerId: $c }) { edges { node { id } } } }`,
      { s: a.reviewSource, c: a.customer },
    );
    expect(res.body.errors).toBeUndefined();
    expect(idsOf(res.body.data.all)).not.toContain(a.review);
    expect(res.body.data.bySource.edges).toEqual([]);
    expect(res.body.data.byCustomer.edges).toEqual([]);
  },
  reviewReplyBreaches: async (t, key) => {
    const res = await t.gql(key, `{ reviewReplyBreaches(first: 100) { edges { node { id } } } }`);
    expect(res.body.data.reviewReplyBreaches.edges).toEqual([]);
  },
  reviewReplyPolicy: async (t, key) => {
    const res = await t.gql(key, `{ reviewReplyPolicy { hours } }`);
    expect(res.body.data.reviewReplyPolicy.hours).toBeNull();
  },
  reviewInvitations: async (t, key, a) => {
    const res = await t.gql(
      key,
      `query($c: ID!) { all: reviewInvitations(first: 100) { edges { node { id } } } byCustomer: reviewInvitations(first: 100, customerId: $c) { edges { node { id } } } }`,
      { c: a.customer },
    );
    expect(idsOf(res.body.data.all)).not.toContain(a.reviewInvitation);
    expect(res.body.data.byCustomer.edges).toEqual([]);
  },
  reviewInvitationRules: async (t, key, a) => {
    const res = await t.gql(key, `{ reviewInvitationRules { id } }`);
    expect(res.body.data.reviewInvitationRules.map((rule: { id: string }) => rule.id)).not.toContain(a.reviewInvitationRule);
  },
  events: async (t, key) => {
    const res = await t.gql(key, `{ events(first: 500) { type data } }`);
    expect(res.body.errors).toBeUndefined();
    expect(JSON.stringify(res.body.data.events)).not.toContain('a-review');
    expect(res.body.data.events.every((event: { type: string }) => event.type !== 'review.created')).toBe(true);
  },
  webhookSubscriptions: async (t, key, a) => {
    const res = await t.gql(key, `{ webhookSubscriptions(first: 100) { edges { node { id } } } }`);
    expect(idsOf(res.body.data.webhookSubscriptions)).not.toContain(a.webhookSubscription);
  },
  webhookDeliveries: async (t, key, a) => {
    const res = await t.gql(key, `query($s: ID!) { all: webhookDeliveries(first: 100) { edges { node { id } } } bySub: webhookDeliveries(first: 100, subscriptionId: $s) { edges { node { id } } } }`, {
      s: a.webhookSubscription,
    });
    expect(idsOf(res.body.data.all)).not.toContain(a.webhookDelivery);
    expect(res.body.data.bySub.edges).toEqual([]);
  },
  followUps: async (t, key, a) => {
    const res = await t.gql(key, `query($c: ID!) { all: followUps(first: 100) { edges { node { id } } } byCustomer: followUps(first: 100, filter: { customerId: $c }) { edges { node { id } } } }`, {
      c: a.customer,
    });
    expect(idsOf(res.body.data.all)).not.toContain(a.followUp);
    expect(res.body.data.byCustomer.edges).toEqual([]);
  },
  followUpRules: async (t, key, a) => {
    const res = await t.gql(key, `{ followUpRules { id } }`);
    expect(res.body.data.followUpRules.map((rule: { id: string }) => rule.id)).not.toContain(a.followUpRule);
  },
  ownerMailPreferences: async (t, key) => {
    const res = await t.gql(key, `{ ownerMailPreferences { email } }`);
    expect(res.body.data.ownerMailPreferences).toEqual([]);
  },
  followUpPolicy: async (t, key) => {
    const res = await t.gql(key, `{ followUpPolicy { slaHours } }`);
    expect(res.body.data.followUpPolicy.slaHours).toBe(48);
  },
  improvementActions: async (t, key, a) => {
    const res = await t.gql(key, `{ improvementActions(first: 100) { edges { node { id } } } topImprovementActions { id } }`);
    expect(idsOf(res.body.data.improvementActions)).not.toContain(a.improvementAction);
  },
  topImprovementActions: async (t, key, a) => {
    const res = await t.gql(key, `{ topImprovementActions { id } }`);
    expect(res.body.data.topImprovementActions.map((action: { id: string }) => action.id)).not.toContain(a.improvementAction);
  },
  youSaidWeDid: async (t, key) => {
    const res = await t.gql(key, `{ youSaidWeDid(locale: "nl") { said } }`);
    expect(res.body.data.youSaidWeDid).toEqual([]);
  },
  // Server-wide catalogue of installed models: holds no workspace data.
  segmentationModels: async (t, key) => {
    const res = await t.gql(key, `{ segmentationModels { code } }`);
    expect(res.body.errors).toBeUndefined();
  },
  // Server-wide catalogue of plugin contributions: holds no workspace data.
  pluginContributions: async (t, key) => {
    const res = await t.gql(key, `{ pluginContributions { code } }`);
    expect(res.body.errors).toBeUndefined();
  },
};

async function expectMissing(t: TestApp, key: string, mutation: string, input: Record<string, unknown>, expected: string) {
  const res = await t.gql(key, `mutation($input: ${inputTypeOf(mutation)}!) { ${mutation}(input: $input) { __typename ... on Error { message } ... on ValidationError { issues { path } } } }`, {
    input,
  });
  expect(res.body.errors, mutation).toBeUndefined();
  expect(res.body.data[mutation].__typename, mutation).toBe(expected);
}
const inputTypeOf = (mutation: string) => (mutation === 'importCommerceData' ? 'ImportCommerceDataInput' : `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`);

const MUTATION_CHECKS: Record<string, Check> = {
  updateCustomer: (t, key, a) => expectMissing(t, key, 'updateCustomer', { id: a.customer, city: 'X' }, 'NotFoundError'),
  deleteCustomer: (t, key, a) => expectMissing(t, key, 'deleteCustomer', { id: a.customer }, 'NotFoundError'),
  eraseCustomer: (t, key, a) => expectMissing(t, key, 'eraseCustomer', { id: a.customer }, 'NotFoundError'),
  createCustomer: (t, key, a) => expectMissing(t, key, 'createCustomer', { businessUnitId: a.businessUnit }, 'ValidationError'),
  upsertCustomer: (t, key, a) => expectMissing(t, key, 'upsertCustomer', { externalId: 'x', businessUnitId: a.businessUnit }, 'ValidationError'),
  createOrder: (t, key, a) => expectMissing(t, key, 'createOrder', { customerId: a.customer, amount: '1', currency: 'EUR', orderedAt: '2026-01-01T00:00:00Z' }, 'ValidationError'),
  upsertOrder: (t, key, a) => expectMissing(t, key, 'upsertOrder', { externalId: 'o', customerId: a.customer, amount: '1', currency: 'EUR', orderedAt: '2026-01-01T00:00:00Z' }, 'ValidationError'),
  updateOrder: (t, key, a) => expectMissing(t, key, 'updateOrder', { id: a.order, channel: 'x' }, 'NotFoundError'),
  deleteOrder: (t, key, a) => expectMissing(t, key, 'deleteOrder', { id: a.order }, 'NotFoundError'),
  createTouchpoint: (t, key, a) =>
    expectMissing(t, key, 'createTouchpoint', { customerId: a.customer, type: 'delivery', journeyPhase: 'DELIVERY', occurredAt: '2026-01-01T00:00:00Z' }, 'ValidationError'),
  upsertTouchpoint: (t, key, a) =>
    expectMissing(t, key, 'upsertTouchpoint', { externalId: 't', customerId: a.customer, type: 'delivery', journeyPhase: 'DELIVERY', occurredAt: '2026-01-01T00:00:00Z' }, 'ValidationError'),
  updateTouchpoint: (t, key, a) => expectMissing(t, key, 'updateTouchpoint', { id: a.touchpoint, subject: 'x' }, 'NotFoundError'),
  deleteTouchpoint: (t, key, a) => expectMissing(t, key, 'deleteTouchpoint', { id: a.touchpoint }, 'NotFoundError'),
  createBusinessUnit: async (t, key) => {
    // Same name as A's unit: names are unique per workspace only.
    await expectMissing(t, key, 'createBusinessUnit', { name: 'Shop A' }, 'CreateBusinessUnitPayload');
  },
  upsertBusinessUnit: (t, key) => expectMissing(t, key, 'upsertBusinessUnit', { externalId: 'a-bu', name: 'Mine' }, 'UpsertBusinessUnitPayload'),
  updateBusinessUnit: (t, key, a) => expectMissing(t, key, 'updateBusinessUnit', { id: a.businessUnit, name: 'x' }, 'NotFoundError'),
  deleteBusinessUnit: (t, key, a) => expectMissing(t, key, 'deleteBusinessUnit', { id: a.businessUnit }, 'NotFoundError'),
  inviteMember: async (t, key) => {
    // The same person may be a member of both: B's invitation makes a member of B and leaves A's alone.
    await expectMissing(t, key, 'inviteMember', { email: 'member@a.test', role: 'ANALYST' }, 'InviteMemberPayload');
    const rows = await t.app.database.prisma.member.findMany({ where: { email: 'member@a.test' }, include: { workspace: true } });
    expect(rows.map((row) => `${row.workspace.name}:${row.role}`).sort()).toEqual(['A:AGENT', 'B:ANALYST']);
  },
  changeMemberRole: (t, key, a) => expectMissing(t, key, 'changeMemberRole', { id: a.member, role: 'VIEWER' }, 'NotFoundError'),
  removeMember: (t, key, a) => expectMissing(t, key, 'removeMember', { id: a.member }, 'NotFoundError'),
  configureIdentityProvider: async (t, key) => {
    // B sets its own provider again (as it is, so that a member's token keeps working).
    const own = (await t.gql(key, `{ identityProvider { issuer audience } }`)).body.data.identityProvider ?? { issuer: 'https://b.example', audience: 'b-audience' };
    await expectMissing(t, key, 'configureIdentityProvider', own, 'ConfigureIdentityProviderPayload');
    const a = await t.app.database.prisma.identityProvider.findFirstOrThrow({ where: { workspace: { name: 'A' } } });
    expect(a.audience).toBe('a-audience');
  },
  removeIdentityProvider: async (t, key) => {
    const b = await t.app.database.prisma.workspace.findFirstOrThrow({ where: { name: 'B' } });
    const own = await t.app.database.prisma.identityProvider.findFirst({ where: { workspaceId: b.id } });
    await t.gql(key, `mutation { removeIdentityProvider(input: { confirm: true }) }`);
    expect(await t.app.database.prisma.identityProvider.count({ where: { workspace: { name: 'A' } } })).toBe(1);
    // B's own provider is put back for the checks that follow.
    if (own) await configureIdentityProvider(t.app.database.sql, b.id, { issuer: own.issuer, audience: own.audience }, true, new Date());
    t.app.tokens.invalidate();
  },
  revokeApiKey: (t, key, a) => expectMissing(t, key, 'revokeApiKey', { id: a.apiKey }, 'NotFoundError'),
  createApiKey: (t, key) => expectMissing(t, key, 'createApiKey', { name: 'b', scopes: ['customers:read'] }, 'CreateApiKeyPayload'),
  createSurvey: (t, key) => expectMissing(t, key, 'createSurvey', { name: 'Mine', kind: 'NPS' }, 'CreateSurveyPayload'),
  updateSurvey: (t, key, a) => expectMissing(t, key, 'updateSurvey', { id: a.survey, name: 'x' }, 'NotFoundError'),
  deleteSurvey: (t, key, a) => expectMissing(t, key, 'deleteSurvey', { id: a.survey }, 'NotFoundError'),
  addQuestion: (t, key, a) => expectMissing(t, key, 'addQuestion', { surveyId: a.survey, question: { type: 'NPS', texts: [{ locale: 'nl', text: 'x' }] } }, 'NotFoundError'),
  updateQuestion: (t, key, a) => expectMissing(t, key, 'updateQuestion', { id: a.question, question: { type: 'NPS', texts: [{ locale: 'nl', text: 'x' }] } }, 'NotFoundError'),
  removeQuestion: (t, key, a) => expectMissing(t, key, 'removeQuestion', { id: a.question }, 'NotFoundError'),
  sendSurvey: (t, key, a) => expectMissing(t, key, 'sendSurvey', { surveyId: a.survey, customerIds: [a.customer] }, 'ValidationError'),
  submitResponse: (t, key, a) => expectMissing(t, key, 'submitResponse', { token: a.token, answers: [{ questionId: a.question, score: 1 }] }, 'NotFoundError'),
  recordPhoneResponse: (t, key, a) => expectMissing(t, key, 'recordPhoneResponse', { invitationId: a.invitation, agentName: 'x', answers: [{ questionId: a.question, score: 1 }] }, 'NotFoundError'),
  recordInvitationBounce: (t, key, a) => expectMissing(t, key, 'recordInvitationBounce', { invitationId: a.invitation, reason: 'x' }, 'NotFoundError'),
  configureSurveyChannel: (t, key) =>
    expectMissing(t, key, 'configureSurveyChannel', { code: 'widget', settings: { secret: 'b'.repeat(32), allowedOrigins: ['https://b.example'] } }, 'ConfigureSurveyChannelPayload'),
  updateContactPolicy: (t, key) => expectMissing(t, key, 'updateContactPolicy', { cap: 9 }, 'UpdateContactPolicyPayload'),
  // B's admin naming A's workspace deletes nothing: the confirmation is checked against B's own name.
  deleteWorkspace: (t, key) => expectMissing(t, key, 'deleteWorkspace', { confirmName: 'A' }, 'ValidationError'),
  updateRetentionPolicy: async (t, key) => {
    await expectMissing(t, key, 'updateRetentionPolicy', { eventsDays: 7 }, 'UpdateRetentionPolicyPayload');
    const own = (await t.gql(key, `{ workspace { id } }`)).body.data.workspace.id;
    const changed = await t.app.database.prisma.workspace.findMany({ where: { retainEventsDays: 7 }, select: { id: true } });
    expect(changed.map((workspace) => workspace.id)).toEqual([own]);
  },
  applyRetention: async (t, key) => {
    const before = await t.app.database.prisma.domainEvent.count();
    const res = await t.gql(key, `mutation { applyRetention { __typename ... on ApplyRetentionPayload { report { events } } } }`);
    expect(res.body.data.applyRetention.report.events).toBe(0);
    expect(await t.app.database.prisma.domainEvent.count()).toBe(before);
  },
  updateWorkspace: async (t, key) => {
    // The workspace is the caller's own: B's admin changes B and nothing else.
    await expectMissing(t, key, 'updateWorkspace', { companyName: 'Only B' }, 'UpdateWorkspacePayload');
    const own = (await t.gql(key, `{ workspace { id } }`)).body.data.workspace.id;
    const changed = await t.app.database.prisma.workspace.findMany({ where: { companyName: 'Only B' }, select: { id: true } });
    expect(changed.map((workspace) => workspace.id)).toEqual([own]);
  },
  createSegment: (t, key) => expectMissing(t, key, 'createSegment', { name: 'A segment', kind: 'STATIC' }, 'CreateSegmentPayload'),
  updateSegment: (t, key, a) => expectMissing(t, key, 'updateSegment', { id: a.segment, name: 'x' }, 'NotFoundError'),
  deleteSegment: (t, key, a) => expectMissing(t, key, 'deleteSegment', { id: a.segment }, 'NotFoundError'),
  recomputeSegment: (t, key, a) => expectMissing(t, key, 'recomputeSegment', { id: a.segment }, 'NotFoundError'),
  addCustomersToSegment: async (t, key, a) => {
    await expectMissing(t, key, 'addCustomersToSegment', { segmentId: a.staticSegment, customerIds: [] }, 'NotFoundError');
    const own = await t.gql(key, `mutation { createSegment(input: { name: "Mine", kind: STATIC }) { ... on CreateSegmentPayload { segment { id } } } }`);
    await expectMissing(t, key, 'addCustomersToSegment', { segmentId: own.body.data.createSegment.segment.id, customerIds: [a.customer] }, 'ValidationError');
  },
  connectReviewSource: (t, key) => expectMissing(t, key, 'connectReviewSource', { platformCode: 'generic', name: 'A generic', settings: {} }, 'ValidationError'),
  updateReviewSource: (t, key, a) => expectMissing(t, key, 'updateReviewSource', { id: a.reviewSource, name: 'Taken' }, 'NotFoundError'),
  disconnectReviewSource: (t, key, a) => expectMissing(t, key, 'disconnectReviewSource', { id: a.reviewSource }, 'NotFoundError'),
  syncReviewSource: (t, key, a) => expectMissing(t, key, 'syncReviewSource', { id: a.reviewSource }, 'NotFoundError'),
  importReviews: (t, key, a) => expectMissing(t, key, 'importReviews', { sourceId: a.reviewSource, csv: 'externalId,rating,publishedAt\nx,5,2026-01-01T00:00:00Z\n' }, 'NotFoundError'),
  replyToReview: (t, key, a) => expectMissing(t, key, 'replyToReview', { reviewId: a.review, text: 'Hi' }, 'NotFoundError'),
  deleteReviewReply: (t, key, a) => expectMissing(t, key, 'deleteReviewReply', { reviewId: a.review }, 'NotFoundError'),
  setReviewReplyPolicy: (t, key) => expectMissing(t, key, 'setReviewReplyPolicy', { hours: 0 }, 'ValidationError'),
  inviteToReview: (t, key, a) => expectMissing(t, key, 'inviteToReview', { customerId: a.customer, sourceId: a.reviewSource }, 'NotFoundError'),
  createReviewInvitationRule: (t, key, a) => expectMissing(t, key, 'createReviewInvitationRule', { sourceId: a.reviewSource, moment: 'TOUCHPOINT', touchpointType: 'delivery' }, 'NotFoundError'),
  deleteReviewInvitationRule: (t, key, a) => expectMissing(t, key, 'deleteReviewInvitationRule', { id: a.reviewInvitationRule }, 'NotFoundError'),
  createWebhookSubscription: (t, key) => expectMissing(t, key, 'createWebhookSubscription', { url: 'http://10.0.0.1/x' }, 'ValidationError'),
  updateWebhookSubscription: (t, key, a) => expectMissing(t, key, 'updateWebhookSubscription', { id: a.webhookSubscription, enabled: false }, 'NotFoundError'),
  deleteWebhookSubscription: (t, key, a) => expectMissing(t, key, 'deleteWebhookSubscription', { id: a.webhookSubscription }, 'NotFoundError'),
  replayWebhookDelivery: (t, key, a) => expectMissing(t, key, 'replayWebhookDelivery', { id: a.webhookDelivery }, 'NotFoundError'),
  updateFollowUp: (t, key, a) => expectMissing(t, key, 'updateFollowUp', { id: a.followUp, status: 'DONE' }, 'NotFoundError'),
  addFollowUpNote: (t, key, a) => expectMissing(t, key, 'addFollowUpNote', { id: a.followUp, author: 'B', text: 'x' }, 'NotFoundError'),
  closeLoopWithCustomer: (t, key, a) => expectMissing(t, key, 'closeLoopWithCustomer', { id: a.followUp, author: 'B', subject: 'x', message: 'y' }, 'NotFoundError'),
  setFollowUpRule: (t, key, a) => expectMissing(t, key, 'setFollowUpRule', { surveyId: a.survey, scoreMax: 5 }, 'ValidationError'),
  setOwnerMailPreference: (t, key) => expectMissing(t, key, 'setOwnerMailPreference', { email: 'not an address' }, 'ValidationError'),
  deleteFollowUpRule: (t, key, a) => expectMissing(t, key, 'deleteFollowUpRule', { id: a.followUpRule }, 'NotFoundError'),
  setFollowUpPolicy: (t, key) => expectMissing(t, key, 'setFollowUpPolicy', { slaHours: 0 }, 'ValidationError'),
  createImprovementAction: (t, key, a) => expectMissing(t, key, 'createImprovementAction', { title: 'x', impact: 1, effort: 1, followUpIds: [a.followUp] }, 'ValidationError'),
  updateImprovementAction: (t, key, a) => expectMissing(t, key, 'updateImprovementAction', { id: a.improvementAction, status: 'DONE' }, 'NotFoundError'),
  linkFeedbackToAction: (t, key, a) => expectMissing(t, key, 'linkFeedbackToAction', { id: a.improvementAction, followUpIds: [] }, 'NotFoundError'),
  publishImprovementAction: (t, key, a) => expectMissing(t, key, 'publishImprovementAction', { id: a.improvementAction }, 'NotFoundError'),
  removeCustomersFromSegment: (t, key, a) => expectMissing(t, key, 'removeCustomersFromSegment', { segmentId: a.staticSegment, customerIds: [a.customer] }, 'NotFoundError'),
  importCommerceData: (t, key) =>
    expectMissing(
      t,
      key,
      'importCommerceData',
      { orders: [{ externalId: 'o-1', customerExternalId: 'a-customer', amount: '5', currency: 'EUR', orderedAt: '2026-01-01T00:00:00Z' }] },
      'BulkImportRejectedError',
    ),
  importResponses: (t, key, a) =>
    expectMissing(
      t,
      key,
      'importResponses',
      { surveyId: a.survey, responses: [{ externalId: 'r-1', startedAt: '2025-01-01T00:00:00Z', answers: [{ questionId: a.question, score: 1 }] }] },
      'NotFoundError',
    ),
};

function rootFields(schema: GraphQLSchema, type: 'Query' | 'Mutation') {
  const root = type === 'Query' ? schema.getQueryType() : schema.getMutationType();
  return Object.keys(root?.getFields() ?? {}).sort();
}

const CALLERS = DATABASE_TARGETS.flatMap((target) => [
  { target, name: target.name, caller: 'an API key' },
  { target, name: target.name, caller: "an admin member's token" },
]);

describe.each(CALLERS)('tenancy on $name, as $caller', ({ target, caller }) => {
  let t: TestApp;
  let a: Ids;
  let bKey: string;
  let idp: TokenIssuer | undefined;

  beforeAll(async () => {
    t = await startTestApp(target);
    const wsA = await t.workspace('A');
    const wsB = await t.workspace('B');
    bKey = wsB.key;
    if (caller !== 'an API key') {
      // B's admin signs in through B's identity provider.
      idp = await startTokenIssuer();
      for (const ws of [wsB])
        await t.gql(ws.key, `mutation($input: ConfigureIdentityProviderInput!) { configureIdentityProvider(input: $input) { __typename } }`, { input: { issuer: idp.issuer, audience: 'cx-graph' } });
      await inviteMember(t.app.database.sql, wsB.id, 'OWNER', { email: 'admin@b.test', role: 'ADMIN', subject: 'b-admin' }, new Date());
      bKey = await idp.sign({ sub: 'b-admin', exp: Math.floor(Date.now() / 1000) + 3 * 3600 });
    }
    await t.gql(wsA.key, `mutation { configureIdentityProvider(input: { issuer: "https://a.example", audience: "a-audience" }) { __typename } }`);
    const m = await t.gql(wsA.key, `mutation { inviteMember(input: { email: "member@a.test", role: AGENT }) { ... on InviteMemberPayload { member { id } } } }`);
    const bu = await t.gql(wsA.key, `mutation { createBusinessUnit(input: { name: "Shop A", externalId: "a-bu" }) { ... on CreateBusinessUnitPayload { businessUnit { id } } } }`);
    const businessUnit = bu.body.data.createBusinessUnit.businessUnit.id;
    const c = await t.gql(
      wsA.key,
      `mutation($bu: ID!) { createCustomer(input: { externalId: "a-customer", lastName: "A", businessUnitId: $bu }) { ... on CreateCustomerPayload { customer { id } } } }`,
      { bu: businessUnit },
    );
    const customer = c.body.data.createCustomer.customer.id;
    const o = await t.gql(
      wsA.key,
      `mutation($c: ID!) { createOrder(input: { customerId: $c, amount: "10", currency: "EUR", orderedAt: "2026-01-01T00:00:00Z" }) { ... on CreateOrderPayload { order { id } } } }`,
      { c: customer },
    );
    const order = o.body.data.createOrder.order.id;
    const tp = await t.gql(
      wsA.key,
      `mutation($c: ID!, $o: ID!) { createTouchpoint(input: { customerId: $c, orderId: $o, type: "delivery", journeyPhase: DELIVERY, occurredAt: "2026-01-02T00:00:00Z" }) { ... on CreateTouchpointPayload { touchpoint { id } } } }`,
      { c: customer, o: order },
    );
    const touchpoint = tp.body.data.createTouchpoint.touchpoint.id;
    const k = await t.gql(wsA.key, `{ apiKeys(first: 1) { edges { node { id } } } }`);
    const sv = await t.gql(wsA.key, `mutation { createSurvey(input: { name: "A survey", kind: NPS }) { ... on CreateSurveyPayload { survey { id questions { id } } } } }`);
    const survey = sv.body.data.createSurvey.survey.id;
    const question = sv.body.data.createSurvey.survey.questions[0].id;
    await t.gql(wsA.key, `mutation($id: ID!) { updateSurvey(input: { id: $id, status: ACTIVE }) { __typename } }`, { id: survey });
    await t.gql(wsA.key, `mutation { configureSurveyChannel(input: { code: "widget", settings: { secret: "${'a'.repeat(32)}", allowedOrigins: ["https://a.example"] } }) { __typename } }`);
    const sent = await t.gql(
      wsA.key,
      `mutation($s: ID!, $c: ID!) { sendSurvey(input: { surveyId: $s, customerIds: [$c], channel: "link" }) { ... on SendSurveyPayload { result { invitations { id url } } } } }`,
      { s: survey, c: customer },
    );
    const invitation = sent.body.data.sendSurvey.result.invitations[0];
    await t.app.dispatcher.dispatchDue();
    const token = invitation.url.split('/s/')[1];
    const r = await t.gql(
      wsA.key,
      `mutation($token: String!, $q: ID!) { submitResponse(input: { token: $token, answers: [{ questionId: $q, score: 9 }] }) { ... on SubmitResponsePayload { response { id } } ... on Error { message } } }`,
      { token, q: question },
    );
    const seg = await t.gql(
      wsA.key,
      `mutation { createSegment(input: { name: "A dynamic", kind: DYNAMIC, modelCode: "nps-group", parameters: { group: "PROMOTERS" } }) { ... on CreateSegmentPayload { segment { id size } } } }`,
    );
    const stat = await t.gql(wsA.key, `mutation { createSegment(input: { name: "A static", kind: STATIC }) { ... on CreateSegmentPayload { segment { id } } } }`);
    await t.gql(wsA.key, `mutation($s: ID!, $c: ID!) { addCustomersToSegment(input: { segmentId: $s, customerIds: [$c] }) { __typename } }`, {
      s: stat.body.data.createSegment.segment.id,
      c: customer,
    });
    expect(seg.body.data.createSegment.segment.size).toBe(1);
    // Kiyoh pointed at a closed port: the invitation is recorded as FAILED, which is all this needs.
    const src = await t.gql(
      wsA.key,
      `mutation { connectReviewSource(input: { platformCode: "kiyoh", name: "A kiyoh", settings: { apiToken: "t", locationId: "1", apiBaseUrl: "http://127.0.0.1:9" } }) { ... on ConnectReviewSourcePayload { source { id } } } }`,
    );
    const reviewSource = src.body.data.connectReviewSource.source.id;
    await t.gql(wsA.key, `mutation($s: ID!) { importReviews(input: { sourceId: $s, csv: "externalId,rating,publishedAt,authorEmail\\na-review,2,2026-01-03T00:00:00Z,\\n" }) { __typename } }`, {
      s: reviewSource,
    });
    const rv = await t.gql(wsA.key, `{ reviews(first: 1) { edges { node { id } } } }`);
    const inv = await t.gql(
      wsA.key,
      `mutation($c: ID!, $s: ID!) { inviteToReview(input: { customerId: $c, sourceId: $s }) { ... on InviteToReviewPayload { invitation { id status } } ... on Error { message } } }`,
      { c: customer, s: reviewSource },
    );
    const rule = await t.gql(
      wsA.key,
      `mutation($s: ID!) { createReviewInvitationRule(input: { sourceId: $s, moment: TOUCHPOINT, touchpointType: "delivery" }) { ... on CreateReviewInvitationRulePayload { rule { id } } } }`,
      { s: reviewSource },
    );
    const fu = await t.gql(wsA.key, `{ followUps(first: 1) { edges { node { id } } } }`);
    const followUp = fu.body.data.followUps.edges[0].node.id;
    const fr = await t.gql(wsA.key, `mutation($s: ID!) { setFollowUpRule(input: { surveyId: $s, scoreMax: 4 }) { ... on SetFollowUpRulePayload { rule { id } } } }`, { s: survey });
    const act = await t.gql(
      wsA.key,
      `mutation($f: ID!) { createImprovementAction(input: { title: "A action", impact: 3, effort: 2, followUpIds: [$f], publicTexts: { nl: { said: "a", did: "b" } } }) { ... on CreateImprovementActionPayload { action { id } } } }`,
      { f: followUp },
    );
    const improvementAction = act.body.data.createImprovementAction.action.id;
    await t.gql(wsA.key, `mutation($id: ID!) { updateImprovementAction(input: { id: $id, status: DONE }) { __typename } }`, { id: improvementAction });
    await t.gql(wsA.key, `mutation($id: ID!) { publishImprovementAction(input: { id: $id }) { __typename } }`, { id: improvementAction });
    const sub = await t.gql(
      wsA.key,
      `mutation { createWebhookSubscription(input: { url: "http://127.0.0.1:9/hooks" }) { ... on CreateWebhookSubscriptionPayload { result { subscription { id } } } } }`,
    );
    await t.gql(wsA.key, `mutation($s: ID!) { importReviews(input: { sourceId: $s, csv: "externalId,rating,publishedAt\\na-review-2,9,2026-01-04T00:00:00Z\\n" }) { __typename } }`, {
      s: reviewSource,
    });
    await t.gql(wsA.key, `mutation { setOwnerMailPreference(input: { email: "owner-a@a.example", weeklyDigest: true }) { __typename } }`);
    await t.app.events.runOnce();
    const dl = await t.gql(wsA.key, `{ webhookDeliveries(first: 1) { edges { node { id } } } }`);
    a = {
      customer,
      order,
      touchpoint,
      businessUnit,
      apiKey: k.body.data.apiKeys.edges[0].node.id,
      survey,
      question,
      invitation: invitation.id,
      surveyResponse: r.body.data.submitResponse.response.id,
      token,
      segment: seg.body.data.createSegment.segment.id,
      staticSegment: stat.body.data.createSegment.segment.id,
      reviewSource,
      review: rv.body.data.reviews.edges[0].node.id,
      reviewInvitation: inv.body.data.inviteToReview.invitation.id,
      reviewInvitationRule: rule.body.data.createReviewInvitationRule.rule.id,
      followUp,
      followUpRule: fr.body.data.setFollowUpRule.rule.id,
      improvementAction,
      webhookSubscription: sub.body.data.createWebhookSubscription.result.subscription.id,
      webhookDelivery: dl.body.data.webhookDeliveries.edges[0].node.id,
      member: m.body.data.inviteMember.member.id,
    };
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('covers every query and mutation of the schema', () => {
    const schema = t.app.yoga.getEnveloped().schema as GraphQLSchema;
    expect(rootFields(schema, 'Query')).toEqual(Object.keys(QUERY_CHECKS).sort());
    expect(rootFields(schema, 'Mutation')).toEqual(Object.keys(MUTATION_CHECKS).sort());
  });

  it.each(Object.keys(QUERY_CHECKS))('query %s hides the other workspace', async (field) => {
    await QUERY_CHECKS[field]!(t, bKey, a);
  });

  it.each(Object.keys(MUTATION_CHECKS))('mutation %s cannot reach the other workspace', async (field) => {
    await MUTATION_CHECKS[field]!(t, bKey, a);
  });

  it("left A's data untouched", async () => {
    const rows = await t.app.database.prisma.customer.findMany({ where: { externalId: 'a-customer' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.city).toBeNull();
    const workspaceA = await t.app.database.prisma.workspace.findFirstOrThrow({ where: { name: 'A' } });
    expect(workspaceA.contactCap).toBe(2);
    const surveyA = await t.app.database.prisma.survey.findFirstOrThrow({ where: { workspaceId: workspaceA.id } });
    expect(surveyA.name).toBe('A survey');
    expect(await t.app.database.prisma.segmentMembership.count({ where: { workspaceId: workspaceA.id, leftAt: null } })).toBe(2);
    const settingA = await t.app.database.prisma.surveyChannelSetting.findFirstOrThrow({ where: { workspaceId: workspaceA.id, code: 'widget' } });
    expect((settingA.settings as { allowedOrigins: string[] }).allowedOrigins).toEqual(['https://a.example']);
    expect(await t.app.database.prisma.order.count({ where: { id: Buffer.from(a.order, 'base64').toString().split(':')[1] } })).toBe(1);
  });

  it('every root field declares its auth scopes', () => {
    const schema = t.app.yoga.getEnveloped().schema as GraphQLSchema;
    for (const type of ['Query', 'Mutation'] as const) {
      const root = type === 'Query' ? schema.getQueryType() : schema.getMutationType();
      for (const field of Object.values(root?.getFields() ?? {})) {
        if (field.name === 'node' || field.name === 'nodes') continue; // checked per type below
        const options = field.extensions?.pothosOptions as { authScopes?: unknown } | undefined;
        expect(options?.authScopes, `${type}.${field.name}`).toBeDefined();
      }
    }
    for (const name of ['Customer', 'Order', 'Touchpoint', 'BusinessUnit', 'ApiKey', 'Survey', 'Question', 'Invitation', 'SurveyResponse', 'Segment']) {
      const type = schema.getType(name);
      expect((type?.extensions?.pothosOptions as { authScopes?: unknown } | undefined)?.authScopes, name).toBeTruthy();
    }
  });
});
