import { sql } from 'kysely';
import { preparedStatement } from '../../db/kysely.js';
import type { SqlConnection } from '../../db/sql-runner.js';
import type { NewEvent } from './event-types.js';

/**
 * The outbox write, the one place its columns are named: `recordEvents` uses it, and so do the
 * statements that write their events in the same round trip as the change (a data-modifying CTE
 * ending in `${sql.raw(OUTBOX_INSERT)} SELECT workspaceId, type, subjectId, data, occurredAt ...`).
 */
export const OUTBOX_INSERT = 'INSERT INTO "DomainEvent" ("workspaceId", type, "subjectId", data, "occurredAt")';

const insertEvents = preparedStatement<{ events: string }, never>(
  ['events'],
  (p) => sql`
    ${sql.raw(OUTBOX_INSERT)}
    SELECT e."workspaceId", e.type, e."subjectId", e.data, e."occurredAt"
      FROM jsonb_to_recordset(${p.events}::jsonb) AS e("workspaceId" uuid, type text, "subjectId" text, data jsonb, "occurredAt" timestamptz)`,
);

/**
 * Writes events into the outbox on the caller's connection, inside the caller's transaction: the
 * event exists exactly when the change that caused it was committed.
 */
export async function recordEvents(conn: SqlConnection, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await insertEvents(conn, { events: JSON.stringify(events.map((event) => ({ ...event, occurredAt: event.occurredAt.toISOString() }))) });
}
