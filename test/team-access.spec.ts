import { getNamedType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_GRANTS, ROLES, type Role } from '../src/core/auth/roles.js';
import { allows, type Area } from '../src/core/auth/scopes.js';
import { inviteMember } from '../src/core/workspaces/members.js';
import { OTHER_FIELDS, PERSONAL_FIELDS, textFields } from '../src/schema/personal-fields.js';
import { DATABASE_TARGETS } from './support/databases.js';
import type { Loose, TestApp } from './support/harness.js';
import { startTestApp } from './support/harness.js';
import { minimalOperation, selectionOf } from './support/schema-walk.js';
import { surveyApi } from './support/survey-helpers.js';
import { startTokenIssuer, type TokenIssuer } from './support/token-issuer.js';

const SENTINEL = /zqxj|612345678/i;
const email = (role: Role, tag = 'acme') => `${role.toLowerCase()}@${tag}.test`;

/** Whether a role's scopes satisfy a root field's declared authScopes (Pothos: any of the entries). */
function expectedAllowed(role: Role, authScopes: unknown): boolean | null {
  if (authScopes === undefined) return true;
  if (typeof authScopes !== 'object' || authScopes === null) return null;
  const granted = new Set(ROLE_GRANTS[role].scopes);
  return Object.entries(authScopes).some(([scope, value]) => {
    if (scope === 'authenticated') return true;
    if (scope === 'admin') return allows(granted, 'admin');
    if (scope === 'exportPersonalData') return allows(granted, 'export');
    if (scope === 'read' || scope === 'write') return allows(granted, scope, value as Area);
    throw new Error(`unknown auth scope ${scope}`);
  });
}

/** Arguments that must not destroy the walk's own workspace or sign-in. */
const SAFE_ARGUMENTS: Record<string, Record<string, string>> = {
  deleteWorkspace: { confirmName: '"not this one"' },
  removeIdentityProvider: { confirm: 'false' },
};

async function fingerprint(t: TestApp): Promise<Record<string, string>> {
  return t.app.database.sql.session(async (conn) => {
    const tables = await conn.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('AuditEntry', 'Member', 'ApiKey', '_prisma_migrations') ORDER BY 1`,
    );
    const result: Record<string, string> = {};
    for (const { name } of tables) {
      const [row] = await conn.query<{ h: string }>(`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${name}" x`);
      result[name] = row!.h;
    }
    return result;
  });
}

