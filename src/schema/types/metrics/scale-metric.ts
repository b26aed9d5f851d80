import type { ScaleSummary } from '../../../core/metrics/scale-summary.js';
import { builder } from '../../builder.js';
import { MetricSourceEnum } from './metrics-filter.input.js';
import { ScoreCountRef } from './nps-metric.js';

export type ScaleShape = ScaleSummary & { source: 'ROLLUP_MONTH' | 'ROLLUP_DAY' | 'LIVE' };

export const CsatMetricRef = builder.objectRef<ScaleShape>('CsatMetric').implement({
  description: 'Customer satisfaction on 1-5.',
  fields: (t) => ({
    score: t.exposeFloat('goodShare', { nullable: true, description: 'CSAT = answers scoring 4 or 5 / all answers x 100.' }),
    mean: t.exposeFloat('mean', { nullable: true, description: 'Mean score, 1-5.' }),
    responses: t.exposeInt('responses', { nullable: false }),
    distribution: t.field({ type: [ScoreCountRef], resolve: (m) => m.distribution }),
    lowSample: t.exposeBoolean('lowSample', { nullable: false, description: 'Fewer than 50 answers.' }),
    source: t.field({ type: MetricSourceEnum, resolve: (m) => m.source }),
  }),
});

export const CesMetricRef = builder.objectRef<ScaleShape>('CesMetric').implement({
  description: 'Customer effort score: agreement with "<company> made it easy for me" on 1-7.',
  fields: (t) => ({
    mean: t.exposeFloat('mean', { nullable: true, description: 'Mean agreement, 1-7 (above 5 is good).' }),
    agreeShare: t.exposeFloat('goodShare', { nullable: true, description: 'Share agreeing (5-7) x 100.' }),
    responses: t.exposeInt('responses', { nullable: false }),
    distribution: t.field({ type: [ScoreCountRef], resolve: (m) => m.distribution }),
    lowSample: t.exposeBoolean('lowSample', { nullable: false, description: 'Fewer than 50 answers.' }),
    source: t.field({ type: MetricSourceEnum, resolve: (m) => m.source }),
  }),
});
