import type { SqlRunner } from '../../../db/sql-runner.js';
import { ValidationError } from '../../errors.js';
import { isMonthStart } from './buckets.js';
import type { CustomerFilter, Dimension, Grouping, MetricsFilter } from './metrics-filter.js';
import { SqlParams } from './sql-params.js';

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

/** Extra conditions on the customer (alias c), e.g. segment membership; forces the live path. */
export type CustomerCondition = (params: SqlParams) => string;

const DIMENSION_COLUMN: Record<Exclude<Dimension, 'SEGMENT'>, string> = {
  SURVEY: '"surveyId"::text',
  BUSINESS_UNIT: '"businessUnitId"::text',
  CHANNEL: 'channel',
  JOURNEY_PHASE: '"journeyPhase"::text',
  TOUCHPOINT_TYPE: '"touchpointType"',
};

/** The slice columns the rollups and their deltas share. */
const SLICE_COLUMNS = '"surveyId", "questionId", "businessUnitId", channel, "journeyPhase", "touchpointType"';

/** No question or slice narrows the filter: the per-workspace monthly totals can answer. */
function wholeWorkspace(filter: MetricsFilter): boolean {
  return !filter.questionIds && !filter.surveyIds && !filter.businessUnitIds && !filter.channels && !filter.journeyPhases && !filter.touchpointTypes;
}

/** The filter's slices of an answer (alias: the score rollup or the response): survey, unit, channel, journey phase, touchpoint type. */
export function sliceConditions(filter: MetricsFilter, params: SqlParams, alias: string): string[] {
  const conditions: string[] = [];
  if (filter.surveyIds) conditions.push(`${alias}."surveyId" = ANY (${params.add(filter.surveyIds)}::uuid[])`);
  if (filter.businessUnitIds) conditions.push(`${alias}."businessUnitId" = ANY (${params.add(filter.businessUnitIds)}::uuid[])`);
  if (filter.channels) conditions.push(`${alias}.channel = ANY (${params.add(filter.channels)}::text[])`);
  if (filter.journeyPhases) conditions.push(`${alias}."journeyPhase"::text = ANY (${params.add(filter.journeyPhases)}::text[])`);
  if (filter.touchpointTypes) conditions.push(`${alias}."touchpointType" = ANY (${params.add(filter.touchpointTypes)}::text[])`);
  return conditions;
}

export function customerConditions(customer: CustomerFilter | undefined, params: SqlParams, alias = 'c'): string[] {
  if (!customer) return [];
  const conditions: string[] = [];
  for (const field of ['country', 'province', 'city', 'ageBand', 'gender', 'incomeBand', 'locale'] as const) {
    const value = customer[field];
    if (value !== undefined) conditions.push(`${alias}."${field}" = ${params.add(value)}`);
  }
  if (customer.attributes) conditions.push(`${alias}.attributes @> ${params.add(JSON.stringify(customer.attributes))}::jsonb`);
  return conditions;
}

/** Customers (alias c) currently in any of the filter's segments. */
export function segmentConditions(filter: MetricsFilter, params: SqlParams, alias = 'c'): string[] {
  if (!filter.segmentIds) return [];
  return [`${alias}.id IN (SELECT m."customerId" FROM "SegmentMembership" m WHERE m."segmentId" = ANY (${params.add(filter.segmentIds)}::uuid[]) AND m."leftAt" IS NULL)`];
}

/** Answers given while the customer was in any of the filter's segments. */
function segmentAtResponse(filter: MetricsFilter, params: SqlParams): string[] {
  if (!filter.segmentIds) return [];
  return [
    `EXISTS (SELECT 1 FROM "SegmentMembership" m WHERE m."segmentId" = ANY (${params.add(filter.segmentIds)}::uuid[]) AND m."customerId" = r."customerId"
              AND m."enteredAt" <= a."answeredAt" AND (m."leftAt" IS NULL OR m."leftAt" > a."answeredAt"))`,
  ];
}

