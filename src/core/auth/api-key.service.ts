import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { apiKeyByPrefix, updateApiKey } from './auth.queries.js';
import { z } from 'zod';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../errors.js';
import { generateKey, keyMatches, parseKey } from './api-key-secret.js';
import { ALL_SCOPES, isScope, type Scope } from './scopes.js';
import { apiKeyViewer, type Viewer } from './viewer.js';

/** Only write lastUsedAt when it is this stale: one write per key per minute, not per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export const createApiKeyInputSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  scopes: z
    .array(z.string().refine(isScope, { message: `must be one of ${ALL_SCOPES.join(', ')}` }))
    .min(1, 'must grant at least one scope')
    .transform((scopes) => [...new Set(scopes)] as Scope[]),
});

export type CreateApiKeyInput = z.input<typeof createApiKeyInputSchema>;

export interface CreatedApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: Date;
  /** The full key. It is not stored and cannot be shown again. */
  plaintext: string;
}

interface ApiKeyRow {
  id: string;
  workspaceId: string;
  name: string;
  prefix: string;
  secretHash: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The few key operations the service needs, met by the root and the workspace-scoped clients. */
export interface KeyStore {
  apiKey: {
    create(args: { data: { workspaceId: string; name: string; prefix: string; secretHash: string; scopes: string[] } }): PromiseLike<ApiKeyRow>;
    findFirst(args: { where: { id: string; workspaceId: string } }): PromiseLike<ApiKeyRow | null>;
    findUnique(args: { where: { prefix: string } }): PromiseLike<ApiKeyRow | null>;
    update(args: { where: { id: string }; data: { revokedAt?: Date; lastUsedAt?: Date } }): PromiseLike<ApiKeyRow>;
  };
}

export async function createApiKey(db: KeyStore, workspaceId: string, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const parsed = createApiKeyInputSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, ['input']);
  const key = generateKey();
  const row = await db.apiKey.create({
    data: { workspaceId, name: parsed.data.name, prefix: key.prefix, secretHash: key.secretHash, scopes: parsed.data.scopes },
  });
  return { id: row.id, name: row.name, prefix: row.prefix, scopes: parsed.data.scopes, createdAt: row.createdAt, plaintext: key.plaintext };
}

export async function revokeApiKeyOrThrow(db: KeyStore, workspaceId: string, id: string) {
  const existing = await db.apiKey.findFirst({ where: { id, workspaceId } });
  if (!existing) throw new NotFoundError('ApiKey', id);
  if (existing.revokedAt) return existing;
  return db.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
}

/** What authentication needs: find a key by prefix, note its use. */
export type KeyLookup = { apiKey: Pick<KeyStore['apiKey'], 'findUnique' | 'update'> };

/**
 * The same on plain SQL: every request authenticates, and this lookup needs no ORM (the Prisma
 * version costs about 1 ms of query compilation per request).
 */
export function sqlKeyLookup(sql: SqlRunner): KeyLookup {
  return {
    apiKey: {
      findUnique: async ({ where }) => (await sql.session((conn) => run(conn, apiKeyByPrefix(where.prefix))))[0] ?? null,
      update: async ({ where, data }) => (await sql.session((conn) => run(conn, updateApiKey(where.id, data.lastUsedAt ?? null, data.revokedAt ?? null))))[0]!,
    },
  };
}

/** A key lookup that keeps keys for a short time, and forgets a key when it is revoked here. */
export type CachedKeyLookup = KeyLookup & { forget(id: string): void; forgetWorkspace(workspaceId: string): void };

/**
 * Keeps found keys for `ttlMs`, so that most requests authenticate without a round trip to the
 * database. The secret is still checked against the stored hash on every request, unknown prefixes
 * are never cached (a guessed key costs what it cost before), and a key revoked through this
 * instance is forgotten at once; a revocation elsewhere (another instance, the CLI) is honoured
 * within `ttlMs`. At most `maxEntries` keys are kept (the oldest go first).
 */
export function cachedKeyLookup(inner: KeyLookup, options: { ttlMs: number; maxEntries?: number; now?: () => number }): CachedKeyLookup {
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? 10_000;
  const entries = new Map<string, { row: ApiKeyRow; until: number }>();
  const keep = (row: ApiKeyRow) => {
    entries.delete(row.prefix);
    if (entries.size >= max) entries.delete(entries.keys().next().value!);
    entries.set(row.prefix, { row, until: now() + options.ttlMs });
  };
  return {
    apiKey: {
      findUnique: (async (args: { where: { prefix: string } }) => {
        const hit = entries.get(args.where.prefix);
        if (hit && hit.until > now()) return hit.row;
        entries.delete(args.where.prefix);
        const row = (await inner.apiKey.findUnique(args as never)) as ApiKeyRow | null;
        if (row && options.ttlMs > 0) keep(row);
        return row;
      }) as KeyLookup['apiKey']['findUnique'],
      update: (async (args: { where: { id: string } }) => {
        const row = (await inner.apiKey.update(args as never)) as ApiKeyRow;
        const cached = entries.get(row.prefix);
        if (cached) cached.row = row;
        return row;
      }) as KeyLookup['apiKey']['update'],
    },
    forget(id) {
      for (const [prefix, entry] of entries) if (entry.row.id === id) entries.delete(prefix);
    },
    forgetWorkspace(workspaceId) {
      for (const [prefix, entry] of entries) if (entry.row.workspaceId === workspaceId) entries.delete(prefix);
    },
  };
}

/** Resolves a bearer key to its viewer, or throws a 401-style error that says what is wrong. */
export async function authenticateOrThrow(db: KeyLookup, presented: string | null, now = new Date()): Promise<Viewer> {
  if (!presented) {
    throw new UnauthenticatedError('Missing API key: send it as "Authorization: Bearer <key>"');
  }
  const parsed = parseKey(presented);
  const row = parsed ? await db.apiKey.findUnique({ where: { prefix: parsed.prefix } }) : null;
  if (!row || !keyMatches(presented, row.secretHash)) throw new UnauthenticatedError('Invalid API key');
  if (row.revokedAt) throw new UnauthenticatedError('This API key has been revoked');
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return apiKeyViewer(row.workspaceId, row.id, row.scopes.filter(isScope));
}

export function bearerToken(header: string | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? header.trim();
}
