import { z } from 'zod';
import { countChanged, type SqlRunner } from '../../db/sql-runner.js';
import { globalId } from '../events/global-id.js';
import { parseOrThrow } from '../validation.js';
import { eraseCustomerOrThrow } from './erasure.js';

/** A workspace's retention policy; null keeps that data. */
export const retentionPolicySchema = z
  .object({
    openAnswersMonths: z.number().int().min(1).max(240).nullable(),
    inactiveCustomersMonths: z.number().int().min(1).max(240).nullable(),
    eventsDays: z.number().int().min(1).max(3650).nullable(),
    auditDays: z.number().int().min(30, 'must be at least 30 days: the audit log must outlive the questions about it').max(3650).nullable(),
  })
  .partial()
  .strict();
export type RetentionPolicy = z.output<typeof retentionPolicySchema>;

const COLUMNS = {
  openAnswersMonths: 'retainOpenAnswersMonths',
  inactiveCustomersMonths: 'retainInactiveCustomersMonths',
  eventsDays: 'retainEventsDays',
  auditDays: 'retainAuditDays',
} as const;

export interface RetentionReport {
  dryRun: boolean;
  /** Open-text answers cleared. */
  openAnswers: number;
  /** Follow-up comments (the customer's words) cleared. */
  followUpComments: number;
  /** Customers erased for inactivity. */
  inactiveCustomers: number;
  /** Events deleted, with their finished webhook deliveries. */
  events: number;
  auditEntries: number;
}

/**
 * The rows each rule would touch ($1 workspace, $2 now). Every cutoff comes from the workspace's
 * own policy column, so a null policy matches nothing.
 */
const CANDIDATES = {
  openAnswers: `SELECT a.id FROM "Answer" a JOIN "Workspace" w ON w.id = a."workspaceId"
                 WHERE a."workspaceId" = $1::uuid AND a.text IS NOT NULL AND a."answeredAt" < $2::timestamptz - make_interval(months => w."retainOpenAnswersMonths")`,
  followUpComments: `SELECT f.id FROM "FollowUp" f JOIN "Workspace" w ON w.id = f."workspaceId"
                 WHERE f."workspaceId" = $1::uuid AND f.comment IS NOT NULL AND f."createdAt" < $2::timestamptz - make_interval(months => w."retainOpenAnswersMonths")`,
  inactiveCustomers: `SELECT c.id FROM "Customer" c JOIN "Workspace" w ON w.id = c."workspaceId"
                 WHERE c."workspaceId" = $1::uuid AND c."erasedAt" IS NULL
                   AND GREATEST(c."customerSince",
                                (SELECT max(o."orderedAt") FROM "Order" o WHERE o."customerId" = c.id),
                                (SELECT max(t."occurredAt") FROM "Touchpoint" t WHERE t."customerId" = c.id),
                                (SELECT max(r."startedAt") FROM "SurveyResponse" r WHERE r."customerId" = c.id))
                       < $2::timestamptz - make_interval(months => w."retainInactiveCustomersMonths")`,
  // Events still owed to a webhook stay until they are delivered or given up.
  events: `SELECT e.id FROM "DomainEvent" e JOIN "Workspace" w ON w.id = e."workspaceId"
                 WHERE e."workspaceId" = $1::uuid AND e."relayedAt" IS NOT NULL AND e."occurredAt" < $2::timestamptz - make_interval(days => w."retainEventsDays")
                   AND NOT EXISTS (SELECT 1 FROM "WebhookDelivery" d WHERE d."eventId" = e.id AND d.status IN ('PENDING', 'SENDING', 'RETRYING'))`,
  auditEntries: `SELECT x.id FROM "AuditEntry" x JOIN "Workspace" w ON w.id = x."workspaceId"
                 WHERE x."workspaceId" = $1::uuid AND x."occurredAt" < $2::timestamptz - make_interval(days => w."retainAuditDays")`,
} as const;

