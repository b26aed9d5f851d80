import { decodeJwt, decodeProtectedHeader, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteMember } from '../src/core/workspaces/members.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { API_AUDIENCE, OidcServer, signingKey } from './support/oidc-server.js';

/** End to end against a real OpenID Connect provider on loopback: discovery, JWKS, key rotation. */
describe.each(DATABASE_TARGETS)('sign-in through an OpenID Connect provider on $name', (target) => {
  let t: TestApp;
  let idp: OidcServer;
  let first: JWK;
  let workspace: { id: string; key: string };

  beforeAll(async () => {
    // Keys are refetched at most once a second when a token names an unknown key id.
    t = await startTestApp(target, { env: { OIDC_JWKS_COOLDOWN_SECONDS: '1' } });
    idp = new OidcServer();
    first = await signingKey('first');
    await idp.start([first]);
    workspace = await t.workspace('Acme');
    const configured = await t.gql(
      workspace.key,
      `mutation($input: ConfigureIdentityProviderInput!) { configureIdentityProvider(input: $input) { __typename ... on ValidationError { issues { path message } } } }`,
      {
        input: { issuer: idp.issuer, audience: API_AUDIENCE },
      },
    );
    expect(configured.body.data.configureIdentityProvider.__typename).toBe('ConfigureIdentityProviderPayload');
    await inviteMember(t.app.database.sql, workspace.id, 'OWNER', { email: 'alice@acme.test', role: 'ANALYST', name: 'Alice' }, new Date());
    await inviteMember(t.app.database.sql, workspace.id, 'OWNER', { email: 'victor@acme.test', role: 'VIEWER', name: 'Victor' }, new Date());
  });
  afterAll(async () => {
    await idp?.stop();
    await t?.close();
  });

  const viewerWith = (token: string) =>
    t.http('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { kind role member { email signedIn } } }' }),
    });

  /** A new key id is fetched at most once per cooldown (1 s here): retry until then, never longer than 5 s. */
  async function statusWhenSettled(token: string): Promise<number> {
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt += 1) {
      status = (await viewerWith(token)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return status;
  }

  it('signs a member in with the access token of the authorization code flow (discovery, then the JWKS)', async () => {
    const token = await idp.signIn('alice');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: 'first', typ: 'at+jwt' });
    expect(decodeJwt(token)).toMatchObject({ iss: idp.issuer, aud: API_AUDIENCE, sub: 'alice' });
    const response = await viewerWith(token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { viewer: { kind: 'MEMBER', role: 'ANALYST', member: { email: 'alice@acme.test', signedIn: true } } } });
    const row = await t.app.database.prisma.member.findFirstOrThrow({ where: { workspaceId: workspace.id, email: 'alice@acme.test' } });
    expect(row.subject).toBe('alice');
  });

  it('a VIEWER signed in through the provider gets customers without their names', async () => {
    await t.gql(workspace.key, `mutation { createCustomer(input: { lastName: "Jansen", country: "NL" }) { __typename } }`);
    const token = await idp.signIn('victor');
    const response = await t.http('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ customers(first: 5) { edges { node { country lastName } } } }' }),
    });
    const body = (await response.json()) as { data: { customers: { edges: Array<{ node: unknown }> } }; errors: Array<{ extensions: { code: string } }> };
    expect(body.data.customers.edges[0]!.node).toEqual({ country: 'NL', lastName: null });
    expect(body.errors[0]!.extensions.code).toBe('FORBIDDEN');
  });

  it('follows a key rotation while both keep running', async () => {
    const before = await idp.signIn('alice');
    // The provider starts signing with a new key and keeps publishing the old one for tokens in flight.
    await idp.stop();
    await idp.start([await signingKey('second'), first]);
    const after = await idp.signIn('alice');
    expect(decodeProtectedHeader(after).kid).toBe('second');
    expect(await statusWhenSettled(after)).toBe(200);
    expect((await viewerWith(before)).status).toBe(200);
    // Then the old key is retired: once the server has refetched the key set, tokens signed with it are refused.
    await idp.stop();
    await idp.start([await signingKey('third')]);
    const third = await idp.signIn('alice');
    expect(await statusWhenSettled(third)).toBe(200);
    const retired = await viewerWith(before);
    expect(retired.status).toBe(401);
    expect(((await retired.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('TOKEN_KEY_UNKNOWN');
  });

  it('answers 503 (not 500) while the provider is down and its keys are not cached', async () => {
    await t.gql(workspace.key, `mutation($input: ConfigureIdentityProviderInput!) { configureIdentityProvider(input: $input) { __typename } }`, {
      input: { issuer: idp.issuer, audience: API_AUDIENCE, jwksUrl: `${idp.issuer}/jwks-moved` },
    });
    const token = await idp.signIn('alice');
    await idp.stop();
    const response = await viewerWith(token);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('IDENTITY_PROVIDER_UNAVAILABLE');
    await idp.start([await signingKey('fourth')]);
  });
});
