import { sql } from 'kysely';
import { and, customerConditions, dayStart, segmentConditions, sliceConditions } from '../metrics/metrics.queries.js';
import type { MetricsFilter } from '../metrics/queries/metrics-filter.js';

/** The response export's statements, built with the typed seam (src/db/kysely.ts) and run with `run(conn, ...)`. */

export interface QuestionRow {
  id: string;
  surveyName: string;
  defaultLocale: string;
  position: number;
  type: string;
  texts: Record<string, { text?: string }> | null;
}

export interface ResponseRow {
  id: string;
  surveyName: string;
  startedAt: Date | string;
  startedLocal: string;
  completedLocal: string | null;
  channel: string | null;
  locale: string;
  unit: string | null;
  journeyPhase: string | null;
  touchpointType: string | null;
  variant: string | null;
  recordedBy: string | null;
  customerExternalId: string | null;
  answers: Record<string, { s: number | null; c: string[] | null; t: string | null; k: boolean }> | null;
}

type Workspace = { id: string; timeZone: string };

/** Started within the period's calendar days in the workspace's time zone (`to` exclusive). */
const startedInPeriod = (workspace: Workspace, filter: MetricsFilter) =>
  sql`r."startedAt" >= ${dayStart(filter.period.from, workspace.timeZone)} AND r."startedAt" < ${dayStart(filter.period.to, workspace.timeZone)}`;

/** The questions of the filter's surveys (else of the surveys answered in the period), in survey and question order. */
export function exportQuestions(workspace: Workspace, filter: MetricsFilter) {
  const surveys = filter.surveyIds
    ? sql`q."surveyId" = ANY (${filter.surveyIds}::uuid[])`
    : sql`q."surveyId" IN (SELECT DISTINCT r."surveyId" FROM "SurveyResponse" r WHERE r."workspaceId" = ${workspace.id}::uuid AND ${startedInPeriod(workspace, filter)})`;
  return sql<QuestionRow>`
    SELECT q.id, s.name AS "surveyName", s."defaultLocale", q.position, q.type::text AS type, q.texts
      FROM "Question" q JOIN "Survey" s ON s.id = q."surveyId"
     WHERE ${and([sql`q."workspaceId" = ${workspace.id}::uuid`, surveys, ...(filter.questionIds ? [sql`q.id = ANY (${filter.questionIds}::uuid[])`] : [])])}
     ORDER BY s."createdAt", s.id, q.position, q.id`;
}

/** One page of the filter's responses after the keyset position `after` (startedAt, id), with their answers. */
export function exportResponsePage(workspace: Workspace, filter: MetricsFilter, after: { startedAt: Date | string; id: string } | null, pageSize: number) {
  const conditions = [
    sql`r."workspaceId" = ${workspace.id}::uuid`,
    startedInPeriod(workspace, filter),
    ...sliceConditions(filter, 'r'),
    ...customerConditions(filter.customer),
    ...segmentConditions(filter),
    ...(after ? [sql`(r."startedAt", r.id) > (${after.startedAt}::timestamptz, ${after.id}::uuid)`] : []),
  ];
  const local = (column: string) => sql<string>`to_char(${sql.ref(column)} AT TIME ZONE ${workspace.timeZone}, 'YYYY-MM-DD HH24:MI:SS')`;
  return sql<ResponseRow>`
    SELECT r.id, s.name AS "surveyName", r."startedAt", ${local('r.startedAt')} AS "startedLocal", ${local('r.completedAt')} AS "completedLocal",
           r.channel, r.locale, bu.name AS unit, r."journeyPhase"::text AS "journeyPhase", r."touchpointType", i.variant, r."recordedBy",
           c."externalId" AS "customerExternalId",
           (SELECT jsonb_object_agg(a."questionId", jsonb_build_object('s', a.score, 'c', a.choices, 't', a.text, 'k', a.skipped))
              FROM "Answer" a WHERE a."responseId" = r.id) AS answers
      FROM "SurveyResponse" r
      JOIN "Survey" s ON s.id = r."surveyId"
      LEFT JOIN "BusinessUnit" bu ON bu.id = r."businessUnitId"
      LEFT JOIN "Invitation" i ON i.id = r."invitationId"
      LEFT JOIN "Customer" c ON c.id = r."customerId"
     WHERE ${and(conditions)}
     ORDER BY r."startedAt", r.id
     LIMIT ${pageSize}`;
}
