import { sql } from 'kysely';
import { db } from '../../db/kysely.js';
import type { WebhookDeliveryStatus } from '../../generated/kysely/database.js';

/**
 * The outbox relay's and the webhook deliverer's statements, built with the typed seam
 * (src/db/kysely.ts) and run with `run(conn, ...)` on the caller's session or transaction. The
 * outbox write itself is record-events.ts (OUTBOX_INSERT), shared by the statements that write
 * their events in the same round trip as their change.
 */

/** Events committed and not relayed yet, oldest first, locked for this relay (SKIP LOCKED: instances share the work). */
export const claimUnrelayedEvents = (limit: number) =>
  db
    .selectFrom('DomainEvent')
    .select(['id', 'workspaceId', sql<string>`sequence::text`.as('sequence'), 'type', 'subjectId', 'data', 'occurredAt'])
    .where('relayedAt', 'is', null)
    .orderBy('sequence')
    .limit(limit)
    .forUpdate()
    .skipLocked();

/** One delivery per event and active subscription of its workspace that wants its type (a repeat adds nothing). */
export const createDeliveries = (eventIds: readonly string[], now: Date) =>
  db
    .insertInto('WebhookDelivery')
    .columns(['workspaceId', 'subscriptionId', 'eventId', 'nextAttemptAt', 'createdAt', 'updatedAt'])
    .expression(
      db
        .selectFrom('DomainEvent as e')
        .innerJoin('WebhookSubscription as s', (join) =>
          join
            .onRef('s.workspaceId', '=', 'e.workspaceId')
            .on('s.status', '=', 'ACTIVE')
            .on(sql<boolean>`(cardinality(s."eventTypes") = 0 OR e.type = ANY (s."eventTypes"))`),
        )
        .select(['e.workspaceId', 's.id', 'e.id', sql<Date>`${now}::timestamptz`.as('nextAttemptAt'), sql<Date>`${now}::timestamptz`.as('createdAt'), sql<Date>`${now}::timestamptz`.as('updatedAt')])
        .where('e.id', '=', sql<string>`ANY (${[...eventIds]}::uuid[])`),
    )
    .onConflict((conflict) => conflict.columns(['subscriptionId', 'eventId']).doNothing());

/** The events are relayed. */
export const markEventsRelayed = (eventIds: readonly string[], now: Date) =>
  db
    .updateTable('DomainEvent')
    .set({ relayedAt: now })
    .where('id', '=', sql<string>`ANY (${[...eventIds]}::uuid[])`);

/** How many events wait for the relay, and when the oldest of them happened. */
export const relayBacklogRow = () =>
  db
    .selectFrom('DomainEvent')
    .select([sql<number>`count(*)::int`.as('pending'), sql<Date | null>`min("occurredAt")`.as('oldest')])
    .where('relayedAt', 'is', null);

/**
 * Claims up to `limit` due deliveries for `leaseSeconds` (pending or retrying ones whose time has
 * come, and sending ones whose lease ran out: a crashed instance), counting the attempt, with what
 * sending them needs: the subscription's address, secrets and status, and the event.
 */
export const claimDueDeliveries = (now: Date, limit: number, leaseSeconds: number) =>
  db
    .with('due', (qb) =>
      qb
        .selectFrom('WebhookDelivery')
        .select('id')
        .where((eb) => eb.or([eb.and([eb('status', 'in', ['PENDING', 'RETRYING']), eb('nextAttemptAt', '<=', now)]), eb.and([eb('status', '=', 'SENDING'), eb('lockedUntil', '<', now)])]))
        .orderBy('nextAttemptAt')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .with('claimed', (qb) =>
      qb
        .updateTable('WebhookDelivery as d')
        .from('due')
        .set((eb) => ({
          status: 'SENDING',
          lockedUntil: sql<Date>`${now}::timestamptz + make_interval(secs => ${leaseSeconds}::int)`,
          attempts: eb('d.attempts', '+', 1),
          updatedAt: now,
        }))
        .whereRef('d.id', '=', 'due.id')
        .returning(['d.id', 'd.workspaceId', 'd.subscriptionId', 'd.eventId', 'd.attempts']),
    )
    .selectFrom('claimed as c')
    .innerJoin('WebhookSubscription as s', (join) => join.onRef('s.id', '=', 'c.subscriptionId').onRef('s.workspaceId', '=', 'c.workspaceId'))
    .innerJoin('DomainEvent as e', (join) => join.onRef('e.id', '=', 'c.eventId').onRef('e.workspaceId', '=', 'c.workspaceId'))
    .select([
      'c.id',
      'c.workspaceId',
      'c.subscriptionId',
      'c.attempts',
      's.url',
      's.secrets',
      sql<string>`s.status::text`.as('subscriptionStatus'),
      'e.id as eventId',
      'e.type',
      'e.subjectId',
      'e.data',
      'e.occurredAt',
    ]);

/** A delivery's outcome: its new status, what the endpoint answered, and when to try again (kept when not given). */
export const finishDelivery = (
  delivery: { id: string; workspaceId: string },
  outcome: { status: WebhookDeliveryStatus; statusCode: number | null; error: string | null; nextAttemptAt?: Date },
  now: Date,
) =>
  db
    .updateTable('WebhookDelivery')
    .set({
      status: outcome.status,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      lockedUntil: null,
      ...(outcome.nextAttemptAt ? { nextAttemptAt: outcome.nextAttemptAt } : {}),
      ...(outcome.status === 'SUCCEEDED' ? { deliveredAt: now } : {}),
      updatedAt: now,
    })
    .where('id', '=', delivery.id)
    .where('workspaceId', '=', delivery.workspaceId);

/** The endpoint is gone: the subscription stops, with the reason shown to its owner. */
export const disableSubscription = (subscription: { id: string; workspaceId: string }, reason: string, now: Date) =>
  db.updateTable('WebhookSubscription').set({ status: 'DISABLED', disabledReason: reason, updatedAt: now }).where('id', '=', subscription.id).where('workspaceId', '=', subscription.workspaceId);
