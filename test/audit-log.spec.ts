import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { targetIdsOf } from '../src/core/audit/audit-log.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';
import { surveyApi } from './support/survey-helpers.js';

const AUDIT = `query($f: AuditLogFilter) { auditLog(first: 50, filter: $f) { edges { node { operation outcome actorType apiKeyId targetIds requestId occurredAt } } } }`;

describe('targetIdsOf', () => {
  it.each([
    [{ input: { id: 'Q3:1', firstName: 'Anna', email: 'anna@example.com' } }, ['Q3:1']],
    [{ input: { surveyId: 'S', customerIds: ['C1', 'C2'], idempotencyKey: 'k' } }, ['S', 'C1', 'C2']],
    [{ input: { customerId: 'C', attributes: { note: 'Anna says id' }, answers: [{ questionId: 'Q', text: 'mijn adres is ...' }] } }, ['C', 'Q']],
    [{ input: { name: 'Sanne', text: 'Beste mevrouw De Vries' } }, []],
    [{ input: { externalId: 'crm-123', customerExternalId: 'crm-9', businessUnitId: 'B' } }, ['B']],
  ])('%o -> %o', (args, expected) => {
    expect(targetIdsOf(args)).toEqual(expected);
  });
});

describe.each(DATABASE_TARGETS)('the audit log ($name)', (target) => {
  let t: TestApp;
  let api: ReturnType<typeof surveyApi>;
  let key: string;
  const clock = new ManualClock('2026-04-01T08:00:00Z');

  beforeAll(async () => {
    t = await startTestApp(target, { clock });
    ({ key } = await t.workspace('Audit'));
    api = surveyApi(t, key);
  });
  afterAll(async () => {
    await t.close();
  });

  it('records every write and every export with the key, the ids and the outcome, never a personal value', async () => {
    const customerId = await api.customer({ firstName: 'Auditje', email: 'auditje@example.com' });
    clock.advance({ minutes: 1 });
    await api.ok(`mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { __typename } }`, { input: { id: customerId, city: 'Utrecht' } });
    clock.advance({ minutes: 1 });
    const invalid = await api.ok(`mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { __typename } }`, { input: { id: customerId, email: 'not-an-address' } });
    expect(invalid.updateCustomer.__typename).toBe('ValidationError');
    clock.advance({ minutes: 1 });
    await api.ok(`query($id: ID!) { exportCustomerData(customerId: $id) }`, { id: customerId });
    clock.advance({ minutes: 1 });
    const reader = (
      await api.ok(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreateApiKeyPayload { created { secret apiKey { id } } } } }`, {
        input: { name: 'reader', scopes: ['customers:read'] },
      })
    ).createApiKey.created;
    clock.advance({ minutes: 1 });
    const refused = await t.gql(reader.secret, `mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { __typename } }`, { input: { id: customerId, city: 'Delft' } });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const entries = (await api.ok(AUDIT, { f: { targetId: customerId } })).auditLog.edges.map((edge: Loose) => edge.node);
    expect(entries.map((entry: Loose) => [entry.operation, entry.outcome])).toEqual([
      ['updateCustomer', 'FORBIDDEN'],
      ['exportCustomerData', 'OK'],
      ['updateCustomer', 'VALIDATION_FAILED'],
      ['updateCustomer', 'OK'],
      ['createCustomer', 'OK'],
    ]);
    expect(entries[0].apiKeyId).toBe(reader.apiKey.id);
    expect(entries.every((entry: Loose) => entry.actorType === 'API_KEY' && entry.requestId)).toBe(true);
    expect(entries.at(-1).occurredAt).toBe('2026-04-01T08:00:00.000Z');
    // Ids and codes only: nothing the customer is called or wrote.
    expect(JSON.stringify(entries)).not.toMatch(/Auditje|auditje@example.com|Utrecht|not-an-address/);
    // Filters and admin only.
    expect((await api.ok(AUDIT, { f: { operation: 'createApiKey' } })).auditLog.edges).toHaveLength(1);
    expect((await t.gql(reader.secret, AUDIT, {})).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
