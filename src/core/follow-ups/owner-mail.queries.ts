import { sql } from 'kysely';
import { db } from '../../db/kysely.js';
import type { OwnerMailStatus } from '../../generated/kysely/database.js';
import { localIdSql } from '../events/global-id.js';

/**
 * The owner mail queue's statements, built with the typed seam (src/db/kysely.ts) and run with
 * `run(conn, ...)` on the caller's session or transaction.
 */

/** The follow-up an event names (its subject is the follow-up's global id). */
const EVENT_FOLLOW_UP_ID = sql.raw(localIdSql('FollowUp', 'e."subjectId"'));

/**
 * One FOLLOW_UP_RAISED mail per relayed event that raised a follow-up for an owner or handed it to
 * a new one, unless the owner turned these mails off or the follow-up is done; keyed by the event.
 */
export const queueFollowUpRaisedMails = (eventIds: readonly string[], now: Date) =>
  db
    .insertInto('OwnerMail')
    .columns(['workspaceId', 'kind', 'email', 'followUpId', 'key', 'nextAttemptAt', 'createdAt', 'updatedAt'])
    .expression(
      db
        .selectFrom('DomainEvent as e')
        .innerJoin('FollowUp as f', (join) => join.on('f.id', '=', sql<string>`${EVENT_FOLLOW_UP_ID}`).onRef('f.workspaceId', '=', 'e.workspaceId'))
        .leftJoin('OwnerMailPreference as p', (join) => join.onRef('p.workspaceId', '=', 'f.workspaceId').on('p.email', '=', sql<string>`lower(f."ownerEmail")`))
        .select([
          'f.workspaceId',
          sql<'FOLLOW_UP_RAISED'>`'FOLLOW_UP_RAISED'::"OwnerMailKind"`.as('kind'),
          sql<string>`lower(f."ownerEmail")`.as('email'),
          'f.id',
          sql<string>`e.id::text`.as('key'),
          sql<Date>`${now}::timestamptz`.as('nextAttemptAt'),
          sql<Date>`${now}::timestamptz`.as('createdAt'),
          sql<Date>`${now}::timestamptz`.as('updatedAt'),
        ])
        .where('e.id', '=', sql<string>`ANY (${[...eventIds]}::uuid[])`)
        .where((eb) => eb.or([eb('e.type', '=', 'follow_up.created'), eb.and([eb('e.type', '=', 'follow_up.changed'), sql<boolean>`e.data->'changes' ? 'ownerEmail'`])]))
        .where('f.ownerEmail', 'is not', null)
        .where('f.status', '<>', 'DONE')
        .where(sql<boolean>`COALESCE(p."followUpRaised", true)`),
    )
    .onConflict((conflict) => conflict.columns(['workspaceId', 'kind', 'email', 'key']).doNothing())
    .returning('id');

/**
 * One WEEKLY_DIGEST mail per owner who asked for it, once their workspace's local time is past
 * `digestHour` on Monday of the ISO week; keyed by the week, so the schedule may run any number of times.
 */
export const queueWeeklyDigestMails = (now: Date, digestHour: number) =>
  db
    .insertInto('OwnerMail')
    .columns(['workspaceId', 'kind', 'email', 'key', 'nextAttemptAt', 'createdAt', 'updatedAt'])
    .expression(
      db
        .selectFrom('OwnerMailPreference as p')
        .innerJoin('Workspace as w', 'w.id', 'p.workspaceId')
        .select([
          'p.workspaceId',
          sql<'WEEKLY_DIGEST'>`'WEEKLY_DIGEST'::"OwnerMailKind"`.as('kind'),
          'p.email',
          sql<string>`to_char(date_trunc('week', ${now}::timestamptz AT TIME ZONE w."timeZone"), 'IYYY-"W"IW')`.as('key'),
          sql<Date>`${now}::timestamptz`.as('nextAttemptAt'),
          sql<Date>`${now}::timestamptz`.as('createdAt'),
          sql<Date>`${now}::timestamptz`.as('updatedAt'),
        ])
        .where('p.weeklyDigest', '=', true)
        .where(sql<boolean>`(${now}::timestamptz AT TIME ZONE w."timeZone") >= date_trunc('week', ${now}::timestamptz AT TIME ZONE w."timeZone") + make_interval(hours => ${digestHour}::int)`),
    )
    .onConflict((conflict) => conflict.columns(['workspaceId', 'kind', 'email', 'key']).doNothing())
    .returning('id');

/** Claims up to `limit` due mails for `leaseSeconds` (pending ones whose time has come, sending ones whose lease ran out), counting the attempt. */
export const claimDueOwnerMails = (now: Date, limit: number, leaseSeconds: number) =>
  db
    .with('due', (qb) =>
      qb
        .selectFrom('OwnerMail')
        .select('id')
        .where((eb) => eb.or([eb.and([eb('status', '=', 'PENDING'), eb('nextAttemptAt', '<=', now)]), eb.and([eb('status', '=', 'SENDING'), eb('lockedUntil', '<', now)])]))
        .orderBy('nextAttemptAt')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .updateTable('OwnerMail as m')
    .from('due')
    .set((eb) => ({
      status: 'SENDING',
      lockedUntil: sql<Date>`${now}::timestamptz + make_interval(secs => ${leaseSeconds}::int)`,
      attempts: eb('m.attempts', '+', 1),
      updatedAt: now,
    }))
    .whereRef('m.id', '=', 'due.id')
    .returning(['m.id', 'm.workspaceId', 'm.kind', 'm.email', 'm.followUpId', 'm.attempts']);

/** A mail's outcome: SENT (with its time), SKIPPED, FAILED, or PENDING again in `retryMinutes`. */
export const finishOwnerMail = (id: string, status: OwnerMailStatus, now: Date, lastError: string | null, retryMinutes: number) =>
  db
    .updateTable('OwnerMail')
    .set({
      status,
      lockedUntil: null,
      updatedAt: now,
      lastError,
      sentAt: status === 'SENT' ? now : null,
      nextAttemptAt: sql<Date>`${now}::timestamptz + make_interval(mins => ${retryMinutes}::int)`,
    })
    .where('id', '=', id);
