import { encodeGlobalID } from '@pothos/plugin-relay';
import { workspaceTimeZone } from '../../../core/workspaces/workspace.service.js';
import { ValidationError } from '../../../core/errors.js';
import {
  commerceMetrics,
  commerceTrend,
  compareNps,
  compareScale,
  csatByJourneyPhase,
  npsBehaviour,
  shareOfWalletMetric,
  retentionTrend,
  npsBehaviourTrend,
  MAX_PERIOD_TREND_BUCKETS,
  dropOffMetric,
  responseRateBy,
  responseRateMetric,
  responseRateTrend,
  retentionMetric,
  scoreBy,
  scoreMetric,
  scoreTrend,
  type MetricsScope,
} from '../../../core/metrics/metrics.service.js';
import { parseMetricsFilterOrThrow, type Dimension, type MetricsFilter } from '../../../core/metrics/queries/metrics-filter.js';
import type { RequestContext } from '../../../core/request-context.js';
import { builder } from '../../builder.js';
import { inputIdOrThrow } from '../../ids.js';
import {
  CommerceMetricRef,
  CommerceTrendPointRef,
  NpsBehaviourRef,
  ResponseRateMetricRef,
  RetentionMetricRef,
  ShareOfWalletMetricRef,
  WalletPeriodEnum,
  RetentionTrendPointRef,
  NpsBehaviourTrendPointRef,
} from './business-metrics.js';
import { MetricDimensionEnum, MetricsFilterInput, TimeBucketEnum } from './metrics-filter.input.js';
import { NpsMetricRef, type NpsShape } from './nps-metric.js';
import { CesMetricRef, CsatMetricRef, type ScaleShape } from './scale-metric.js';
import { MeanDifferenceRef, ProportionDifferenceRef } from './differences.js';
import { DropOffRef } from '../survey-stats.js';
import { CHART_LINK_HOURS, ChartKindEnum, ChartLinkRef, chartLink } from './chart-link.js';

type FilterInput = typeof MetricsFilterInput.$inferInput;

const ID_FIELDS = { surveyIds: 'Survey', questionIds: 'Question', businessUnitIds: 'BusinessUnit', segmentIds: 'Segment' } as const;

/** GraphQL filter -> core filter: global ids decoded (a wrong one names its field), then validated. */
export function toMetricsFilter(input: FilterInput, prefix = ['filter']): MetricsFilter {
  const decoded: Record<string, unknown> = { ...input };
  for (const [field, typename] of Object.entries(ID_FIELDS)) {
    const ids = input[field as keyof typeof ID_FIELDS];
    if (ids) {
      decoded[field] = ids.map((id, index) => {
        try {
          return inputIdOrThrow(String(id), typename, `${field}.${index}`);
        } catch (error) {
          if (error instanceof ValidationError) throw new ValidationError(error.issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path.slice(1)] })));
          throw error;
        }
      });
    }
  }
  for (const key of Object.keys(decoded)) if (decoded[key] === null || decoded[key] === undefined) delete decoded[key];
  if (decoded.customer) decoded.customer = Object.fromEntries(Object.entries(decoded.customer as object).filter(([, value]) => value !== null && value !== undefined));
  return parseMetricsFilterOrThrow(decoded, prefix);
}

export async function metricsScope(ctx: RequestContext, filter: MetricsFilter): Promise<MetricsScope> {
  return { sql: ctx.surveys.sql, workspace: await workspaceTimeZone(ctx.surveys.sql, ctx.viewer.workspaceId), filter };
}

const NpsPointRef = builder.objectRef<NpsShape & { bucket: string }>('NpsTrendPoint').implement({
  fields: (t) => ({ bucket: t.field({ type: 'LocalDate', description: 'First day of the bucket.', resolve: (p) => p.bucket }), nps: t.field({ type: NpsMetricRef, resolve: (p) => p }) }),
});
const CsatPointRef = builder.objectRef<ScaleShape & { bucket: string }>('CsatTrendPoint').implement({
  fields: (t) => ({ bucket: t.field({ type: 'LocalDate', resolve: (p) => p.bucket }), csat: t.field({ type: CsatMetricRef, resolve: (p) => p }) }),
});
const CesPointRef = builder.objectRef<ScaleShape & { bucket: string }>('CesTrendPoint').implement({
  fields: (t) => ({ bucket: t.field({ type: 'LocalDate', resolve: (p) => p.bucket }), ces: t.field({ type: CesMetricRef, resolve: (p) => p }) }),
});

