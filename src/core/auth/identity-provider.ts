import { z } from 'zod';
import type { SqlRunner } from '../../db/sql-runner.js';
import { ValidationError } from '../errors.js';

export interface IdentityProviderRow extends Record<string, unknown> {
  id: string;
  workspaceId: string;
  issuer: string;
  audience: string;
  jwksUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An https URL, or http on a loopback host when allowed (development, tests). */
function providerUrl(allowLoopbackHttp: boolean) {
  return z
    .string()
    .trim()
    .max(2000)
    .url('must be a URL')
    .refine(
      (value) => {
        if (!URL.canParse(value)) return false;
        const url = new URL(value);
        if (url.username || url.password || url.hash) return false;
        return url.protocol === 'https:' || (allowLoopbackHttp && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
      },
      { message: allowLoopbackHttp ? 'must be an https URL (or http on a loopback host)' : 'must be an https URL' },
    );
}

export function identityProviderSchema(allowLoopbackHttp: boolean) {
  return z.object({
    issuer: providerUrl(allowLoopbackHttp),
    audience: z.string().trim().min(1, 'must not be empty').max(500),
    jwksUrl: providerUrl(allowLoopbackHttp).nullish(),
  });
}
export type IdentityProviderInput = z.input<ReturnType<typeof identityProviderSchema>>;

const COLUMNS = `id, "workspaceId", issuer, audience, "jwksUrl", "createdAt", "updatedAt"`;

/** Sets (or replaces) the workspace's OpenID Connect provider. */
export async function configureIdentityProvider(sql: SqlRunner, workspaceId: string, input: IdentityProviderInput, allowLoopbackHttp: boolean, now: Date): Promise<IdentityProviderRow> {
  const parsed = identityProviderSchema(allowLoopbackHttp).safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, ['input']);
  const { issuer, audience, jwksUrl } = parsed.data;
  const [row] = await sql.session((conn) =>
    conn.query<IdentityProviderRow>(
      `INSERT INTO "IdentityProvider" ("workspaceId", issuer, audience, "jwksUrl", "createdAt", "updatedAt") VALUES ($1::uuid, $2, $3, $4, $5, $5)
        ON CONFLICT ("workspaceId") DO UPDATE SET issuer = EXCLUDED.issuer, audience = EXCLUDED.audience, "jwksUrl" = EXCLUDED."jwksUrl", "updatedAt" = EXCLUDED."updatedAt"
        RETURNING ${COLUMNS}`,
      [workspaceId, issuer, audience, jwksUrl ?? null, now],
    ),
  );
  return row!;
}

/** Removes it: members can no longer sign in with tokens (API keys keep working). True when there was one. */
export async function removeIdentityProvider(sql: SqlRunner, workspaceId: string): Promise<boolean> {
  const rows = await sql.session((conn) => conn.query(`DELETE FROM "IdentityProvider" WHERE "workspaceId" = $1::uuid RETURNING id`, [workspaceId]));
  return rows.length > 0;
}
