import { sql } from 'kysely';
import { run } from '../../../db/kysely.js';
import type { SqlRunner } from '../../../db/sql-runner.js';
import { ValidationError } from '../../errors.js';
import { and, bucketOf, customerConditions, dayStart, segmentAtResponse, segmentConditions, sliceConditions, type Condition } from '../metrics.queries.js';
import { isMonthStart } from './buckets.js';
import type { Dimension, Grouping, MetricsFilter } from './metrics-filter.js';

export type ScoreQuestionType = 'NPS' | 'CSAT' | 'CES';

export interface ScoreCountRow {
  /** Bucket start (YYYY-MM-DD), dimension value, or null (ungrouped, or no value). */
  group: string | null;
  score: number;
  count: number;
}

export interface ScoreCounts {
  /** ROLLUP_DAY / ROLLUP_MONTH: read from the rollup tables; LIVE: aggregated from the answers. */
  source: 'ROLLUP_DAY' | 'ROLLUP_MONTH' | 'LIVE';
  rows: ScoreCountRow[];
}

const DIMENSION_COLUMN: Record<Exclude<Dimension, 'SEGMENT'>, string> = {
  SURVEY: 'surveyId',
  BUSINESS_UNIT: 'businessUnitId',
  CHANNEL: 'channel',
  JOURNEY_PHASE: 'journeyPhase',
  TOUCHPOINT_TYPE: 'touchpointType',
};

/** A dimension's value on a rollup row or a response (alias), as text. */
const dimensionOf = (alias: string, dimension: Exclude<Dimension, 'SEGMENT'>) => sql<string>`${sql.ref(`${alias}.${DIMENSION_COLUMN[dimension]}`)}::text`;

/** The slice columns the rollups and their deltas share. */
const SLICE_COLUMNS = sql`"surveyId", "questionId", "businessUnitId", channel, "journeyPhase", "touchpointType"`;

/** No question or slice narrows the filter: the per-workspace monthly totals can answer. */
function wholeWorkspace(filter: MetricsFilter): boolean {
  return !filter.questionIds && !filter.surveyIds && !filter.businessUnitIds && !filter.channels && !filter.journeyPhases && !filter.touchpointTypes;
}

/**
 * Answers per score for one question type, grouped by a time bucket or a dimension, computed in
 * the database. Uses the month rollup when the period is whole months and the grouping allows it,
 * the day rollup when only slices the rollups keep are filtered on, and the answers themselves
 * otherwise (customer attributes, segments). All three give the same numbers.
 */