type Grouped<T> = T & { value: string | null; dimension: Dimension };
const groupValue = (g: { value: string | null; dimension: Dimension }) =>
  g.value === null
    ? null
    : g.dimension === 'SURVEY'
      ? encodeGlobalID('Survey', g.value)
      : g.dimension === 'BUSINESS_UNIT'
        ? encodeGlobalID('BusinessUnit', g.value)
        : g.dimension === 'SEGMENT'
          ? encodeGlobalID('Segment', g.value)
          : g.value;
const valueDescription = 'The group: a Survey, BusinessUnit or Segment id, a channel code, a journey phase or a touchpoint type; null for answers without one.';

type ResponseRateShape = { delivered: number; completed: number; rate: number | null };
const ResponseRatePointRef = builder.objectRef<ResponseRateShape & { bucket: string }>('ResponseRateTrendPoint').implement({
  fields: (t) => ({
    bucket: t.field({ type: 'LocalDate', nullable: false, description: 'First day of the bucket (by send time).', resolve: (p) => p.bucket }),
    responseRate: t.field({ type: ResponseRateMetricRef, nullable: false, resolve: (p) => p }),
  }),
});
const ResponseRateGroupRef = builder.objectRef<Grouped<ResponseRateShape>>('ResponseRateByGroup').implement({
  fields: (t) => ({
    value: t.string({ nullable: true, description: valueDescription, resolve: groupValue }),
    responseRate: t.field({ type: ResponseRateMetricRef, nullable: false, resolve: (g) => g }),
  }),
});

const NpsGroupRef = builder.objectRef<Grouped<NpsShape>>('NpsByGroup').implement({
  fields: (t) => ({ value: t.string({ nullable: true, description: valueDescription, resolve: groupValue }), nps: t.field({ type: NpsMetricRef, resolve: (g) => g }) }),
});
const CsatGroupRef = builder.objectRef<Grouped<ScaleShape> & { phaseScore?: number | null; touchpointTypes?: number }>('CsatByGroup').implement({
  fields: (t) => ({
    value: t.string({ nullable: true, description: valueDescription, resolve: groupValue }),
    csat: t.field({ type: CsatMetricRef, description: 'All answers of the group pooled.', resolve: (g) => g }),
    phaseScore: t.float({
      nullable: true,
      description: 'By JOURNEY_PHASE only: the phase’s CSAT as the mean of the CSAT of each touchpoint type in it, each weighted equally (the pooled figure is csat.score).',
      resolve: (g) => g.phaseScore ?? null,
    }),
    touchpointTypes: t.int({ nullable: true, description: 'By JOURNEY_PHASE only: the touchpoint types averaged in phaseScore.', resolve: (g) => g.touchpointTypes ?? null }),
  }),
});
const CesGroupRef = builder.objectRef<Grouped<ScaleShape>>('CesByGroup').implement({
  fields: (t) => ({ value: t.string({ nullable: true, description: valueDescription, resolve: groupValue }), ces: t.field({ type: CesMetricRef, resolve: (g) => g }) }),
});

type ComparisonShape = Awaited<ReturnType<typeof compareNps>>;
const NpsComparisonRef = builder.objectRef<ComparisonShape>('NpsComparison').implement({
  description: 'Two NPS values compared with a two-sided z-test: z = (NPS_a - NPS_b) / sqrt(var_a/n_a + var_b/n_b), var = p + d - (p - d)^2.',
  fields: (t) => ({
    a: t.field({ type: NpsMetricRef, description: 'This filter.', resolve: (c) => c.a }),
    b: t.field({ type: NpsMetricRef, description: 'The other filter.', resolve: (c) => c.b }),
    difference: t.exposeFloat('difference', { nullable: true, description: 'NPS a - NPS b, in points.' }),
    z: t.exposeFloat('z', { nullable: true }),
    pValue: t.exposeFloat('pValue', { nullable: true }),
    significant: t.exposeBoolean('significant', { description: 'p < 0.05.' }),
    lowSample: t.boolean({ description: 'Either side has fewer than 100 answers.', resolve: (c) => c.lowSample.a || c.lowSample.b }),
  }),
});

type ScaleComparisonShape = Awaited<ReturnType<typeof compareScale>>;
const scaleComparison = (name: string, metric: typeof CsatMetricRef, good: string) =>
  builder.objectRef<ScaleComparisonShape>(name).implement({
    description: `Two filters compared: the share of ${good} with a pooled two-proportion z-test, the mean with Welch's t-test.`,
    fields: (t) => ({
      a: t.field({ type: metric, description: 'This filter.', resolve: (c) => c.a }),
      b: t.field({ type: metric, description: 'The other filter.', resolve: (c) => c.b }),
      share: t.field({ type: ProportionDifferenceRef, description: `Share of ${good} a - b, in points.`, resolve: (c) => c.share }),
      mean: t.field({ type: MeanDifferenceRef, description: 'Mean a - mean b.', resolve: (c) => c.mean }),
    }),
  });
