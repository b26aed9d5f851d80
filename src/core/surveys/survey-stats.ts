import { sql } from 'kysely';
import { db, run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { dropOff } from '../metrics/drop-off.js';
import { responseRate } from '../metrics/response-rate.js';
import { NOT_DELIVERED } from './invitation-states.js';

export interface SurveyStats {
  byStatus: Array<{ status: string; count: number }>;
  skippedByReason: Array<{ reason: string; count: number }>;
  /** Invitations that reached the customer (sent or later, excluding bounces and failures). */
  delivered: number;
  started: number;
  completed: number;
  /** completed / delivered x 100; null when nothing was delivered. */
  responseRate: number | null;
  dropOff: Array<{ questionId: string; position: number; reached: number; answered: number; skipped: number; abandoned: number; dropOffRate: number | null }>;
}

/** The invitation funnel of a set of "Invitation" rows: delivered (sent, not bounced or failed), started, completed. */
export const funnelColumns = () =>
  [
    sql<number>`count(*) FILTER (WHERE "sentAt" IS NOT NULL AND NOT status::text = ANY (${NOT_DELIVERED.values}::text[]))::int`.as('delivered'),
    sql<number>`count(*) FILTER (WHERE "startedAt" IS NOT NULL)::int`.as('started'),
    sql<number>`count(*) FILTER (WHERE status = 'COMPLETED')::int`.as('completed'),
  ] as const;

/** Counts computed in the database, one statement per part, in one session; the workspace is explicit in each. */
export async function surveyStats(runner: SqlRunner, workspaceId: string, surveyId: string): Promise<SurveyStats> {
  const invitations = db.selectFrom('Invitation').where('workspaceId', '=', workspaceId).where('surveyId', '=', surveyId);
  const count = sql<number>`count(*)::int`.as('count');
  const [byStatus, skippedByReason, [funnel], dropOffRows] = await runner.session(async (conn) => [
    await run(
      conn,
      invitations
        .select([sql<string>`status::text`.as('status'), count])
        .groupBy('status')
        .orderBy('status'),
    ),
    await run(
      conn,
      invitations
        .select([sql<string>`"skipReason"::text`.as('reason'), count])
        .where('status', '=', 'SKIPPED')
        .groupBy('skipReason')
        .orderBy('reason'),
    ),
    await run(conn, invitations.select(funnelColumns())),
    // A response abandons at the last question it reached, when it never completed.
    await run(
      conn,
      sql<{ questionId: string; position: number; reached: number; answered: number; skipped: number; abandoned: number }>`
        WITH last AS (
          SELECT DISTINCT ON (a."responseId") a."responseId", a."questionId"
            FROM "Answer" a JOIN "Question" q ON q.id = a."questionId"
           WHERE a."workspaceId" = ${workspaceId}::uuid AND q."surveyId" = ${surveyId}::uuid
           ORDER BY a."responseId", q.position DESC)
        SELECT q.id AS "questionId", q.position,
               count(a.id)::int AS reached,
               count(a.id) FILTER (WHERE NOT a.skipped)::int AS answered,
               count(a.id) FILTER (WHERE a.skipped)::int AS skipped,
               (SELECT count(*) FROM last JOIN "SurveyResponse" r ON r.id = last."responseId"
                 WHERE last."questionId" = q.id AND r."completedAt" IS NULL)::int AS abandoned
          FROM "Question" q LEFT JOIN "Answer" a ON a."questionId" = q.id
         WHERE q."workspaceId" = ${workspaceId}::uuid AND q."surveyId" = ${surveyId}::uuid
         GROUP BY q.id, q.position ORDER BY q.position`,
    ),
  ]);
  const { delivered = 0, started = 0, completed = 0 } = funnel ?? {};
  return {
    byStatus,
    skippedByReason,
    delivered,
    started,
    completed,
    responseRate: responseRate(completed, delivered),
    dropOff: dropOffRows.map((row) => ({ ...row, dropOffRate: dropOff(row.reached, row.abandoned) })),
  };
}
