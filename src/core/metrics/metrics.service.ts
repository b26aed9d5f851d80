import type { NpsGroup } from './score-groups.js';
import { ces } from './ces.js';
import { averageOrderValue, customerValue, periodUnits, purchaseFrequency, repeatCustomerRate, walletShares, type WalletPeriod } from './commerce.js';
import { csat } from './csat.js';
import { npsDifference } from './nps-difference.js';
import { nps, type NpsResult } from './nps.js';
import { PYRAMID_TIERS } from './pareto.js';
import { bucketStarts } from './queries/buckets.js';
import type { Dimension, Grouping, MetricsFilter, TimeBucket } from './queries/metrics-filter.js';
import { scoreCounts, type ScoreCounts, type ScoreQuestionType } from './queries/score-counts.js';
import { commerceBucketRows, commerceRows, deliveredCounts, dropOffRows, npsBehaviourRows, retentionCountsOf, walletRows, workspaceChurnDays, type MetricsScope } from './metrics.queries.js';
import { percentage } from './ratio.js';
import { responseRate } from './response-rate.js';
import { churnRate, inactiveAfterDaysSchema, retentionRate, type RetentionCounts } from './retention.js';
import { parseOrThrow } from '../validation.js';
import { ValidationError } from '../errors.js';
import { dropOff } from './drop-off.js';
import { meanAndVariance, meanDifference } from './mean-difference.js';
import { proportionDifference } from './proportion-difference.js';
import type { ScaleSummary } from './scale-summary.js';

export type { MetricsScope } from './metrics.queries.js';
export { customerFilterConditions } from './metrics.queries.js';

const SCALES = { NPS: { min: 0, size: 11 }, CSAT: { min: 1, size: 5 }, CES: { min: 1, size: 7 } } as const;

function countsByGroup(result: ScoreCounts, type: ScoreQuestionType): Map<string | null, number[]> {
  const scale = SCALES[type];
  const groups = new Map<string | null, number[]>();
  for (const row of result.rows) {
    const index = row.score - scale.min;
    if (index < 0 || index >= scale.size) continue;
    let counts = groups.get(row.group);
    if (!counts) groups.set(row.group, (counts = new Array<number>(scale.size).fill(0)));
    counts[index]! += row.count;
  }
  return groups;
}

type Summary<T extends ScoreQuestionType> = T extends 'NPS' ? NpsResult : ScaleSummary;
const summarise = <T extends ScoreQuestionType>(type: T, counts: number[]): Summary<T> => (type === 'NPS' ? nps(counts) : type === 'CSAT' ? csat(counts) : ces(counts)) as Summary<T>;

/** One score metric for the whole filter. */
export async function scoreMetric<T extends ScoreQuestionType>(scope: MetricsScope, type: T) {
  const result = await scoreCounts(scope.sql, scope.workspace, type, scope.filter, null, scope.customerConditions);
  const counts = countsByGroup(result, type).get(null) ?? new Array<number>(SCALES[type].size).fill(0);
  return { ...summarise(type, counts), source: result.source };
}

/** A score metric per time bucket, every bucket of the period present (empty ones with no answers). */
export async function scoreTrend<T extends ScoreQuestionType>(scope: MetricsScope, type: T, bucket: TimeBucket) {
  const grouping: Grouping = { bucket };
  const result = await scoreCounts(scope.sql, scope.workspace, type, scope.filter, grouping, scope.customerConditions);
  const groups = countsByGroup(result, type);
  return bucketStarts(scope.filter.period.from, scope.filter.period.to, bucket).map((start) => ({
    bucket: start,
    source: result.source,
    ...summarise(type, groups.get(start) ?? new Array<number>(SCALES[type].size).fill(0)),
  }));
}

/** A score metric per value of a dimension (business unit, channel, journey phase ...). */
export async function scoreBy<T extends ScoreQuestionType>(scope: MetricsScope, type: T, dimension: Extract<Grouping, { dimension: unknown }>['dimension']) {
  const result = await scoreCounts(scope.sql, scope.workspace, type, scope.filter, { dimension }, scope.customerConditions);
  return [...countsByGroup(result, type).entries()].sort(([a], [b]) => String(a).localeCompare(String(b))).map(([value, counts]) => ({ value, source: result.source, ...summarise(type, counts) }));
}

/**
 * CSAT per journey phase as the domain defines it: the mean of the CSAT of each touchpoint type in
 * the phase, each weighted equally (`phaseScore`), beside the pooled figure of all the phase's
 * answers. One more grouped query per phase.
 */
