import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
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
export const FUNNEL_COLUMNS = Prisma.sql`count(*) FILTER (WHERE "sentAt" IS NOT NULL AND NOT status::text = ANY (${NOT_DELIVERED.values}::text[]))::int AS delivered,
           count(*) FILTER (WHERE "startedAt" IS NOT NULL)::int AS started,
           count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed`;

/** Counts computed in the database, one statement per part. Raw SQL: the workspace id is explicit. */
export async function surveyStats(prisma: Pick<PrismaClient, '$queryRaw'>, workspaceId: string, surveyId: string): Promise<SurveyStats> {
  const byStatus = await prisma.$queryRaw<Array<{ status: string; count: number }>>`
    SELECT status::text AS status, count(*)::int AS count FROM "Invitation"
     WHERE "workspaceId" = ${workspaceId}::uuid AND "surveyId" = ${surveyId}::uuid GROUP BY status ORDER BY status`;
  const skippedByReason = await prisma.$queryRaw<Array<{ reason: string; count: number }>>`
    SELECT "skipReason"::text AS reason, count(*)::int AS count FROM "Invitation"
     WHERE "workspaceId" = ${workspaceId}::uuid AND "surveyId" = ${surveyId}::uuid AND status = 'SKIPPED' GROUP BY "skipReason" ORDER BY 1`;
  const [funnel] = await prisma.$queryRaw<Array<{ delivered: number; started: number; completed: number }>>`
    SELECT ${FUNNEL_COLUMNS}
      FROM "Invitation" WHERE "workspaceId" = ${workspaceId}::uuid AND "surveyId" = ${surveyId}::uuid`;
  // A response abandons at the last question it reached, when it never completed.
  const dropOffRows = await prisma.$queryRaw<Array<{ questionId: string; position: number; reached: number; answered: number; skipped: number; abandoned: number }>>`
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
     GROUP BY q.id, q.position ORDER BY q.position`;
  const { delivered = 0, started = 0, completed = 0 } = funnel ?? {};
  const rate = responseRate(completed, delivered);
  return {
    byStatus,
    skippedByReason,
    delivered,
    started,
    completed,
    responseRate: rate,
    dropOff: dropOffRows.map((row) => ({ ...row, dropOffRate: dropOff(row.reached, row.abandoned) })),
  };
}