async function gqlAs(t: TestApp, token: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await t.http('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Loose };
}

describe.each(DATABASE_TARGETS)('team access on $name', (target) => {
  let t: TestApp;
  let idp: TokenIssuer;
  let acme: { id: string; key: string };
  const tokenFor = (role: Role, extra: Record<string, unknown> = {}) => idp.sign({ sub: `sub-${role}`, email: email(role), email_verified: true, ...extra });

  beforeAll(async () => {
    t = await startTestApp(target, {
      env: {
        OIDC_JWKS_COOLDOWN_SECONDS: '0',
        // No recompute of dynamic segments in the middle of a fingerprint.
        SEGMENT_RECOMPUTE_DELAY_SECONDS: '3600',
        GRAPHQL_MAX_DEPTH: '40',
        GRAPHQL_MAX_TOKENS: '100000',
        GRAPHQL_MAX_QUERY_LENGTH: '2000000',
        GRAPHQL_MAX_ALIASES: '1000',
        GRAPHQL_MAX_COST: '100000000',
      },
    });
    idp = await startTokenIssuer();
    acme = await t.workspace('Acme');
    const configured = await t.gql(
      acme.key,
      `mutation($input: ConfigureIdentityProviderInput!) { configureIdentityProvider(input: $input) { __typename ... on ConfigureIdentityProviderPayload { identityProvider { issuer audience } } } }`,
      {
        input: { issuer: idp.issuer, audience: 'cx-graph' },
      },
    );
    expect(configured.body.data.configureIdentityProvider.identityProvider).toEqual({ issuer: idp.issuer, audience: 'cx-graph' });
    // The first owner comes from the CLI (which acts as an owner); the rest are invited by an admin key.
    await inviteMember(t.app.database.sql, acme.id, 'OWNER', { email: email('OWNER'), role: 'OWNER', name: 'Olga Owner' }, new Date());
    for (const role of ROLES.filter((r) => r !== 'OWNER')) {
      const res = await t.gql(acme.key, `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { __typename ... on InviteMemberPayload { member { email role signedIn } } } }`, {
        input: { email: email(role).toUpperCase(), role, name: `${role[0]}${role.slice(1).toLowerCase()} Person` },
      });
      expect(res.body.data.inviteMember.member).toEqual({ email: email(role), role, signedIn: false });
    }
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  describe('members', () => {
    it('an admin key cannot make an owner; a duplicate e-mail and a bad locale are typed errors naming the field', async () => {
      const owner = await t.gql(acme.key, `mutation { inviteMember(input: { email: "second-owner@acme.test", role: OWNER }) { __typename } }`);
      expect(owner.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const duplicate = await t.gql(acme.key, `mutation { inviteMember(input: { email: "analyst@acme.test", role: AGENT }) { __typename ... on ConflictError { field message } } }`);
      expect(duplicate.body.data.inviteMember).toMatchObject({ __typename: 'ConflictError', field: 'input.email' });
      const locale = await t.gql(acme.key, `mutation { inviteMember(input: { email: "x@acme.test", role: AGENT, locale: "xx" }) { __typename ... on ValidationError { issues { path } } } }`);
      expect(locale.body.data.inviteMember.issues[0].path).toEqual(['input', 'locale']);
      expect(await t.app.database.prisma.member.count({ where: { workspaceId: acme.id, email: { in: ['second-owner@acme.test', 'x@acme.test'] } } })).toBe(0);
    });

    it('the last owner can be neither demoted nor removed; an admin cannot touch an owner', async () => {
      const ownerToken = await tokenFor('OWNER');
      const list = await gqlAs(t, ownerToken, `{ members(first: 10) { edges { node { id email role } } } }`);
      const owner = list.body.data.members.edges.map((edge: Loose) => edge.node).find((node: Loose) => node.role === 'OWNER');
      const demote = await gqlAs(t, ownerToken, `mutation($id: ID!) { changeMemberRole(input: { id: $id, role: ADMIN }) { __typename ... on ConflictError { message } } }`, { id: owner.id });
      expect(demote.body.data.changeMemberRole).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('last owner') });
      const remove = await gqlAs(t, ownerToken, `mutation($id: ID!) { removeMember(input: { id: $id }) { __typename } }`, { id: owner.id });
      expect(remove.body.data.removeMember.__typename).toBe('ConflictError');
      const byAdmin = await gqlAs(t, await tokenFor('ADMIN'), `mutation($id: ID!) { removeMember(input: { id: $id }) { __typename } }`, { id: owner.id });
      expect(byAdmin.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await t.app.database.prisma.member.count({ where: { workspaceId: acme.id, role: 'OWNER', removedAt: null } })).toBe(1);
    });

    it('a removed member is refused at once, and comes back when invited again', async () => {
      await t.gql(acme.key, `mutation { inviteMember(input: { email: "leaver@acme.test", role: AGENT }) { __typename } }`);
      const token = await idp.sign({ sub: 'sub-leaver', email: 'leaver@acme.test' });
      expect((await gqlAs(t, token, '{ viewer { role } }')).body.data.viewer.role).toBe('AGENT');
      const row = await t.app.database.prisma.member.findFirstOrThrow({ where: { email: 'leaver@acme.test' } });
      const id = Buffer.from(`Member:${row.id}`).toString('base64');
      const removed = await t.gql(acme.key, `mutation($id: ID!) { removeMember(input: { id: $id }) { __typename ... on RemoveMemberPayload { member { removedAt } } } }`, { id });
      expect(removed.body.data.removeMember.member.removedAt).toBeTruthy();
      const refused = await gqlAs(t, token, '{ viewer { role } }');
      expect(refused.status).toBe(401);
      expect(refused.body.errors[0].extensions.code).toBe('NOT_A_MEMBER');
      await t.gql(acme.key, `mutation { inviteMember(input: { email: "leaver@acme.test", role: VIEWER }) { __typename } }`);
      expect((await gqlAs(t, token, '{ viewer { role } }')).body.data.viewer.role).toBe('VIEWER');
    });
  });

  describe('signing in with a token', () => {
    it('maps the verified e-mail at the first sign-in, then the subject alone', async () => {
      const first = await gqlAs(t, await tokenFor('ANALYST'), `{ viewer { kind role apiKeyId personalData scopes member { email name signedIn } } }`);
      expect(first.body.data.viewer).toMatchObject({ kind: 'MEMBER', role: 'ANALYST', apiKeyId: null, personalData: true, member: { email: 'analyst@acme.test', signedIn: true } });
      expect(first.body.data.viewer.scopes).toContain('segments:write');
      const row = await t.app.database.prisma.member.findFirstOrThrow({ where: { workspaceId: acme.id, email: 'analyst@acme.test' } });
      expect(row.subject).toBe('sub-ANALYST');
      const bySubject = await gqlAs(t, await idp.sign({ sub: 'sub-ANALYST' }), `{ viewer { role } }`);
      expect(bySubject.body.data.viewer.role).toBe('ANALYST');
      // Another person presenting the analyst's e-mail, unverified, is not let in.
      const unverified = await gqlAs(t, await idp.sign({ sub: 'someone-else', email: 'viewer@acme.test', email_verified: false }), `{ viewer { role } }`);
      expect(unverified.body.errors[0].extensions.code).toBe('NOT_A_MEMBER');
    });

    it.each<[string, () => Promise<string>, string]>([
      ['an expired token', () => idp.sign({ sub: 'sub-ADMIN', exp: Math.floor(Date.now() / 1000) - 3600 }), 'TOKEN_EXPIRED'],
      ['a token not valid yet', () => idp.sign({ sub: 'sub-ADMIN', nbf: Math.floor(Date.now() / 1000) + 3600 }), 'TOKEN_NOT_YET_VALID'],
      ['a token for another audience', () => idp.sign({ sub: 'sub-ADMIN', aud: 'another-api' }), 'TOKEN_AUDIENCE_MISMATCH'],
      ['a token of an issuer no workspace trusts', () => idp.sign({ sub: 'sub-ADMIN', iss: 'https://evil.example' }), 'TOKEN_ISSUER_UNKNOWN'],
      ['a token signed by an unknown key', () => idp.sign({ sub: 'sub-ADMIN' }, { key: 'unpublished' }), 'TOKEN_KEY_UNKNOWN'],
      ['a token with a key id the provider does not publish', () => idp.sign({ sub: 'sub-ADMIN' }, { kid: 'no-such-kid' }), 'TOKEN_KEY_UNKNOWN'],
      [
        'an unsigned token (alg none)',
        async () => {
          const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
          return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: idp.issuer, aud: 'cx-graph', sub: 'sub-ADMIN', exp: Math.floor(Date.now() / 1000) + 300 })}.`;
        },
        'TOKEN_INVALID',
      ],
      [
        'a token whose claims were changed after signing',
        async () => {
          const [header, , signature] = (await idp.sign({ sub: 'sub-VIEWER' })).split('.');
          const forged = Buffer.from(JSON.stringify({ iss: idp.issuer, aud: 'cx-graph', sub: 'sub-OWNER', exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url');
          return `${header}.${forged}.${signature}`;
        },
        'TOKEN_INVALID',
      ],
      [
        'a token signed with a shared secret (HS256)',
        async () => {
          const { SignJWT } = await import('jose');
          return new SignJWT({ iss: idp.issuer, aud: 'cx-graph', sub: 'sub-ADMIN' })
            .setProtectedHeader({ alg: 'HS256' })
            .setExpirationTime('5m')
            .sign(new TextEncoder().encode('a'.repeat(32)));
        },
        'TOKEN_INVALID',
      ],
      ['a valid token of a person who is no member', () => idp.sign({ sub: 'stranger', email: 'stranger@acme.test' }), 'NOT_A_MEMBER'],
      ['a token without a subject', () => idp.sign({ email: 'admin@acme.test' }), 'TOKEN_INVALID'],
      ['garbage shaped like a JWT', async () => 'eyJhbGciOi.eyJzdWIi.abc', 'TOKEN_INVALID'],
    ])('refuses %s with 401 and a clear code', async (_label, make, code) => {
      const res = await gqlAs(t, await make(), '{ viewer { role } }');
      expect(res.status).toBe(401);
      expect(res.body.errors[0].extensions.code).toBe(code);
      expect(res.headers.get('www-authenticate')).toContain('invalid_token');
      expect(res.body.data ?? null).toBeNull();
    });

    it('picks up a rotated key while running, and drops a retired one', async () => {
      const before = await tokenFor('ADMIN');
      expect((await gqlAs(t, before, '{ viewer { role } }')).body.data.viewer.role).toBe('ADMIN');
      const fetched = idp.fetches.jwks;
      await idp.rotate();
      idp.retireOldKeys();
      const after = await tokenFor('ADMIN');
      expect((await gqlAs(t, after, '{ viewer { role } }')).body.data.viewer.role).toBe('ADMIN');
      expect(idp.fetches.jwks).toBeGreaterThan(fetched);
      const retired = await gqlAs(t, before, '{ viewer { role } }');
      expect(retired.body.errors[0].extensions.code).toBe('TOKEN_KEY_UNKNOWN');
    });

    it('asks which workspace when a person is a member of several, and takes X-Workspace-Id', async () => {
      const other = await t.workspace('Acme Belgium');
      await t.gql(other.key, `mutation($input: ConfigureIdentityProviderInput!) { configureIdentityProvider(input: $input) { __typename } }`, { input: { issuer: idp.issuer, audience: 'cx-graph' } });
      await t.gql(other.key, `mutation { inviteMember(input: { email: "twice@acme.test", role: ANALYST }) { __typename } }`);
      await t.gql(acme.key, `mutation { inviteMember(input: { email: "twice@acme.test", role: AGENT }) { __typename } }`);
      const token = await idp.sign({ sub: 'sub-twice', email: 'twice@acme.test' });
      const ambiguous = await gqlAs(t, token, '{ viewer { role } }');
      expect(ambiguous.status).toBe(401);
      expect(ambiguous.body.errors[0].extensions.code).toBe('WORKSPACE_REQUIRED');
      const inOther = await gqlAs(t, token, '{ viewer { role } workspace { name } }', {}, { 'x-workspace-id': other.id });
      expect(inOther.body.data).toEqual({ viewer: { role: 'ANALYST' }, workspace: { name: 'Acme Belgium' } });
      const inAcme = await gqlAs(t, token, '{ viewer { role } workspace { name } }', {}, { 'x-workspace-id': acme.id });
      expect(inAcme.body.data).toEqual({ viewer: { role: 'AGENT' }, workspace: { name: 'Acme' } });
      const foreign = await gqlAs(t, token, '{ viewer { role } }', {}, { 'x-workspace-id': '3f1c1b8e-0000-4000-8000-000000000000' });
      expect(foreign.body.errors[0].extensions.code).toBe('TOKEN_ISSUER_UNKNOWN');
    });

    it('refuses identity-provider URLs that are not https (outside loopback in development)', async () => {
      const res = await t.gql(
        acme.key,
        `mutation { configureIdentityProvider(input: { issuer: "http://idp.example.com", audience: "x" }) { __typename ... on ValidationError { issues { path message } } } }`,
      );
      expect(res.body.data.configureIdentityProvider.issues[0]).toMatchObject({ path: ['input', 'issuer'] });
    });
  });

  describe('acting as a person', () => {
    let followUp: string;
    beforeAll(async () => {
      const api = surveyApi(t, acme.key);
      await api.customer({ externalId: 'person-1', lastName: 'Jansen', email: 'jansen@example.com' });
      const source = await api.ok(
        `mutation { connectReviewSource(input: { platformCode: "kiyoh", name: "Kiyoh", settings: { apiToken: "t", locationId: "1", apiBaseUrl: "http://127.0.0.1:9" } }) { ... on ConnectReviewSourcePayload { source { id } } } }`,
      );
      await api.ok(`mutation($s: ID!) { importReviews(input: { sourceId: $s, csv: "externalId,rating,publishedAt\\nr-1,2,2026-01-03T00:00:00Z\\nr-2,1,2026-01-04T00:00:00Z\\n" }) { __typename } }`, {
        s: source.connectReviewSource.source.id,
      });
      const board = await api.ok(`{ followUps(first: 2) { edges { node { id } } } }`);
      followUp = board.followUps.edges[0].node.id;
      await api.ok(`mutation($id: ID!) { updateFollowUp(input: { id: $id, ownerEmail: "Agent@acme.test", ownerName: "Agent Person" }) { __typename } }`, { id: followUp });
    });

    it('records the member on notes and changes, shows "my follow-ups", and names them in the audit log', async () => {
      const agent = await tokenFor('AGENT');
      const note = await gqlAs(
        t,
        agent,
        `mutation($id: ID!) { addFollowUpNote(input: { id: $id, text: "Called back" }) { __typename ... on AddFollowUpNotePayload { followUp { actedBy { email } notes { author text member { email role } } } } } }`,
        { id: followUp },
      );
      expect(note.body.data.addFollowUpNote.followUp.actedBy).toEqual({ email: 'agent@acme.test' });
      expect(note.body.data.addFollowUpNote.followUp.notes.at(-1)).toEqual({ author: 'Agent Person', text: 'Called back', member: { email: 'agent@acme.test', role: 'AGENT' } });
      const mine = await gqlAs(t, agent, `{ followUps(first: 10, filter: { mine: true }) { edges { node { id ownerEmail } } } }`);
      expect(mine.body.data.followUps.edges.map((edge: Loose) => edge.node.id)).toEqual([followUp]);
      const viaKey = await t.gql(acme.key, `{ followUps(first: 10, filter: { mine: true }) { edges { node { id } } } }`);
      expect(viaKey.body.errors?.[0]).toMatchObject({ message: expect.stringContaining('mine'), extensions: { code: 'VALIDATION_FAILED' } });
      const log = await t.gql(acme.key, `{ auditLog(first: 5, filter: { operation: "addFollowUpNote" }) { edges { node { actorType apiKeyId member { email } } } } }`);
      expect(log.body.data.auditLog.edges[0].node).toEqual({ actorType: 'MEMBER', apiKeyId: null, member: { email: 'agent@acme.test' } });
    });

    it('a member sets their own owner mail, not a colleague’s; an admin sets anyone’s', async () => {
      const agent = await tokenFor('AGENT');
      const set = (token: string, email: string) =>
        gqlAs(
          t,
          token,
          `mutation($email: String!) { setOwnerMailPreference(input: { email: $email, weeklyDigest: true }) { __typename ... on SetOwnerMailPreferencePayload { preference { email weeklyDigest } } ... on ValidationError { issues { path message } } } }`,
          { email },
        );
      const own = await set(agent, 'Agent@acme.test');
      expect(own.body.data.setOwnerMailPreference.preference).toEqual({ email: 'agent@acme.test', weeklyDigest: true });
      const colleague = await set(agent, 'analyst@acme.test');
      expect(colleague.body.data.setOwnerMailPreference.issues).toEqual([{ path: ['input', 'email'], message: expect.stringContaining('only your own') }]);
      const byAdmin = await set(await tokenFor('ADMIN'), 'analyst@acme.test');
      expect(byAdmin.body.data.setOwnerMailPreference.preference).toEqual({ email: 'analyst@acme.test', weeklyDigest: true });
      const viewer = await set(await tokenFor('VIEWER'), 'viewer@acme.test');
      expect(viewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('an agent works follow-ups and replies to reviews but cannot edit surveys or keys', async () => {
      const agent = await tokenFor('AGENT');
      const review = (await t.gql(acme.key, `{ reviews(first: 1) { edges { node { id } } } }`)).body.data.reviews.edges[0].node.id;
      const reply = await gqlAs(
        t,
        agent,
        `mutation($id: ID!) { replyToReview(input: { reviewId: $id, text: "Sorry to hear that.", publish: false }) { __typename ... on ReplyToReviewPayload { review { replyAuthor replyStatus replyMember { email } } } } }`,
        { id: review },
      );
      expect(reply.body.data.replyToReview.review).toEqual({ replyAuthor: 'Agent Person', replyStatus: 'DRAFT', replyMember: { email: 'agent@acme.test' } });
      const action = await gqlAs(
        t,
        agent,
        `mutation { createImprovementAction(input: { title: "Faster replies", impact: 4, effort: 2 }) { __typename ... on CreateImprovementActionPayload { action { actedBy { email } } } } }`,
      );
      expect(action.body.data.createImprovementAction.action.actedBy).toEqual({ email: 'agent@acme.test' });
      const survey = await gqlAs(t, agent, `mutation { createSurvey(input: { name: "No", kind: NPS }) { __typename } }`);
      expect(survey.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(await t.app.database.prisma.survey.count({ where: { workspaceId: acme.id, name: 'No' } })).toBe(0);
    });
  });

  describe('every root field as every role', () => {
    let walk: { id: string; key: string };
    beforeAll(async () => {
      walk = await t.workspace('Walk');
      await t.gql(walk.key, `mutation($input: ConfigureIdentityProviderInput!) { configureIdentityProvider(input: $input) { __typename } }`, { input: { issuer: idp.issuer, audience: 'cx-graph' } });
      await inviteMember(t.app.database.sql, walk.id, 'OWNER', { email: 'walk-owner@walk.test', role: 'OWNER', subject: 'walk-OWNER' }, new Date());
      for (const role of ROLES.filter((r) => r !== 'OWNER')) {
        await inviteMember(t.app.database.sql, walk.id, 'OWNER', { email: email(role, 'walk'), role, subject: `walk-${role}` }, new Date());
      }
    });

    it.each([...ROLES])('%s: allowed operations pass, the rest are FORBIDDEN with no side effect', async (role) => {
      const schema = t.app.yoga.getEnveloped().schema as GraphQLSchema;
      const token = await idp.sign({ sub: `walk-${role}` });
      const refused: string[] = [];
      for (const kind of ['query', 'mutation'] as const) {
        const root = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
        for (const field of Object.values(root.getFields())) {
          const expected = expectedAllowed(role, (field.extensions?.pothosOptions as { authScopes?: unknown } | undefined)?.authScopes);
          const res = await gqlAs(t, token, minimalOperation(schema, kind, field, SAFE_ARGUMENTS[field.name]));
          const codes = (res.body.errors ?? []).map((error: Loose) => error.extensions?.code);
          expect(res.status, `${kind} ${field.name}: ${JSON.stringify(res.body.errors)}`).toBeLessThan(500);
          expect(codes, `${kind} ${field.name}`).not.toContain('INTERNAL_SERVER_ERROR');
          if (expected === true) expect(codes, `${role} may ${kind} ${field.name}`).not.toContain('FORBIDDEN');
          if (expected === false) {
            expect(codes, `${role} may not ${kind} ${field.name}`).toContain('FORBIDDEN');
            refused.push(field.name);
          }
        }
      }
      const spotChecks: Partial<Record<Role, { refused: string[]; allowed: string[] }>> = {
        ANALYST: { refused: ['createCustomer', 'createSurvey', 'addFollowUpNote', 'apiKeys', 'exportCustomerData', 'inviteMember'], allowed: ['createSegment', 'customers', 'webhookSubscriptions'] },
        AGENT: {
          refused: ['createSurvey', 'createSegment', 'setFollowUpRule', 'connectReviewSource', 'events'],
          allowed: ['addFollowUpNote', 'updateFollowUp', 'replyToReview', 'recordPhoneResponse', 'createImprovementAction', 'customers'],
        },
        VIEWER: {
          refused: ['addFollowUpNote', 'replyToReview', 'createSegment', 'createWebhookSubscription', 'auditLog', 'exportCustomerData'],
          allowed: ['customers', 'metrics', 'segments', 'reviews', 'events'],
        },
      };
      const check = spotChecks[role];
      if (role === 'OWNER' || role === 'ADMIN') expect(refused).toEqual([]);
      if (check) {
        for (const name of check.refused) expect(refused, `${role} refused ${name}`).toContain(name);
        for (const name of check.allowed) expect(refused, `${role} allowed ${name}`).not.toContain(name);
      }
    });

    it('refused writes change nothing (fingerprint of every table around the refused mutations only)', async () => {
      const schema = t.app.yoga.getEnveloped().schema as GraphQLSchema;
      for (const role of ['ANALYST', 'AGENT', 'VIEWER'] as const) {
        const token = await idp.sign({ sub: `walk-${role}` });
        const before = await fingerprint(t);
        for (const field of Object.values(schema.getMutationType()!.getFields())) {
          if (expectedAllowed(role, (field.extensions?.pothosOptions as { authScopes?: unknown } | undefined)?.authScopes) !== false) continue;
          await gqlAs(t, token, minimalOperation(schema, 'mutation', field, SAFE_ARGUMENTS[field.name]));
        }
        expect(await fingerprint(t), role).toEqual(before);
      }
    });
  });

  describe('a VIEWER sees no personal value', () => {
    let sentinel: { id: string; key: string };
    let ids: { customer: string };
    beforeAll(async () => {
      sentinel = await t.workspace('Sentinel');
      await t.gql(sentinel.key, `mutation($input: ConfigureIdentityProviderInput!) { configureIdentityProvider(input: $input) { __typename } }`, {
        input: { issuer: idp.issuer, audience: 'cx-graph' },
      });
      await inviteMember(t.app.database.sql, sentinel.id, 'OWNER', { email: 'viewer@sentinel.test', role: 'VIEWER', subject: 'sentinel-VIEWER' }, new Date());
      await inviteMember(t.app.database.sql, sentinel.id, 'OWNER', { email: 'analyst@sentinel.test', role: 'ANALYST', subject: 'sentinel-ANALYST' }, new Date());
      const api = surveyApi(t, sentinel.key);
      const customer = await api.customer({
        externalId: 'zqxj-ext',
        firstName: 'Zqxjfirst',
        infix: 'zqxj',
        lastName: 'Zqxjlast',
        email: 'zqxj@example.com',
        phone: '+31612345678',
        postcode: '1234 ZQXJ',
        city: 'Zqxjcity',
        country: 'NL',
        ageBand: '35-44',
        attributes: { note: 'zqxj attribute' },
        consentSurveys: true,
        consentEmail: true,
      });
      ids = { customer };
      await api.touchpoint({ customerId: customer, type: 'delivery', journeyPhase: 'DELIVERY', occurredAt: '2026-01-02T00:00:00Z', subject: 'zqxj parcel' });
      const survey = await api.survey({
        name: 'NPS',
        kind: 'NPS',
        questions: [
          { type: 'NPS', texts: [{ locale: 'nl', text: 'Hoe waarschijnlijk beveelt u ons aan?' }] },
          { type: 'OPEN_TEXT', texts: [{ locale: 'nl', text: 'Wat kunnen we beter doen?' }] },
        ],
      });
      const sent = await api.ok(
        `mutation($s: ID!, $c: ID!) { sendSurvey(input: { surveyId: $s, customerIds: [$c], channel: "link" }) { ... on SendSurveyPayload { result { invitations { url } } } } }`,
        { s: survey.id, c: customer },
      );
      await t.app.dispatcher.dispatchDue();
      const token = sent.sendSurvey.result.invitations[0].url.split('/s/')[1];
      const [nps, open] = survey.questions;
      await api.ok(`mutation($token: String!, $answers: [AnswerInput!]!) { submitResponse(input: { token: $token, answers: $answers }) { __typename } }`, {
        token,
        answers: [
          { questionId: nps!.id, score: 2 },
          { questionId: open!.id, text: 'zqxj open answer' },
        ],
      });
      const source = await api.ok(
        `mutation { connectReviewSource(input: { platformCode: "kiyoh", name: "Kiyoh", settings: { apiToken: "t", locationId: "1", apiBaseUrl: "http://127.0.0.1:9" } }) { ... on ConnectReviewSourcePayload { source { id } } } }`,
      );
      await api.ok(
        `mutation($s: ID!) { importReviews(input: { sourceId: $s, csv: "externalId,rating,publishedAt,authorName,authorEmail,title,text,url\\nr-1,2,2026-01-03T00:00:00Z,Zqxj Author,zqxj@example.com,zqxj title,zqxj review,https://r.example/zqxj\\n" }) { __typename } }`,
        {
          s: source.connectReviewSource.source.id,
        },
      );
      const board = await api.ok(`{ followUps(first: 5) { edges { node { id } } } }`);
      for (const edge of board.followUps.edges) await api.ok(`mutation($id: ID!) { addFollowUpNote(input: { id: $id, author: "Team", text: "Beste Zqxjlast" }) { __typename } }`, { id: edge.node.id });
    });

    /** Every root query with every field to three levels, plus node() over the customer. */
    async function scanAs(subject: string): Promise<{ leaks: string[]; forbidden: Set<string> }> {
      const schema = t.app.yoga.getEnveloped().schema as GraphQLSchema;
      const token = await idp.sign({ sub: subject });
      const leaks: string[] = [];
      const forbidden = new Set<string>();
      const root = schema.getQueryType()!;
      const operations = Object.values(root.getFields()).map((field) => {
        const named = getNamedType(field.type);
        const selection = isObjectType(named) || 'getTypes' in named || 'getInterfaces' in named ? selectionOf(schema, named, 4) : '';
        const args = field.args.filter((arg) => arg.name === 'first').length ? '(first: 20)' : '';
        const required = field.args.some((arg) => arg.type.toString().endsWith('!'));
        return required ? null : `{ ${field.name}${args} ${selection} }`;
      });
      operations.push(`query($id: ID!) { node(id: $id) ${selectionOf(schema, schema.getType('Node')!, 4)} }`);
      for (const operation of operations) {
        if (!operation) continue;
        const res = await gqlAs(t, token, operation, { id: ids.customer }, { 'x-workspace-id': sentinel.id });
        expect(res.status, operation.slice(0, 80)).toBeLessThan(500);
        const text = JSON.stringify(res.body.data ?? null);
        if (SENTINEL.test(text)) leaks.push(operation.slice(0, 60));
        for (const error of res.body.errors ?? []) if (error.extensions?.code === 'FORBIDDEN' && error.path) forbidden.add(String(error.path.at(-1)));
      }
      return { leaks, forbidden };
    }

    it('in no field of any query, node(id) included; each withheld field is a FORBIDDEN error', async () => {
      const viewer = await scanAs('sentinel-VIEWER');
      expect(viewer.leaks).toEqual([]);
      for (const field of ['email', 'lastName', 'phone', 'text', 'authorName', 'comment']) expect(viewer.forbidden, field).toContain(field);
      // The same scan as an analyst finds the values: it would notice a leak.
      const analyst = await scanAs('sentinel-ANALYST');
      expect(analyst.leaks.length).toBeGreaterThan(3);
    });

    it('in subscriptions: an event reaches a VIEWER without its payload or subject', async () => {
      const token = await idp.sign({ sub: 'sentinel-VIEWER' });
      const response = await t.app.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}`, 'x-workspace-id': sentinel.id },
        body: JSON.stringify({ query: 'subscription { events(types: ["review.created"]) { type subjectId data } }' }),
      });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      let pending = reader.read();
      const source = (await t.gql(sentinel.key, `{ reviewSources(first: 1) { edges { node { id } } } }`)).body.data.reviewSources.edges[0].node.id;
      // The stream opens asynchronously: import reviews until one's event arrives (bounded).
      for (let attempt = 0; attempt < 50 && !text.includes('review.created'); attempt += 1) {
        const csv = `externalId,rating,publishedAt,authorName,text\nsub-${attempt},4,2026-02-01T00:00:00Z,Zqxj Subscriber,zqxj live review\n`;
        await t.gql(sentinel.key, `mutation($s: ID!, $csv: String!) { importReviews(input: { sourceId: $s, csv: $csv }) { __typename } }`, { s: source, csv });
        await t.app.events.runOnce();
        const chunk = await Promise.race([pending, new Promise<null>((resolve) => setTimeout(() => resolve(null), 200))]);
        if (chunk) {
          text += decoder.decode(chunk.value);
          pending = reader.read();
        }
      }
      await reader.cancel();
      expect(text).toContain('review.created');
      expect(text).toContain('"code":"FORBIDDEN"');
      expect(text).not.toMatch(SENTINEL);
    });

    it('a refused subscription carries its code like any other error', async () => {
      await inviteMember(t.app.database.sql, sentinel.id, 'OWNER', { email: 'agent@sentinel.test', role: 'AGENT', subject: 'sentinel-AGENT' }, new Date());
      const token = await idp.sign({ sub: 'sentinel-AGENT' });
      const response = await t.app.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}`, 'x-workspace-id': sentinel.id },
        body: JSON.stringify({ query: 'subscription { events { type } }' }),
      });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += decoder.decode(chunk.value);
        if (text.includes('"errors"')) break;
      }
      await reader.cancel();
      expect(text).toContain('"code":"FORBIDDEN"');
      expect(text).toContain('"requestId"');
    });

    it('keeps the anonymised view: scores, bands and countries stay', async () => {
      const token = await idp.sign({ sub: 'sentinel-VIEWER' });
      const res = await gqlAs(t, token, `{ customers(first: 5) { edges { node { country ageBand email } } } }`, {}, { 'x-workspace-id': sentinel.id });
      expect(res.body.data.customers.edges[0].node).toEqual({ country: 'NL', ageBand: '35-44', email: null });
      expect(res.body.errors[0]).toMatchObject({ path: ['customers', 'edges', 0, 'node', 'email'], extensions: { code: 'FORBIDDEN' } });
    });
  });

  it('classifies every text field of the schema as personal or not', () => {
    const schema = t.app.yoga.getEnveloped().schema as GraphQLSchema;
    const names = (entries: Record<string, readonly string[]>) => Object.entries(entries).flatMap(([type, fields]) => fields.map((field) => `${type}.${field}`));
    const classified = [...names(PERSONAL_FIELDS), ...names(OTHER_FIELDS)].sort();
    const text = new Set(textFields(schema));
    expect([...text]).toEqual(classified.filter((name) => text.has(name)));
    // Beyond text, only ids that point at a person are listed (customer ids in event payloads): as personal.
    const personal = new Set(names(PERSONAL_FIELDS));
    for (const name of classified.filter((entry) => !text.has(entry))) {
      const [type, field] = name.split('.') as [string, string];
      const definition = (schema.getType(type) as GraphQLObjectType).getFields()[field]!;
      expect(personal.has(name), name).toBe(true);
      expect(getNamedType(definition.type).name, name).toBe('ID');
    }
  });
});