export async function csatByJourneyPhase(scope: MetricsScope) {
  const pooled = await scoreBy(scope, 'CSAT', 'JOURNEY_PHASE');
  return Promise.all(
    pooled.map(async (group) => {
      if (group.value === null) return { ...group, phaseScore: null, touchpointTypes: 0 };
      const phase = group.value as MetricsFilter['journeyPhases'] extends Array<infer P> | undefined ? P : never;
      const byType = (await scoreBy({ ...scope, filter: { ...scope.filter, journeyPhases: [phase] } }, 'CSAT', 'TOUCHPOINT_TYPE')).filter((type) => type.value !== null && type.goodShare !== null);
      const phaseScore = byType.length === 0 ? null : byType.reduce((sum, type) => sum + type.goodShare!, 0) / byType.length;
      return { ...group, phaseScore, touchpointTypes: byType.length };
    }),
  );
}

/**
 * CSAT or CES of this filter against another: the good share (CSAT 4-5, CES 5-7) a - b with a pooled
 * two-proportion z-test, and the mean a - b with Welch's t-test.
 */
export async function compareScale(scope: MetricsScope, type: 'CSAT' | 'CES', other: MetricsFilter) {
  const [a, b] = await Promise.all([scoreMetric(scope, type), scoreMetric({ ...scope, filter: other }, type)]);
  const good = (summary: ScaleSummary) => ({ count: Math.round(((summary.goodShare ?? 0) * summary.responses) / 100), total: summary.responses });
  const spread = (summary: ScaleSummary) =>
    meanAndVariance(
      summary.distribution.map((entry) => entry.count),
      SCALES[type].min,
    );
  return { a, b, share: proportionDifference(good(b), good(a)), mean: meanDifference(spread(a), spread(b)) };
}

/** NPS of this filter against another, with the z-test. */
export async function compareNps(scope: MetricsScope, other: MetricsFilter) {
  const [a, b] = await Promise.all([scoreMetric(scope, 'NPS'), scoreMetric({ ...scope, filter: other }, 'NPS')]);
  return { a, b, ...npsDifference(side(a), side(b)) };
}

const side = (result: NpsResult) => ({ responses: result.responses, promoters: result.promoters.count, detractors: result.detractors.count });

/** Delivered and completed invitations sent in the period, in one group or per bucket or dimension value. */
async function responseRateRows(scope: MetricsScope, grouping: Grouping) {
  if (grouping && 'dimension' in grouping && grouping.dimension === 'SEGMENT')
    throw new ValidationError([{ path: ['dimension'], message: 'response rates are not broken down by segment; filter on segmentIds instead' }]);
  return deliveredCounts(scope, grouping);
}

const withRate = (counts: { delivered: number; completed: number }) => ({ delivered: counts.delivered, completed: counts.completed, rate: responseRate(counts.completed, counts.delivered) });

/** Completed responses / invitations delivered in the period (by send time). */
export async function responseRateMetric(scope: MetricsScope) {
  const [row] = await responseRateRows(scope, null);
  return withRate(row ?? { delivered: 0, completed: 0 });
}

/** The response rate per time bucket of the send time; every bucket of the period, empty ones included. */
export async function responseRateTrend(scope: MetricsScope, bucket: TimeBucket) {
  const rows = new Map((await responseRateRows(scope, { bucket })).map((row) => [row.group, row]));
  return bucketStarts(scope.filter.period.from, scope.filter.period.to, bucket).map((start) => ({ bucket: start, ...withRate(rows.get(start) ?? { delivered: 0, completed: 0 }) }));
}

/** The response rate per survey, business unit, channel, journey phase or touchpoint type. */
export async function responseRateBy(scope: MetricsScope, dimension: Exclude<Dimension, 'SEGMENT'>) {
  return (await responseRateRows(scope, { dimension })).sort((a, b) => String(a.group).localeCompare(String(b.group))).map((row) => ({ value: row.group, ...withRate(row) }));
}

/** Retention and churn over the period, from customerSince and churnedAt. */
/**
 * Retention and churn. By default a customer is a customer at a moment between `customerSince` and
 * `churnedAt`. With `inactiveAfterDays` (the argument, else the workspace's
 * `churnAfterDaysWithoutOrder`) a customer is one at a moment only with an order in the days before
 * it: churn as "no order for N days". The formulas are the same either way.
 */
export async function retentionMetric(scope: MetricsScope, inactiveAfterDays?: number | null) {
  if (inactiveAfterDays != null) parseOrThrow(inactiveAfterDaysSchema, inactiveAfterDays, ['inactiveAfterDays']);
  const days = inactiveAfterDays ?? (await workspaceChurnDays(scope));
  const counts = await retentionCountsOf(scope, days);
  return { ...counts, retentionRate: retentionRate(counts), churnRate: churnRate(counts), inactiveAfterDays: days };
}

