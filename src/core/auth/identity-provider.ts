import { z } from 'zod';
import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { deleteIdentityProvider, upsertIdentityProvider } from './auth.queries.js';
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

/** Sets (or replaces) the workspace's OpenID Connect provider. */
export async function configureIdentityProvider(sql: SqlRunner, workspaceId: string, input: IdentityProviderInput, allowLoopbackHttp: boolean, now: Date): Promise<IdentityProviderRow> {
  const parsed = identityProviderSchema(allowLoopbackHttp).safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, ['input']);
  const { issuer, audience, jwksUrl } = parsed.data;
  const [row] = await sql.session((conn) => run(conn, upsertIdentityProvider(workspaceId, issuer, audience, jwksUrl ?? null, now)));
  return row!;
}

/** Removes it: members can no longer sign in with tokens (API keys keep working). True when there was one. */
export async function removeIdentityProvider(sql: SqlRunner, workspaceId: string): Promise<boolean> {
  const rows = await sql.session((conn) => run(conn, deleteIdentityProvider(workspaceId)));
  return rows.length > 0;
}