const APPLY: Record<Exclude<keyof typeof CANDIDATES, 'inactiveCustomers'>, string> = {
  openAnswers: `UPDATE "Answer" SET text = NULL WHERE id IN (${CANDIDATES.openAnswers}) RETURNING 1`,
  followUpComments: `UPDATE "FollowUp" SET comment = NULL WHERE id IN (${CANDIDATES.followUpComments}) RETURNING 1`,
  events: `DELETE FROM "DomainEvent" WHERE id IN (${CANDIDATES.events}) RETURNING 1`,
  auditEntries: `DELETE FROM "AuditEntry" WHERE id IN (${CANDIDATES.auditEntries}) RETURNING 1`,
};

export async function updateRetentionPolicyOrThrow(sql: SqlRunner, workspaceId: string, input: unknown): Promise<void> {
  const policy = parseOrThrow(retentionPolicySchema, input);
  const entries = Object.entries(policy).filter(([, value]) => value !== undefined) as Array<[keyof typeof COLUMNS, number | null]>;
  if (entries.length === 0) return;
  await sql.session((conn) =>
    conn.query(`UPDATE "Workspace" SET ${entries.map(([field], index) => `"${COLUMNS[field]}" = $${index + 2}::int`).join(', ')}, "updatedAt" = now() WHERE id = $1::uuid`, [
      workspaceId,
      ...entries.map(([, value]) => value),
    ]),
  );
}

/**
 * Applies (or, as a dry run, reports) a workspace's retention policy. Inactive customers are erased
 * one by one with the erasure routine (receipt, customer.erased event); the other rules run in one
 * transaction. One audit entry records the run and the customers it erased.
 */
export async function applyRetention(sql: SqlRunner, workspaceId: string, now: Date, options: { dryRun: boolean }): Promise<RetentionReport> {
  const count = (candidates: string) => sql.session(async (conn) => (await conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${candidates}) c`, [workspaceId, now]))[0]?.n ?? 0);
  if (options.dryRun) {
    return {
      dryRun: true,
      openAnswers: await count(CANDIDATES.openAnswers),
      followUpComments: await count(CANDIDATES.followUpComments),
      inactiveCustomers: await count(CANDIDATES.inactiveCustomers),
      events: await count(CANDIDATES.events),
      auditEntries: await count(CANDIDATES.auditEntries),
    };
  }
  // The age rules first, so that the report counts what they removed (an erasure after would
  // clear the same words again), then the erasures, whose new events and receipts are not old.
  const applied = await sql.transaction(async (conn) => {
    const run = (statement: string) => countChanged(conn, statement, [workspaceId, now]);
    return { openAnswers: await run(APPLY.openAnswers), followUpComments: await run(APPLY.followUpComments), events: await run(APPLY.events), auditEntries: await run(APPLY.auditEntries) };
  });
  const inactive = await sql.session((conn) => conn.query<{ id: string }>(CANDIDATES.inactiveCustomers, [workspaceId, now]));
  for (const { id } of inactive) await eraseCustomerOrThrow(sql, workspaceId, id, { apiKeyId: null }, now);
  const report = { dryRun: false, ...applied, inactiveCustomers: inactive.length };
  if (Object.values(applied).some((n) => n > 0) || inactive.length > 0) {
    await sql.session((conn) =>
      conn.query(`INSERT INTO "AuditEntry" ("workspaceId", "occurredAt", "actorType", operation, "targetIds", outcome) VALUES ($1::uuid, $2, 'RETENTION', 'retention', $3::text[], 'OK')`, [
        workspaceId,
        now,
        inactive.slice(0, 100).map(({ id }) => globalId('Customer', id)),
      ]),
    );
  }
  return report;
}

/** The daily run: every workspace with a policy. */
export async function applyRetentionEverywhere(sql: SqlRunner, now: Date): Promise<number> {
  const workspaces = await sql.session((conn) =>
    conn.query<{ id: string }>(`SELECT id FROM "Workspace" WHERE COALESCE("retainOpenAnswersMonths", "retainInactiveCustomersMonths", "retainEventsDays", "retainAuditDays") IS NOT NULL`),
  );
  for (const { id } of workspaces) await applyRetention(sql, id, now, { dryRun: false });
  return workspaces.length;
}
