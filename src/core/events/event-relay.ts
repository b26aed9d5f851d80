import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { claimUnrelayedEvents, createDeliveries, markEventsRelayed, relayBacklogRow } from './events.queries.js';
import { queueFollowUpMails } from '../follow-ups/owner-mail.js';

export interface RelayedEvent {
  id: string;
  workspaceId: string;
  sequence: string;
  type: string;
  subjectId: string | null;
  data: unknown;
  occurredAt: Date;
}

/**
 * Moves committed events out of the outbox: for each, one WebhookDelivery per active subscription
 * of its workspace that wants its type, the owner mails of follow-up events, and the event marked relayed, in one transaction (SKIP
 * LOCKED: instances share the work, none takes an event twice). The events are returned for
 * publishing to live subscribers after the commit.
 */
export async function relayEvents(sql: SqlRunner, now: Date, limit = 500): Promise<RelayedEvent[]> {
  return sql.transaction(async (conn) => {
    const events: RelayedEvent[] = await run(conn, claimUnrelayedEvents(limit));
    if (events.length === 0) return [];
    const ids = events.map((event) => event.id);
    await run(conn, createDeliveries(ids, now));
    // Owners hear of follow-ups raised or handed to them (sent by the OwnerMailer after the commit).
    await queueFollowUpMails(conn, ids, now);
    await run(conn, markEventsRelayed(ids, now));
    return events;
  });
}

/** Events committed but not relayed yet, and the age of the oldest (seconds; 0 when none), for /metrics. */
export async function relayBacklog(sql: SqlRunner, now: Date): Promise<{ pending: number; lagSeconds: number }> {
  const [row] = await sql.session((conn) => run(conn, relayBacklogRow()));
  return { pending: row?.pending ?? 0, lagSeconds: row?.oldest ? Math.max(0, (now.getTime() - new Date(row.oldest).getTime()) / 1000) : 0 };
}
