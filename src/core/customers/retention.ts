import { z } from 'zod';
import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { globalId } from '../events/global-id.js';
import { parseOrThrow } from '../validation.js';
import { eraseCustomerOrThrow } from './erasure.js';
import { applyRetentionRule, countCandidates, recordRetentionRun, retentionCandidates, setRetentionPolicy, workspacesWithRetention, type RetentionRule } from './retention.queries.js';

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

export async function updateRetentionPolicyOrThrow(sql: SqlRunner, workspaceId: string, input: unknown): Promise<void> {
  const policy = parseOrThrow(retentionPolicySchema, input);
  const entries = Object.entries(policy).filter(([, value]) => value !== undefined) as Array<[keyof typeof COLUMNS, number | null]>;
  if (entries.length === 0) return;
  const columns: Partial<Record<(typeof COLUMNS)[keyof typeof COLUMNS], number | null>> = Object.fromEntries(entries.map(([field, value]) => [COLUMNS[field], value]));
  await sql.session((conn) => run(conn, setRetentionPolicy(workspaceId, columns)));
}

/**
 * Applies (or, as a dry run, reports) a workspace's retention policy. Inactive customers are erased
 * one by one with the erasure routine (receipt, customer.erased event); the other rules run in one
 * transaction. One audit entry records the run and the customers it erased.
 */
export async function applyRetention(sql: SqlRunner, workspaceId: string, now: Date, options: { dryRun: boolean }): Promise<RetentionReport> {
  const count = (rule: RetentionRule) => sql.session(async (conn) => (await run(conn, countCandidates(rule, workspaceId, now)))[0]?.n ?? 0);
  if (options.dryRun) {
    return {
      dryRun: true,
      openAnswers: await count('openAnswers'),
      followUpComments: await count('followUpComments'),
      inactiveCustomers: await count('inactiveCustomers'),
      events: await count('events'),
      auditEntries: await count('auditEntries'),
    };
  }
  // The age rules first, so that the report counts what they removed (an erasure after would
  // clear the same words again), then the erasures, whose new events and receipts are not old.
  const applied = await sql.transaction(async (conn) => {
    const apply = async (rule: Exclude<RetentionRule, 'inactiveCustomers'>) => (await run(conn, applyRetentionRule(rule, workspaceId, now)))[0]?.n ?? 0;
    return { openAnswers: await apply('openAnswers'), followUpComments: await apply('followUpComments'), events: await apply('events'), auditEntries: await apply('auditEntries') };
  });
  const inactive = await sql.session((conn) => run(conn, retentionCandidates.inactiveCustomers(workspaceId, now)));
  for (const { id } of inactive) await eraseCustomerOrThrow(sql, workspaceId, id, { apiKeyId: null }, now);
  const report = { dryRun: false, ...applied, inactiveCustomers: inactive.length };
  if (Object.values(applied).some((n) => n > 0) || inactive.length > 0) {
    await sql.session((conn) =>
      run(
        conn,
        recordRetentionRun(
          workspaceId,
          now,
          inactive.slice(0, 100).map(({ id }) => globalId('Customer', id)),
        ),
      ),
    );
  }
  return report;
}

/** The daily run: every workspace with a policy. */
export async function applyRetentionEverywhere(sql: SqlRunner, now: Date): Promise<number> {
  const workspaces = await sql.session((conn) => run(conn, workspacesWithRetention()));
  for (const { id } of workspaces) await applyRetention(sql, id, now, { dryRun: false });
  return workspaces.length;
}