/** Orders, revenue, repeat rate, frequency, AOV, customer value and Pareto shares per currency. */
export async function commerceMetrics(scope: MetricsScope) {
  const { customers: customerCount, totals: rows, tiers: tierRows, tops: topRows } = await commerceRows(scope);
  return rows.map((row) => {
    const counts = { orders: row.orders, orderingCustomers: row.orderingCustomers, repeatCustomers: row.repeatCustomers, revenue: Number(row.revenue) };
    return {
      currency: row.currency,
      ...counts,
      revenue: row.revenue,
      repeatCustomerRate: repeatCustomerRate(counts),
      purchaseFrequency: purchaseFrequency(counts),
      averageOrderValue: averageOrderValue(counts),
      customerValue: customerValue(counts),
      pareto: topRows
        .filter((top) => top.currency === row.currency)
        .map((top) => ({ topPercent: Number(top.top), customers: Number(top.customers), revenueShare: percentage(Number(top.revenue), counts.revenue) })),
      pyramid: PYRAMID_TIERS.map((tier) => {
        const found = tierRows.filter((entry) => entry.currency === row.currency && entry.tier === tier);
        const customers = found.reduce((sum, entry) => sum + Number(entry.customers), 0);
        const revenue = found.reduce((sum, entry) => sum + Number(entry.revenue), 0);
        // Inactive: ordered nothing (or on balance nothing) in this currency, among the customers of the period.
        const inactive = tier === 'INACTIVE' ? Math.max(0, customerCount - counts.orderingCustomers) : 0;
        return { tier, customers: customers + inactive, revenueShare: tier === 'INACTIVE' ? null : percentage(revenue, counts.revenue) };
      }),
    };
  });
}

/** A per-bucket trend computes each bucket as its own period: at most this many buckets per request. */
export const MAX_PERIOD_TREND_BUCKETS = 60;

/** The filter's period cut into buckets, each clipped to the period; refused past MAX_PERIOD_TREND_BUCKETS. */
function bucketPeriods(scope: MetricsScope, bucket: TimeBucket): Array<{ bucket: string; scope: MetricsScope }> {
  const { from, to } = scope.filter.period;
  const starts = bucketStarts(from, to, bucket);
  if (starts.length > MAX_PERIOD_TREND_BUCKETS)
    throw new ValidationError([{ path: ['bucket'], message: `gives ${starts.length} buckets over this period; at most ${MAX_PERIOD_TREND_BUCKETS}: choose a coarser bucket or a shorter period` }]);
  return starts.map((start, index) => ({
    bucket: start,
    scope: { ...scope, filter: { ...scope.filter, period: { from: start < from ? from : start, to: starts[index + 1] ?? to } } },
  }));
}

/** Retention and churn per time bucket: each bucket is a period of its own (customers at its start and end), the same formulas as `retention`. */
export async function retentionTrend(scope: MetricsScope, bucket: TimeBucket, inactiveAfterDays?: number | null) {
  const points = [];
  for (const period of bucketPeriods(scope, bucket)) points.push({ bucket: period.bucket, retention: await retentionMetric(period.scope, inactiveAfterDays) });
  return points;
}

/** NPS x behaviour per time bucket: in each bucket, customers grouped by their latest NPS answer before the bucket starts, and what they did in it. */
export async function npsBehaviourTrend(scope: MetricsScope, bucket: TimeBucket) {
  const points = [];
  for (const period of bucketPeriods(scope, bucket)) points.push({ bucket: period.bucket, groups: await npsBehaviour(period.scope) });
  return points;
}

/** The largest customer attribute key share of wallet reads (keys are JSON object keys chosen by the team). */
const ATTRIBUTE_KEY = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * Share of wallet (domain: spend with us / the customer's total spend in the category, where that
 * total is known). The total comes from a customer attribute (a CRM field, a needs survey answer
 * imported as an attribute) holding the customer's category spend per week, month or year in
 * `currency`; it is scaled to the period (periodUnits) and compared with their orders in that
 * currency in the period (the order filters apply). Customers without a positive number there are
 * left out and counted as such.
 */
