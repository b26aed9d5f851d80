import { sql } from 'kysely';
import { db } from '../../db/kysely.js';

/**
 * The retention policy's statements, built with the typed seam (src/db/kysely.ts) and run with
 * `run(conn, ...)` on the caller's session or transaction. Every cutoff comes from the workspace's
 * own policy column, so a null policy matches nothing.
 */

/** `now` minus the workspace's policy (`unit` months or days, from column `column` of `w`). */
const cutoff = (now: Date, unit: 'months' | 'days', column: 'retainOpenAnswersMonths' | 'retainInactiveCustomersMonths' | 'retainEventsDays' | 'retainAuditDays') =>
  sql<Date>`${now}::timestamptz - make_interval(${sql.raw(unit)} => ${sql.ref(`w.${column}`)})`;

/** The rows each rule would touch in the workspace at `now`. */
export const retentionCandidates = {
  /** Open-text answers older than the open-answer retention. */
  openAnswers: (workspaceId: string, now: Date) =>
    db
      .selectFrom('Answer as a')
      .innerJoin('Workspace as w', 'w.id', 'a.workspaceId')
      .select('a.id')
      .where('a.workspaceId', '=', workspaceId)
      .where('a.text', 'is not', null)
      .where('a.answeredAt', '<', cutoff(now, 'months', 'retainOpenAnswersMonths')),
  /** Follow-up comments (the customer's words) older than the open-answer retention. */
  followUpComments: (workspaceId: string, now: Date) =>
    db
      .selectFrom('FollowUp as f')
      .innerJoin('Workspace as w', 'w.id', 'f.workspaceId')
      .select('f.id')
      .where('f.workspaceId', '=', workspaceId)
      .where('f.comment', 'is not', null)
      .where('f.createdAt', '<', cutoff(now, 'months', 'retainOpenAnswersMonths')),
  /** Customers (not erased yet) without an order, touchpoint or response within the inactivity retention. */
  inactiveCustomers: (workspaceId: string, now: Date) =>
    db
      .selectFrom('Customer as c')
      .innerJoin('Workspace as w', 'w.id', 'c.workspaceId')
      .select('c.id')
      .where('c.workspaceId', '=', workspaceId)
      .where('c.erasedAt', 'is', null)
      .where(
        (eb) =>
          eb.fn('GREATEST', [
            'c.customerSince',
            eb
              .selectFrom('Order as o')
              .select((o) => o.fn.max('o.orderedAt').as('last'))
              .whereRef('o.customerId', '=', 'c.id'),
            eb
              .selectFrom('Touchpoint as t')
              .select((t) => t.fn.max('t.occurredAt').as('last'))
              .whereRef('t.customerId', '=', 'c.id'),
            eb
              .selectFrom('SurveyResponse as r')
              .select((r) => r.fn.max('r.startedAt').as('last'))
              .whereRef('r.customerId', '=', 'c.id'),
          ]),
        '<',
        cutoff(now, 'months', 'retainInactiveCustomersMonths'),
      ),
  /** Relayed events older than the event retention; events still owed to a webhook stay until delivered or given up. */
  events: (workspaceId: string, now: Date) =>
    db
      .selectFrom('DomainEvent as e')
      .innerJoin('Workspace as w', 'w.id', 'e.workspaceId')
      .select('e.id')
      .where('e.workspaceId', '=', workspaceId)
      .where('e.relayedAt', 'is not', null)
      .where('e.occurredAt', '<', cutoff(now, 'days', 'retainEventsDays'))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('WebhookDelivery as d')
              .select(sql<number>`1`.as('one'))
              .whereRef('d.eventId', '=', 'e.id')
              .where('d.status', 'in', ['PENDING', 'SENDING', 'RETRYING']),
          ),
        ),
      ),
  /** Audit entries older than the audit retention. */
  auditEntries: (workspaceId: string, now: Date) =>
    db
      .selectFrom('AuditEntry as x')
      .innerJoin('Workspace as w', 'w.id', 'x.workspaceId')
      .select('x.id')
      .where('x.workspaceId', '=', workspaceId)
      .where('x.occurredAt', '<', cutoff(now, 'days', 'retainAuditDays')),
};

export type RetentionRule = keyof typeof retentionCandidates;

/** How many rows a rule would touch. */
export const countCandidates = (rule: RetentionRule, workspaceId: string, now: Date) => db.selectFrom(retentionCandidates[rule](workspaceId, now).as('c')).select(sql<number>`count(*)::int`.as('n'));

/** Applies a rule other than inactive customers (erased one by one by the erasure routine) and counts the rows it changed. */
export const applyRetentionRule = (rule: Exclude<RetentionRule, 'inactiveCustomers'>, workspaceId: string, now: Date) => {
  const candidates = retentionCandidates[rule](workspaceId, now);
  const changed = {
    openAnswers: () => db.updateTable('Answer').set({ text: null }).where('id', 'in', candidates).returning('id'),
    followUpComments: () => db.updateTable('FollowUp').set({ comment: null }).where('id', 'in', candidates).returning('id'),
    events: () => db.deleteFrom('DomainEvent').where('id', 'in', candidates).returning('id'),
    auditEntries: () => db.deleteFrom('AuditEntry').where('id', 'in', candidates).returning('id'),
  }[rule];
  return db
    .with('changed', changed)
    .selectFrom('changed')
    .select(sql<number>`count(*)::int`.as('n'));
};

/** The workspace's policy columns set (null keeps that data). */
export const setRetentionPolicy = (
  workspaceId: string,
  policy: { retainOpenAnswersMonths?: number | null; retainInactiveCustomersMonths?: number | null; retainEventsDays?: number | null; retainAuditDays?: number | null },
) =>
  db
    .updateTable('Workspace')
    .set({ ...policy, updatedAt: sql<Date>`now()` })
    .where('id', '=', workspaceId);

/** One audit entry for a retention run, naming (up to 100 of) the customers it erased. */
export const recordRetentionRun = (workspaceId: string, now: Date, targetIds: string[]) =>
  db.insertInto('AuditEntry').values({ workspaceId, occurredAt: now, actorType: 'RETENTION', operation: 'retention', targetIds, outcome: 'OK' });

/** Workspaces with any retention policy. */
export const workspacesWithRetention = () =>
  db
    .selectFrom('Workspace')
    .select('id')
    .where(sql<boolean>`COALESCE("retainOpenAnswersMonths", "retainInactiveCustomersMonths", "retainEventsDays", "retainAuditDays") IS NOT NULL`);