/**
 * Answers per score for one question type, grouped by a time bucket or a dimension, computed in
 * the database. Uses the month rollup when the period is whole months and the grouping allows it,
 * the day rollup when only slices the rollups keep are filtered on, and the answers themselves
 * otherwise (customer attributes, segments). All three give the same numbers.
 */
export async function scoreCounts(
  sql: SqlRunner,
  workspace: { id: string; timeZone: string },
  type: ScoreQuestionType,
  filter: MetricsFilter,
  grouping: Grouping,
  extra: CustomerCondition[] = [],
): Promise<ScoreCounts> {
  const params = new SqlParams();
  const bySegment = grouping !== null && 'dimension' in grouping && grouping.dimension === 'SEGMENT';
  if (bySegment && !filter.segmentIds) throw new ValidationError([{ path: ['filter', 'segmentIds'], message: 'name the segments to group by' }]);
  const live = filter.customer !== undefined || filter.segmentIds !== undefined || bySegment || extra.length > 0;
  const monthly =
    !live && isMonthStart(filter.period.from) && isMonthStart(filter.period.to) && (grouping === null || !('bucket' in grouping) || ['MONTH', 'QUARTER', 'YEAR'].includes(grouping.bucket));
  let text: string;
  let source: ScoreCounts['source'];
  if (!live) {
    source = monthly ? 'ROLLUP_MONTH' : 'ROLLUP_DAY';
    const table = monthly ? '"ScoreRollupMonth"' : '"ScoreRollupDay"';
    const dateColumn = monthly ? 'month' : 'day';
    // Group on the raw column (or its truncation) and format only the aggregated rows.
    const sameGrain = grouping !== null && 'bucket' in grouping && grouping.bucket === (monthly ? 'MONTH' : 'DAY');
    const group =
      grouping === null
        ? 'NULL::date'
        : 'bucket' in grouping
          ? sameGrain
            ? `t.${dateColumn}`
            : `date_trunc(${params.add(grouping.bucket.toLowerCase())}, t.${dateColumn})::date`
          : `t.${DIMENSION_COLUMN[grouping.dimension as Exclude<Dimension, 'SEGMENT'>]}`;
    const format = grouping !== null && 'bucket' in grouping ? `to_char(g, 'YYYY-MM-DD')` : 'g::text';
    const period = (alias: string, column: string) => [
      `${alias}."workspaceId" = ${params.add(workspace.id)}::uuid`,
      `${alias}."questionType" = ${params.add(type)}::"QuestionType"`,
      `${alias}.${column} >= ${params.add(filter.period.from)}::date`,
      `${alias}.${column} < ${params.add(filter.period.to)}::date`,
    ];
    // The folded counts plus the deltas the answer path appended since the last fold, in one
    // snapshot: exact at every moment (a month period starts and ends on month starts, so the
    // deltas' days select the same months).
    const deltaDate = monthly ? `date_trunc('month', u.day)::date` : 'u.day';
    // Unsliced whole months: the monthly totals (one row per month and score) plus the deltas.
    const totals = monthly && wholeWorkspace(filter) && (grouping === null || 'bucket' in grouping);
    const from = totals
      ? `(SELECT month, score, count FROM "ScoreMonthTotal" u WHERE ${period('u', 'month').join(' AND ')}
          UNION ALL
          SELECT ${deltaDate}, score, delta FROM "ScoreRollupDelta" u WHERE ${period('u', 'day').join(' AND ')})`
      : `(SELECT ${SLICE_COLUMNS}, ${dateColumn}, score, count FROM ${table} u WHERE ${period('u', dateColumn).join(' AND ')}
          UNION ALL
          SELECT ${SLICE_COLUMNS}, ${deltaDate}, score, delta FROM "ScoreRollupDelta" u WHERE ${period('u', 'day').join(' AND ')})`;
    const conditions = totals ? ['TRUE'] : [...(filter.questionIds ? [`t."questionId" = ANY (${params.add(filter.questionIds)}::uuid[])`] : []), ...sliceConditions(filter, params, 't'), 'TRUE'];
    text = `SELECT ${format} AS "group", score, count FROM (
              SELECT ${group} AS g, t.score, sum(t.count)::int AS count FROM ${from} t WHERE ${conditions.join(' AND ')} GROUP BY 1, 2 HAVING sum(t.count) <> 0) x`;
  } else {
    source = 'LIVE';
    const tz = params.add(workspace.timeZone);
    const group =
      grouping === null
        ? 'NULL::text'
        : 'bucket' in grouping
          ? `to_char(date_trunc(${params.add(grouping.bucket.toLowerCase())}, a."answeredAt" AT TIME ZONE ${tz}), 'YYYY-MM-DD')`
          : grouping.dimension === 'SEGMENT'
            ? 'sm."segmentId"::text'
            : `r.${DIMENSION_COLUMN[grouping.dimension]}`;
    // Grouping by segment counts an answer once in every listed segment its customer is in.
    const segmentJoin = bySegment
      ? filter.segmentMembership === 'AT_RESPONSE'
        ? `JOIN "SegmentMembership" sm ON sm."customerId" = r."customerId" AND sm."segmentId" = ANY (${params.add(filter.segmentIds)}::uuid[]) AND sm."enteredAt" <= a."answeredAt" AND (sm."leftAt" IS NULL OR sm."leftAt" > a."answeredAt")`
        : `JOIN "SegmentMembership" sm ON sm."customerId" = r."customerId" AND sm."segmentId" = ANY (${params.add(filter.segmentIds)}::uuid[]) AND sm."leftAt" IS NULL`
      : '';
    const conditions = [
      `a."workspaceId" = ${params.add(workspace.id)}::uuid`,
      `q.type = ${params.add(type)}::"QuestionType"`,
      'a.score IS NOT NULL',
      'NOT a.skipped',
      `a."answeredAt" >= (${params.add(filter.period.from)}::date)::timestamp AT TIME ZONE ${tz}`,
      `a."answeredAt" < (${params.add(filter.period.to)}::date)::timestamp AT TIME ZONE ${tz}`,
      ...(filter.questionIds ? [`a."questionId" = ANY (${params.add(filter.questionIds)}::uuid[])`] : []),
      ...sliceConditions(filter, params, 'r'),
      ...customerConditions(filter.customer, params),
      ...(bySegment ? [] : filter.segmentMembership === 'AT_RESPONSE' ? segmentAtResponse(filter, params) : segmentConditions(filter, params)),
      ...extra.map((condition) => condition(params)),
    ];
    text = `SELECT ${group} AS "group", a.score, count(*)::int AS count
              FROM "Answer" a
              JOIN "SurveyResponse" r ON r.id = a."responseId"
              JOIN "Question" q ON q.id = a."questionId"
              LEFT JOIN "Customer" c ON c.id = r."customerId"
              ${segmentJoin}
             WHERE ${conditions.join(' AND ')}
             GROUP BY 1, 2`;
  }
  // A live count's best plan depends on its period and filters: plan it for the values every time.
  const rows = await sql.session((conn) => conn.query<{ group: string | null; score: number; count: number }>(text, params.values, { prepare: !live }));
  return { source, rows: rows.map((row) => ({ group: row.group, score: Number(row.score), count: Number(row.count) })) };
}

/** Live aggregation regardless of filters: what tests compare the rollups against. */
export async function liveScoreCounts(sql: SqlRunner, workspace: { id: string; timeZone: string }, type: ScoreQuestionType, filter: MetricsFilter, grouping: Grouping): Promise<ScoreCounts> {
  return scoreCounts(sql, workspace, type, filter, grouping, [() => 'TRUE']);
}