const CsatComparisonRef = scaleComparison('CsatComparison', CsatMetricRef, 'satisfied answers (4-5)');
const CesComparisonRef = scaleComparison('CesComparison', CesMetricRef, 'agreeing answers (5-7)');

export const MetricsRef = builder.objectRef<MetricsScope>('Metrics').implement({
  description: 'Metrics for one filter, computed in the database. Score metrics read rollups when the filter allows and the answers otherwise.',
  fields: (t) => ({
    nps: t.field({ type: NpsMetricRef, resolve: (scope) => scoreMetric(scope, 'NPS') }),
    npsTrend: t.field({ type: [NpsPointRef], args: { bucket: t.arg({ type: TimeBucketEnum, required: true }) }, resolve: (scope, { bucket }) => scoreTrend(scope, 'NPS', bucket) }),
    npsBy: t.field({
      type: [NpsGroupRef],
      args: { dimension: t.arg({ type: MetricDimensionEnum, required: true }) },
      resolve: async (scope, { dimension }) => (await scoreBy(scope, 'NPS', dimension)).map((g) => ({ ...g, dimension })),
    }),
    compareNps: t.field({
      type: NpsComparisonRef,
      description: 'This filter (a) against another (b): two periods, two business units, two channels ...',
      args: { with: t.arg({ type: MetricsFilterInput, required: true }) },
      resolve: (scope, args) => compareNps(scope, toMetricsFilter(args.with, ['with'])),
    }),
    csat: t.field({ type: CsatMetricRef, resolve: (scope) => scoreMetric(scope, 'CSAT') }),
    csatTrend: t.field({ type: [CsatPointRef], args: { bucket: t.arg({ type: TimeBucketEnum, required: true }) }, resolve: (scope, { bucket }) => scoreTrend(scope, 'CSAT', bucket) }),
    csatBy: t.field({
      type: [CsatGroupRef],
      args: { dimension: t.arg({ type: MetricDimensionEnum, required: true }) },
      resolve: async (scope, { dimension }) => (await (dimension === 'JOURNEY_PHASE' ? csatByJourneyPhase(scope) : scoreBy(scope, 'CSAT', dimension))).map((g) => ({ ...g, dimension })),
    }),
    compareCsat: t.field({
      type: CsatComparisonRef,
      description: 'CSAT of this filter against another.',
      args: { with: t.arg({ type: MetricsFilterInput, required: true }) },
      resolve: (scope, args) => compareScale(scope, 'CSAT', toMetricsFilter(args.with, ['with'])),
    }),
    compareCes: t.field({
      type: CesComparisonRef,
      description: 'CES of this filter against another.',
      args: { with: t.arg({ type: MetricsFilterInput, required: true }) },
      resolve: (scope, args) => compareScale(scope, 'CES', toMetricsFilter(args.with, ['with'])),
    }),
    ces: t.field({ type: CesMetricRef, resolve: (scope) => scoreMetric(scope, 'CES') }),
    cesTrend: t.field({ type: [CesPointRef], args: { bucket: t.arg({ type: TimeBucketEnum, required: true }) }, resolve: (scope, { bucket }) => scoreTrend(scope, 'CES', bucket) }),
    cesBy: t.field({
      type: [CesGroupRef],
      args: { dimension: t.arg({ type: MetricDimensionEnum, required: true }) },
      resolve: async (scope, { dimension }) => (await scoreBy(scope, 'CES', dimension)).map((g) => ({ ...g, dimension })),
    }),
    responseRate: t.field({ type: ResponseRateMetricRef, resolve: (scope) => responseRateMetric(scope) }),
    dropOff: t.field({
      type: [DropOffRef],
      nullable: false,
      description:
        "Drop-off of one survey among the responses the filter selects (started in the period; units, channels, journey phases, touchpoint types, customer and segment filters): per question, reached, answered, skipped and abandoned (a response's last question when it never completed).",
      args: { surveyId: t.arg.id({ required: true }) },
      resolve: (scope, { surveyId }) => dropOffMetric(scope, inputIdOrThrow(String(surveyId), 'Survey', 'surveyId')!),
    }),
    responseRateTrend: t.field({
      type: [ResponseRatePointRef],
      nullable: false,
      description: 'The response rate per time bucket of the send time, every bucket of the period included.',
      args: { bucket: t.arg({ type: TimeBucketEnum, required: true }) },
      resolve: (scope, { bucket }) => responseRateTrend(scope, bucket),
    }),
    responseRateBy: t.field({
      type: [ResponseRateGroupRef],
      nullable: false,
      description: 'The response rate per survey, business unit, channel, journey phase or touchpoint type (SEGMENT: filter on segmentIds instead).',
      args: { dimension: t.arg({ type: MetricDimensionEnum, required: true }) },
      resolve: async (scope, { dimension }) => {
        if (dimension === 'SEGMENT') throw new ValidationError([{ path: ['dimension'], message: 'response rates are not broken down by segment; filter on segmentIds instead' }]);
        return (await responseRateBy(scope, dimension)).map((group) => ({ ...group, dimension }));
      },
    }),
    chart: t.field({
      type: ChartLinkRef,
      nullable: false,
      description: `A trend of this filter as a chart to embed: signed SVG and PNG links, drawn from the data when fetched, valid for validForHours (default ${CHART_LINK_HOURS.default}, at most ${CHART_LINK_HOURS.max}).`,
      args: {
        kind: t.arg({ type: ChartKindEnum, required: true }),
        bucket: t.arg({ type: TimeBucketEnum, required: true }),
        validForHours: t.arg.int({ defaultValue: CHART_LINK_HOURS.default }),
      },
      resolve: (scope, args, ctx) => chartLink(scope, ctx, args.kind, args.bucket, args.validForHours ?? CHART_LINK_HOURS.default),
    }),
    retention: t.field({
      type: RetentionMetricRef,
      description:
        "Retention and churn of customers (business unit and customer filters apply). By customerSince and churnedAt, or, with inactiveAfterDays (else the workspace's churnAfterDaysWithoutOrder), by activity: a customer counts only with an order in the days before the moment.",
      args: { inactiveAfterDays: t.arg.int({ description: '1 to 3650 days.' }) },
      resolve: (scope, args) => retentionMetric(scope, args.inactiveAfterDays),
    }),
    retentionTrend: t.field({
      type: [RetentionTrendPointRef],
      nullable: false,
      description: `Retention and churn per time bucket (at most ${MAX_PERIOD_TREND_BUCKETS} buckets), each bucket a period of its own; inactiveAfterDays as in retention.`,
      args: { bucket: t.arg({ type: TimeBucketEnum, required: true }), inactiveAfterDays: t.arg.int({ description: '1 to 3650 days.' }) },
      resolve: (scope, args) => retentionTrend(scope, args.bucket, args.inactiveAfterDays),
    }),
    commerce: t.field({ type: [CommerceMetricRef], description: 'Per currency.', resolve: (scope) => commerceMetrics(scope) }),
    commerceTrend: t.field({
      type: [CommerceTrendPointRef],
      nullable: false,
      description: 'Order metrics per time bucket of the order date and per currency; buckets without orders appear with zeros.',
      args: { bucket: t.arg({ type: TimeBucketEnum, required: true }) },
      resolve: (scope, { bucket }) => commerceTrend(scope, bucket),
    }),
    npsBehaviourTrend: t.field({
      type: [NpsBehaviourTrendPointRef],
      nullable: false,
      description: `NPS x behaviour per time bucket (at most ${MAX_PERIOD_TREND_BUCKETS} buckets): in each, customers grouped by their latest NPS answer before the bucket starts. Do detractors leave, and when?`,
      args: { bucket: t.arg({ type: TimeBucketEnum, required: true }) },
      resolve: (scope, { bucket }) => npsBehaviourTrend(scope, bucket),
    }),
    shareOfWallet: t.field({
      type: ShareOfWalletMetricRef,
      description:
        'Share of wallet over the customers whose total category spend is known: spendAttribute names the customer attribute holding it (a number, per `per`, in `currency`); orders in that currency in the period, with the order filters, are the spend with us.',
      args: {
        spendAttribute: t.arg.string({ required: true, description: 'The customer attribute key, for example "groceriesPerWeek".' }),
        per: t.arg({ type: WalletPeriodEnum, defaultValue: 'MONTH' }),
        currency: t.arg.string({ defaultValue: 'EUR' }),
      },
      resolve: (scope, args) => shareOfWalletMetric(scope, { spendAttribute: args.spendAttribute, per: args.per ?? 'MONTH', currency: args.currency ?? 'EUR' }),
    }),
    npsBehaviour: t.field({
      type: [NpsBehaviourRef],
      description: 'Retention, churn and revenue per NPS group (each customer grouped by their latest NPS answer before the period starts): do detractors really leave?',
      resolve: (scope) => npsBehaviour(scope),
    }),
  }),
});

builder.queryField('metrics', (t) =>
  t.field({
    type: MetricsRef,
    authScopes: { read: 'metrics' },
    description: 'Metrics for a period and slices. Every sub-field is computed on request.',
    args: { filter: t.arg({ type: MetricsFilterInput, required: true }) },
    resolve: async (_root, { filter }, ctx) => metricsScope(ctx, toMetricsFilter(filter)),
  }),
);
