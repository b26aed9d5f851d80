import type { SqlConnection } from '../../db/sql-runner.js';
import type { NewEvent } from './event-types.js';

/**
 * Writes events into the outbox on the caller's connection, inside the caller's transaction: the
 * event exists exactly when the change that caused it was committed.
 */
export async function recordEvents(conn: SqlConnection, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await conn.query(
    `INSERT INTO "DomainEvent" ("workspaceId", type, "subjectId", data, "occurredAt")
     SELECT e."workspaceId", e.type, e."subjectId", e.data, e."occurredAt"
       FROM jsonb_to_recordset($1::jsonb) AS e("workspaceId" uuid, type text, "subjectId" text, data jsonb, "occurredAt" timestamptz)`,
    [JSON.stringify(events.map((event) => ({ ...event, occurredAt: event.occurredAt.toISOString() })))],
  );
}

/** The same for writes made through Prisma: one statement to add to a `$transaction([...])`. */
export function eventRow(event: NewEvent) {
  return { type: event.type, subjectId: event.subjectId, data: event.data as object, occurredAt: event.occurredAt };
}
