import type { NpsResult } from '../../../core/metrics/nps.js';
import { builder } from '../../builder.js';
import { MetricSourceEnum } from './metrics-filter.input.js';

type Source = 'ROLLUP_MONTH' | 'ROLLUP_DAY' | 'LIVE';
export type NpsShape = NpsResult & { source: Source };

export const GroupShareRef = builder.objectRef<{ count: number; share: number }>('GroupShare').implement({
  fields: (t) => ({ count: t.exposeInt('count', { nullable: false }), share: t.exposeFloat('share', { description: 'Percentage of all answers, 0-100.' }) }),
});

export const ScoreCountRef = builder.objectRef<{ score: number; count: number; share: number }>('ScoreCount').implement({
  fields: (t) => ({
    score: t.exposeInt('score', { nullable: false }),
    count: t.exposeInt('count', { nullable: false }),
    share: t.exposeFloat('share', { description: 'Percentage of all answers, 0-100.' }),
  }),
});

export const NpsMetricRef = builder.objectRef<NpsShape>('NpsMetric').implement({
  description: 'Net Promoter Score: detractors 0-6, passives 7-8, promoters 9-10 (never remapped).',
  fields: (t) => ({
    score: t.exposeFloat('score', { nullable: true, description: '%promoters - %detractors, from -100 to 100; null without answers.' }),
    responses: t.exposeInt('responses', { nullable: false, description: 'Answers counted. Skipped questions are not answers.' }),
    promoters: t.field({ type: GroupShareRef, resolve: (m) => m.promoters }),
    passives: t.field({ type: GroupShareRef, resolve: (m) => m.passives }),
    detractors: t.field({ type: GroupShareRef, resolve: (m) => m.detractors }),
    distribution: t.field({ type: [ScoreCountRef], description: 'Every score 0-10 with its count and share.', resolve: (m) => m.distribution }),
    marginOfError: t.exposeFloat('marginOfError', { nullable: true, description: '95% margin of error in NPS points: 1.96 x sqrt((p + d - (p - d)^2) / n) x 100.' }),
    lowSample: t.exposeBoolean('lowSample', { nullable: false, description: 'Fewer than 100 answers: read with care.' }),
    source: t.field({ type: MetricSourceEnum, resolve: (m) => m.source }),
  }),
});