export async function scoreCounts(
  runner: SqlRunner,
  workspace: { id: string; timeZone: string },
  type: ScoreQuestionType,
  filter: MetricsFilter,
  grouping: Grouping,
  extra: Condition[] = [],
): Promise<ScoreCounts> {
  const bySegment = grouping !== null && 'dimension' in grouping && grouping.dimension === 'SEGMENT';
  if (bySegment && !filter.segmentIds) throw new ValidationError([{ path: ['filter', 'segmentIds'], message: 'name the segments to group by' }]);
  const live = filter.customer !== undefined || filter.segmentIds !== undefined || bySegment || extra.length > 0;
  const monthly =
    !live && isMonthStart(filter.period.from) && isMonthStart(filter.period.to) && (grouping === null || !('bucket' in grouping) || ['MONTH', 'QUARTER', 'YEAR'].includes(grouping.bucket));
  let statement;
  let source: ScoreCounts['source'];
  if (!live) {
    source = monthly ? 'ROLLUP_MONTH' : 'ROLLUP_DAY';
    const table = sql.table(monthly ? 'ScoreRollupMonth' : 'ScoreRollupDay');
    const dateColumn = monthly ? 'month' : 'day';
    // Group on the raw column (or its truncation) and format only the aggregated rows.
    const sameGrain = grouping !== null && 'bucket' in grouping && grouping.bucket === (monthly ? 'MONTH' : 'DAY');
    const group =
      grouping === null
        ? sql`NULL::date`
        : 'bucket' in grouping
          ? sameGrain
            ? sql.ref(`t.${dateColumn}`)
            : sql`date_trunc(${grouping.bucket.toLowerCase()}, ${sql.ref(`t.${dateColumn}`)})::date`
          : dimensionOf('t', grouping.dimension as Exclude<Dimension, 'SEGMENT'>);
    const format = grouping !== null && 'bucket' in grouping ? sql`to_char(g, 'YYYY-MM-DD')` : sql`g::text`;
    const period = (column: string) =>
      and([
        sql`u."workspaceId" = ${workspace.id}::uuid`,
        sql`u."questionType" = ${type}::"QuestionType"`,
        sql`${sql.ref(`u.${column}`)} >= ${filter.period.from}::date`,
        sql`${sql.ref(`u.${column}`)} < ${filter.period.to}::date`,
      ]);
    // The folded counts plus the deltas the answer path appended since the last fold, in one
    // snapshot: exact at every moment (a month period starts and ends on month starts, so the
    // deltas' days select the same months).
    const deltaDate = monthly ? sql`date_trunc('month', u.day)::date` : sql`u.day`;
    // Unsliced whole months: the monthly totals (one row per month and score) plus the deltas.
    const totals = monthly && wholeWorkspace(filter) && (grouping === null || 'bucket' in grouping);
    const from = totals
      ? sql`(SELECT month, score, count FROM "ScoreMonthTotal" u WHERE ${period('month')}
          UNION ALL
          SELECT ${deltaDate}, score, delta FROM "ScoreRollupDelta" u WHERE ${period('day')})`
      : sql`(SELECT ${SLICE_COLUMNS}, ${sql.ref(dateColumn)}, score, count FROM ${table} u WHERE ${period(dateColumn)}
          UNION ALL
          SELECT ${SLICE_COLUMNS}, ${deltaDate}, score, delta FROM "ScoreRollupDelta" u WHERE ${period('day')})`;
    const conditions = totals ? [] : [...(filter.questionIds ? [sql`t."questionId" = ANY (${filter.questionIds}::uuid[])`] : []), ...sliceConditions(filter, 't')];
    statement = sql<{ group: string | null; score: number; count: number }>`SELECT ${format} AS "group", score, count FROM (
              SELECT ${group} AS g, t.score, sum(t.count)::int AS count FROM ${from} t WHERE ${and(conditions)} GROUP BY 1, 2 HAVING sum(t.count) <> 0) x`;
  } else {
    source = 'LIVE';
    const group =
      grouping === null
        ? sql`NULL::text`
        : 'bucket' in grouping
          ? bucketOf(grouping.bucket, sql`a."answeredAt"`, workspace.timeZone)
          : grouping.dimension === 'SEGMENT'
            ? sql`sm."segmentId"::text`
            : dimensionOf('r', grouping.dimension);
    // Grouping by segment counts an answer once in every listed segment its customer is in.
    const segmentJoin = bySegment
      ? filter.segmentMembership === 'AT_RESPONSE'
        ? sql`JOIN "SegmentMembership" sm ON sm."customerId" = r."customerId" AND sm."segmentId" = ANY (${filter.segmentIds}::uuid[]) AND sm."enteredAt" <= a."answeredAt" AND (sm."leftAt" IS NULL OR sm."leftAt" > a."answeredAt")`
        : sql`JOIN "SegmentMembership" sm ON sm."customerId" = r."customerId" AND sm."segmentId" = ANY (${filter.segmentIds}::uuid[]) AND sm."leftAt" IS NULL`
      : sql``;
    const conditions = [
      sql`a."workspaceId" = ${workspace.id}::uuid`,
      sql`q.type = ${type}::"QuestionType"`,
      sql`a.score IS NOT NULL`,
      sql`NOT a.skipped`,
      sql`a."answeredAt" >= ${dayStart(filter.period.from, workspace.timeZone)}`,
      sql`a."answeredAt" < ${dayStart(filter.period.to, workspace.timeZone)}`,
      ...(filter.questionIds ? [sql`a."questionId" = ANY (${filter.questionIds}::uuid[])`] : []),
      ...sliceConditions(filter, 'r'),
      ...customerConditions(filter.customer),
      ...(bySegment ? [] : filter.segmentMembership === 'AT_RESPONSE' ? segmentAtResponse(filter) : segmentConditions(filter)),
      ...extra,
    ];
    statement = sql<{ group: string | null; score: number; count: number }>`SELECT ${group} AS "group", a.score, count(*)::int AS count
              FROM "Answer" a
              JOIN "SurveyResponse" r ON r.id = a."responseId"
              JOIN "Question" q ON q.id = a."questionId"
              LEFT JOIN "Customer" c ON c.id = r."customerId"
              ${segmentJoin}
             WHERE ${and(conditions)}
             GROUP BY 1, 2`;
  }
  // A live count's best plan depends on its period and filters: plan it for the values every time.
  const rows = await runner.session((conn) => run(conn, statement, { prepare: !live }));
  return { source, rows: rows.map((row) => ({ group: row.group, score: Number(row.score), count: Number(row.count) })) };
}

/** Live aggregation regardless of filters: what tests compare the rollups against. */
export async function liveScoreCounts(runner: SqlRunner, workspace: { id: string; timeZone: string }, type: ScoreQuestionType, filter: MetricsFilter, grouping: Grouping): Promise<ScoreCounts> {
  return scoreCounts(runner, workspace, type, filter, grouping, [sql`TRUE`]);
}
