import { sql } from 'kysely';
import { db } from '../../db/kysely.js';
import type { ReviewConnectionStatus } from '../../generated/kysely/database.js';

/**
 * The review sources' bookkeeping statements, built with the typed seam (src/db/kysely.ts) and run
 * with `run(conn, ...)` on the caller's session or transaction. The ingest itself, one statement with
 * data-modifying CTEs, is in review-ingest.ts.
 */

/** The columns a sync or a push needs to call the source's platform. */
const CONNECTION_COLUMNS = ['id', 'workspaceId', 'platformCode', 'settings', 'updatedAt'] as const;

/**
 * Claims a source for one sync: it must be enabled and not syncing, or its sync must have stopped
 * reporting before `staleBefore` (taken to have died). Returns the source, or nothing when not claimed.
 */
export const claimSourceForSync = (connectionId: string, workspaceId: string, now: Date, staleBefore: Date) =>
  db
    .updateTable('ReviewConnection')
    .set({ status: 'SYNCING', lastSyncStartedAt: now })
    .where('id', '=', connectionId)
    .where('workspaceId', '=', workspaceId)
    .where('status', '<>', 'DISABLED')
    .where((eb) => eb.or([eb('status', '<>', 'SYNCING'), eb('lastSyncStartedAt', '<', staleBefore)]))
    .returning([...CONNECTION_COLUMNS, 'syncCursor']);

/** Moves the source's resume point past a written page (in that page's transaction) and reports the sync alive. */
export const advanceSyncCursor = (connectionId: string, workspaceId: string, cursor: string | null, now: Date) =>
  db.updateTable('ReviewConnection').set({ syncCursor: cursor, lastSyncStartedAt: now }).where('id', '=', connectionId).where('workspaceId', '=', workspaceId);

/** Ends a sync: the source's new status, with the error that stopped it or the time it completed. */
export const finishSync = (connectionId: string, workspaceId: string, status: ReviewConnectionStatus, error: string | null, now: Date) =>
  db
    .updateTable('ReviewConnection')
    .set(error === null ? { status, lastError: null, lastSyncedAt: now } : { status, lastError: error, lastErrorAt: now })
    .where('id', '=', connectionId)
    .where('workspaceId', '=', workspaceId);

/** The sources pushes name, with what verifies a push (any workspace: the secret in the URL decides). */
export const sourcesForPush = (connectionIds: readonly string[]) =>
  db
    .selectFrom('ReviewConnection')
    .select([...CONNECTION_COLUMNS, 'status', 'pushSecret'])
    .where('id', '=', sql<string>`ANY (${[...connectionIds]}::uuid[])`);
