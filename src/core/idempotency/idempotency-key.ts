import { createHash } from 'node:crypto';
import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { claimKey, recordedKeyHash } from './idempotency.queries.js';
import { IdempotencyKeyReusedError } from '../errors.js';

/** JSON with object keys sorted, so the same input always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function inputHash(input: unknown): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

/**
 * Binds an idempotency key to the input it first came with (Stripe's rule). The first call records
 * the key; a repeat with the same input passes (the operation itself then returns its first
 * result); a repeat with another input throws IdempotencyKeyReusedError naming `field`.
 */
export async function claimIdempotencyKeyOrThrow(sql: SqlRunner, workspaceId: string, operation: string, key: string, input: unknown, field = 'idempotencyKey'): Promise<void> {
  const hash = inputHash(input);
  const [row] = await sql.session((conn) => run(conn, claimKey(workspaceId, operation, key, hash)));
  // Neither inserted nor seen: a concurrent first use committed after this statement's snapshot
  // was taken (its INSERT waited for that commit). A new statement sees it.
  const recorded = row ?? (await sql.session((conn) => run(conn, recordedKeyHash(workspaceId, operation, key))))[0];
  if (!recorded) throw new Error(`idempotency key ${operation}/${key} was neither recorded nor found`);
  if (recorded.inputHash !== hash) throw new IdempotencyKeyReusedError(field);
}
