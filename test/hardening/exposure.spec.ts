import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/harness.js';

const post = (t: TestApp, body: unknown, headers: Record<string, string> = {}) =>
  t.http('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe.each(DATABASE_TARGETS)('what a production server gives away, on $name', (target) => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp(target, { env: { NODE_ENV: 'production', CORS_ORIGINS: 'https://app.example.com,https://admin.example.com' } });
    ({ key } = await t.workspace());
  });
  afterAll(() => t.close());

  it('names no field, type or enum value it was not asked about', async () => {
    const field = await t.gql(key, '{ customer { id } }');
    expect(field.body.errors?.length).toBeGreaterThan(0);
    const enumLiteral = await t.gql(key, '{ customers(first: 1, orderBy: { field: CREATED_A, direction: ASC }) { edges { cursor } } }');
    const enumVariable = await t.gql(key, 'query ($d: InvitationStatus!) { invitations(first: 1, filter: { statuses: [$d] }) { edges { cursor } } }', { d: 'SENTT' });
    const type = await t.gql(key, 'query ($f: CustomerFiltr) { viewer { apiKeyId } }', { f: {} });
    for (const res of [field, enumLiteral, enumVariable, type]) {
      expect(res.body.errors?.length, JSON.stringify(res.body)).toBeGreaterThan(0);
      for (const error of res.body.errors ?? []) expect(error.message).not.toMatch(/did you mean/i);
    }
    expect(enumVariable.body.errors?.[0]?.message).toMatch(/SENTT/);
  });

  it('refuses a request without valid credentials before parsing or validating it', async () => {
    for (const headers of [{}, { authorization: 'Bearer cxk_nope_nope' }] as Array<Record<string, string>>) {
      const res = await post(t, { query: '{ custmers { id } } {{{' }, headers);
      expect(res.status).toBe(401);
      const body = (await res.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
      expect(body.errors[0]!.message).not.toMatch(/custmers|Syntax|Cannot query/);
    }
  });

  it('refuses introspection', async () => {
    const res = await t.gql(key, '{ __schema { types { name } } }');
    expect(res.body.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('allows only the configured origins, without credentials, and exposes the request id to them', async () => {
    const allowed = await post(t, { query: '{ viewer { apiKeyId } }' }, { authorization: `Bearer ${key}`, origin: 'https://app.example.com' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect(allowed.headers.get('access-control-expose-headers')).toMatch(/x-request-id/i);
    const preflight = await t.http('/graphql', {
      method: 'OPTIONS',
      headers: { origin: 'https://admin.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    for (const origin of ['https://evil.example', 'null', 'https://app.example.com.evil.example']) {
      const refused = await post(t, { query: '{ viewer { apiKeyId } }' }, { authorization: `Bearer ${key}`, origin });
      expect(refused.headers.get('access-control-allow-origin'), origin).toBeNull();
      const refusedPreflight = await t.http('/graphql', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(refusedPreflight.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });
});

describe('CORS defaults', () => {
  it('allows no origin in production unless configured', async () => {
    const t = await startTestApp(DATABASE_TARGETS[0]!, { env: { NODE_ENV: 'production' } });
    try {
      const { key } = await t.workspace();
      const res = await post(t, { query: '{ viewer { apiKeyId } }' }, { authorization: `Bearer ${key}`, origin: 'https://app.example.com' });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await t.close();
    }
  });
});
