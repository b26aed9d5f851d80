import { sql } from 'kysely';
import { db } from '../../db/kysely.js';

/**
 * Authentication's statements, built with the typed seam (src/db/kysely.ts): API keys by prefix,
 * identity providers by issuer, members signing in. Each runs on every request it serves (behind
 * the caches in api-key.service.ts and token-verifier.ts), so none goes through Prisma.
 */

const API_KEY_COLUMNS = ['id', 'workspaceId', 'name', 'prefix', 'secretHash', 'scopes', 'createdAt', 'lastUsedAt', 'revokedAt'] as const;

/** A key by its public prefix (any workspace: the prefix is unique). */
export const apiKeyByPrefix = (prefix: string) => db.selectFrom('ApiKey').select(API_KEY_COLUMNS).where('prefix', '=', prefix);

/** Notes a key's use or revocation; a value left null keeps what is stored. */
export const updateApiKey = (id: string, lastUsedAt: Date | null, revokedAt: Date | null) =>
  db
    .updateTable('ApiKey')
    .set((eb) => ({ lastUsedAt: eb.fn.coalesce(eb.val(lastUsedAt), 'lastUsedAt'), revokedAt: eb.fn.coalesce(eb.val(revokedAt), 'revokedAt') }))
    .where('id', '=', id)
    .returning(API_KEY_COLUMNS);

/** The identity providers that issue tokens as `issuer` (one per workspace that trusts it). */
export const providersByIssuer = (issuer: string) => db.selectFrom('IdentityProvider').select(['workspaceId', 'issuer', 'audience', 'jwksUrl']).where('issuer', '=', issuer);

/** The current members a token's subject or verified e-mail may be, in these workspaces; the subject's own rows first. */
export const membersSigningIn = (workspaceIds: string[], subject: string, email: string | null) =>
  db
    .selectFrom('Member')
    .select(['id', 'workspaceId', 'email', 'name', sql<string>`role::text`.as('role'), 'subject', 'lastSignInAt'])
    .where((eb) => eb('workspaceId', '=', eb.fn.any(eb.val(workspaceIds))))
    .where('removedAt', 'is', null)
    .where((eb) => eb.or([eb('subject', '=', subject), eb.and([eb('subject', 'is', null), eb('email', '=', email)])]))
    .orderBy(sql`(subject = ${subject}) DESC NULLS LAST`);

/** A member signed in: the subject binds at the first sign-in, the time is noted. */
export const recordSignIn = (memberId: string, subject: string, now: Date) =>
  db
    .updateTable('Member')
    .set((eb) => ({ subject: eb.fn.coalesce('subject', eb.val(subject)), lastSignInAt: now, updatedAt: now }))
    .where('id', '=', memberId);

const PROVIDER_COLUMNS = ['id', 'workspaceId', 'issuer', 'audience', 'jwksUrl', 'createdAt', 'updatedAt'] as const;

/** Sets the workspace's identity provider (one per workspace). */
export const upsertIdentityProvider = (workspaceId: string, issuer: string, audience: string, jwksUrl: string | null, now: Date) =>
  db
    .insertInto('IdentityProvider')
    .values({ workspaceId, issuer, audience, jwksUrl, createdAt: now, updatedAt: now })
    .onConflict((oc) =>
      oc.column('workspaceId').doUpdateSet((eb) => ({
        issuer: eb.ref('excluded.issuer'),
        audience: eb.ref('excluded.audience'),
        jwksUrl: eb.ref('excluded.jwksUrl'),
        updatedAt: eb.ref('excluded.updatedAt'),
      })),
    )
    .returning(PROVIDER_COLUMNS);

/** Removes the workspace's identity provider. */
export const deleteIdentityProvider = (workspaceId: string) => db.deleteFrom('IdentityProvider').where('workspaceId', '=', workspaceId).returning('id');
