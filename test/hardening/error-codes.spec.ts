import { isObjectType, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BulkImportRejectedError,
  ConflictError,
  IdempotencyKeyReusedError,
  InUseError,
  NotFoundError,
  PlatformFailedError,
  SelectiveInvitationRefusedError,
  UnknownContributionError,
  ValidationError,
} from '../../src/core/errors.js';
import { DATABASE_TARGETS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/harness.js';

/** One instance of every error type the API returns, with the code clients must see. */
const SAMPLES: Record<string, [Error, string]> = {
  ValidationError: [new ValidationError([{ path: ['input', 'email'], message: 'bad' }]), 'VALIDATION_FAILED'],
  NotFoundError: [new NotFoundError('Customer', 'x'), 'NOT_FOUND'],
  ConflictError: [new ConflictError('externalId', 'taken'), 'CONFLICT'],
  InUseError: [new InUseError('BusinessUnit', 'in use'), 'IN_USE'],
  BulkImportRejectedError: [new BulkImportRejectedError([]), 'BULK_IMPORT_REJECTED'],
  UnknownContributionError: [new UnknownContributionError('survey channel', 'pigeon'), 'UNKNOWN_CONTRIBUTION'],
  PlatformFailedError: [new PlatformFailedError('trustpilot', 'auth', 'refused'), 'PLATFORM_FAILED'],
  SelectiveInvitationRefusedError: [new SelectiveInvitationRefusedError('input.customerId', 'Google', 'Invite everyone.'), 'SELECTIVE_INVITATION_REFUSED'],
  IdempotencyKeyReusedError: [new IdempotencyKeyReusedError('input.idempotencyKey'), 'IDEMPOTENCY_KEY_REUSED'],
};

describe.each(DATABASE_TARGETS)('Error.code on $name', (target) => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp(target);
    ({ key } = await t.workspace());
  });
  afterAll(() => t.close());

  it('every error type in the schema resolves its domain code (none is left out)', () => {
    const schema = t.app.yoga.getEnveloped().schema as GraphQLSchema;
    const errorTypes = Object.values(schema.getTypeMap()).filter((type) => isObjectType(type) && type.getInterfaces().some((iface) => iface.name === 'Error'));
    expect(errorTypes.map((type) => type.name).sort()).toEqual(Object.keys(SAMPLES).sort());
    for (const type of errorTypes) {
      if (!isObjectType(type)) continue;
      const [sample, code] = SAMPLES[type.name]!;
      const field = type.getFields().code!;
      expect(field.resolve!(sample, {}, {}, {} as never), type.name).toBe(code);
    }
  });

  it('selecting code through the API gives the domain code', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['mutation { createCustomer(input: { email: "not-an-email" }) { ... on Error { __typename code } } }', {}, 'VALIDATION_FAILED'],
      [
        'mutation ($id: ID!) { deleteCustomer(input: { id: $id }) { ... on Error { __typename code } } }',
        { id: Buffer.from('Customer:00000000-0000-4000-8000-000000000000').toString('base64') },
        'NOT_FOUND',
      ],
      ['mutation { createCustomer(input: { externalId: "dup" }) { ... on Error { __typename code } } }', {}, ''],
      ['mutation { createCustomer(input: { externalId: "dup" }) { ... on Error { __typename code } } }', {}, 'CONFLICT'],
      ['mutation { importCommerceData(input: { customers: [{ externalId: "" }] }) { ... on Error { __typename code } } }', {}, 'BULK_IMPORT_REJECTED'],
    ];
    for (const [query, variables, code] of cases) {
      const res = await t.gql(key, query, variables);
      expect(res.body.errors, query).toBeUndefined();
      const payload = Object.values(res.body.data ?? {})[0] as { code?: string };
      if (code) expect(payload.code, query).toBe(code);
    }
    const unit = await t.gql(key, 'mutation { createBusinessUnit(input: { name: "North" }) { ... on CreateBusinessUnitPayload { businessUnit { id } } } }');
    const unitId = unit.body.data.createBusinessUnit.businessUnit.id;
    await t.gql(key, 'mutation ($u: ID!) { createCustomer(input: { businessUnitId: $u }) { __typename } }', { u: unitId });
    const inUse = await t.gql(key, 'mutation ($u: ID!) { deleteBusinessUnit(input: { id: $u }) { ... on Error { __typename code } } }', { u: unitId });
    expect(inUse.body.data.deleteBusinessUnit).toEqual({ __typename: 'InUseError', code: 'IN_USE' });
  });
});
