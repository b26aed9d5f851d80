import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';

describe.each(DATABASE_TARGETS)('API keys on $name', (target) => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp(target);
    ({ key: admin } = await t.workspace());
  });
  afterAll(() => t?.close());

  const createKey = async (scopes: string[]) => {
    const res = await t.gql(
      admin,
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { __typename ... on CreateApiKeyPayload { created { secret apiKey { id prefix scopes } } } ... on ValidationError { issues { path message } } } }`,
      { input: { name: 'partner', scopes } },
    );
    return res.body.data.createApiKey;
  };

  it.each([
    ['no key', null, 'Missing API key'],
    ['a malformed key', 'hello', 'Invalid API key'],
    ['an unknown key of the right shape', `cxk_${'a'.repeat(12)}_${'b'.repeat(43)}`, 'Invalid API key'],
  ])('answers 401 with a clear error for %s', async (_label, key, message) => {
    const res = await t.gql(key, '{ viewer { scopes } }');
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]).toMatchObject({ message: expect.stringContaining(message), extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('creates a key with 256 random bits, shown once and stored only as a hash', async () => {
    const created = await createKey(['customers:read']);
    expect(created.created.secret).toMatch(/^cxk_[\w-]{12}_[\w-]{43}$/);
    const row = await t.app.database.prisma.apiKey.findUnique({ where: { prefix: created.created.apiKey.prefix } });
    expect(row?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.created.secret.slice(-43));
  });

  it('rejects unknown scopes, naming the field', async () => {
    const created = await createKey(['customers:read', 'everything']);
    expect(created.__typename).toBe('ValidationError');
    expect(created.issues[0].path).toEqual(['input', 'scopes', '1']);
  });

  it('enforces scopes: a read key reads but cannot write or manage keys', async () => {
    const { created } = await createKey(['customers:read']);
    const read = await t.gql(created.secret, '{ customers(first: 1) { edges { node { id } } } }');
    expect(read.body.errors).toBeUndefined();
    const write = await t.gql(created.secret, 'mutation { createCustomer(input: { lastName: "X" }) { __typename } }');
    expect(write.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const keys = await t.gql(created.secret, '{ apiKeys(first: 1) { edges { node { id } } } }');
    expect(keys.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await t.app.database.prisma.customer.count({ where: { lastName: 'X' } })).toBe(0);
  });

  it('records when a key was last used', async () => {
    const { created } = await createKey(['metrics:read']);
    await t.gql(created.secret, '{ viewer { scopes } }');
    const row = await t.app.database.prisma.apiKey.findUnique({ where: { prefix: created.apiKey.prefix } });
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('revokes a key at once', async () => {
    const { created } = await createKey(['customers:write']);
    expect((await t.gql(created.secret, '{ viewer { scopes } }')).status).toBe(200);
    const revoked = await t.gql(admin, `mutation($id: ID!) { revokeApiKey(input: { id: $id }) { __typename ... on RevokeApiKeyPayload { apiKey { revokedAt } } } }`, { id: created.apiKey.id });
    expect(revoked.body.data.revokeApiKey.apiKey.revokedAt).toBeTruthy();
    const after = await t.gql(created.secret, '{ viewer { scopes } }');
    expect(after.status).toBe(401);
    expect(after.body.errors?.[0]?.message).toContain('revoked');
  });
});
