import { db } from '../../db/kysely.js';

/**
 * Idempotency keys' statements, built with the typed seam (src/db/kysely.ts).
 */

/** Records the key with its input's hash unless it exists; either way returns the hash the key is bound to (no row: see recordedKeyHash). */
export const claimKey = (workspaceId: string, operation: string, key: string, inputHash: string) =>
  db
    .with('claimed', (qb) =>
      qb
        .insertInto('IdempotencyKey')
        .values({ workspaceId, operation, key, inputHash })
        .onConflict((oc) => oc.columns(['workspaceId', 'operation', 'key']).doNothing())
        .returning('inputHash'),
    )
    .selectFrom('claimed')
    .select('inputHash')
    .unionAll(recordedKeyHash(workspaceId, operation, key))
    .limit(1);

/** The input hash a key is bound to. */
export const recordedKeyHash = (workspaceId: string, operation: string, key: string) =>
  db.selectFrom('IdempotencyKey').select('inputHash').where('workspaceId', '=', workspaceId).where('operation', '=', operation).where('key', '=', key);