export async function shareOfWalletMetric(scope: MetricsScope, input: { spendAttribute: string; per: WalletPeriod; currency: string }) {
  if (!ATTRIBUTE_KEY.test(input.spendAttribute)) throw new ValidationError([{ path: ['spendAttribute'], message: 'must be an attribute key of letters, digits, "_", "." or "-" (at most 100)' }]);
  if (!/^[A-Z]{3}$/.test(input.currency)) throw new ValidationError([{ path: ['currency'], message: 'must be an ISO 4217 code such as EUR' }]);
  const units = periodUnits(scope.filter.period.from, scope.filter.period.to, input.per);
  const { customers: scoped, rows } = await walletRows(scope, input.spendAttribute, input.currency);
  const known = rows.map((row) => ({ spendWithUs: Number(row.us), categorySpend: Number(row.stated) * units }));
  const shares = walletShares(known);
  return {
    ...shares,
    currency: input.currency,
    per: input.per,
    customers: known.length,
    customersWithoutSpend: scoped - known.length,
    spendWithUs: known.reduce((sum, row) => sum + row.spendWithUs, 0),
    categorySpend: known.reduce((sum, row) => sum + row.categorySpend, 0),
  };
}

/**
 * Revenue per currency, and as one figure only when there is one currency (EUR and USD are never
 * added): `revenue` is "0" without orders and null with several currencies.
 */
function revenueOf(byCurrency: Record<string, string>, customers: number) {
  const revenueByCurrency = Object.entries(byCurrency)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, amount]) => ({ currency, amount, perCustomer: customers > 0 ? Number(amount) / customers : null }));
  const single = revenueByCurrency.length <= 1;
  return {
    revenueByCurrency,
    revenue: single ? (revenueByCurrency[0]?.amount ?? '0') : null,
    revenuePerCustomer: single ? (customers > 0 ? Number(revenueByCurrency[0]?.amount ?? 0) / customers : null) : null,
  };
}

/**
 * Behaviour per NPS group, by each customer's latest NPS answer before the period starts (so the
 * answer comes before the behaviour it should predict): customers, retention and churn over the
 * period, and revenue in it. Do detractors really leave? The answer's slices (survey, question,
 * unit, channel, journey phase, touchpoint type) and the customer filters narrow it.
 */
export async function npsBehaviour(scope: MetricsScope) {
  const rows = await npsBehaviourRows(scope);
  return (['PROMOTERS', 'PASSIVES', 'DETRACTORS'] as const satisfies readonly NpsGroup[]).map((group) => {
    const row = rows.find((entry) => entry.group === group);
    const counts: RetentionCounts = { atStart: row?.atStart ?? 0, atEnd: row?.atEnd ?? 0, acquired: row?.acquired ?? 0, lostFromStart: row?.lostFromStart ?? 0 };
    return {
      group,
      customers: row?.customers ?? 0,
      ...counts,
      retentionRate: retentionRate(counts),
      churnRate: churnRate(counts),
      orders: row?.orders ?? 0,
      ...revenueOf(row?.revenue ?? {}, row?.customers ?? 0),
    };
  });
}

/**
 * Drop-off of one survey among the responses the filter selects (started in the period, the
 * survey's slices, customer and segment filters): per question, how many reached it, answered,
 * skipped, and abandoned there (the last question of a response that never completed).
 */
export async function dropOffMetric(scope: MetricsScope, surveyId: string) {
  const rows = await dropOffRows(scope, surveyId);
  return rows.map((row) => ({ ...row, dropOffRate: dropOff(Number(row.reached), Number(row.abandoned)) }));
}

/**
 * Orders, revenue, repeat rate, purchase frequency, AOV and customer value per time bucket of the
 * order date and per currency (never added across currencies): one grouped statement; buckets
 * without orders appear with zeros for every currency of the period.
 */
export async function commerceTrend(scope: MetricsScope, bucket: TimeBucket) {
  const rows = await commerceBucketRows(scope, bucket);
  const byKey = new Map(rows.map((row) => [`${row.bucket}|${row.currency}`, row]));
  const currencies = [...new Set(rows.map((row) => row.currency))].sort();
  return bucketStarts(scope.filter.period.from, scope.filter.period.to, bucket).flatMap((bucketStart) =>
    currencies.map((currency) => {
      const row = byKey.get(`${bucketStart}|${currency}`);
      const counts = { orders: row?.orders ?? 0, orderingCustomers: row?.orderingCustomers ?? 0, repeatCustomers: row?.repeatCustomers ?? 0, revenue: Number(row?.revenue ?? 0) };
      return {
        bucket: bucketStart,
        currency,
        ...counts,
        revenue: row?.revenue ?? '0',
        repeatCustomerRate: repeatCustomerRate(counts),
        purchaseFrequency: purchaseFrequency(counts),
        averageOrderValue: averageOrderValue(counts),
        customerValue: customerValue(counts),
      };
    }),
  );
}
