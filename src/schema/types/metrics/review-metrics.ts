import { reviewMetrics, reviewTrend, type ReviewMetrics, type ReviewMetricsFilter } from '../../../core/reviews/review-metrics.js';
import type { MetricsScope } from '../../../core/metrics/metrics.service.js';
import { TimeBucketEnum } from './metrics-filter.input.js';
import { customerFilterConditions } from '../../../core/metrics/metrics.service.js';
import { builder } from '../../builder.js';
import { inputIdOrThrow } from '../../ids.js';
import { MetricsRef } from './metrics.js';

const StarCountRef = builder.objectRef<{ stars: number; count: number; share: number }>('ReviewStarCount').implement({
  fields: (t) => ({ stars: t.exposeInt('stars', { nullable: false }), count: t.exposeInt('count', { nullable: false }), share: t.exposeFloat('share', { description: 'Percent of the reviews.' }) }),
});

export const ReviewMetricsRef = builder.objectRef<ReviewMetrics>('ReviewMetrics').implement({
  description: 'Review ratings over reviews published in the period (removed ones excluded). Ratings from any scale are compared normalised.',
  fields: (t) => ({
    platformCode: t.exposeString('platformCode', { nullable: true, description: 'Set when grouped by platform.' }),
    count: t.exposeInt('count', { nullable: false }),
    meanNormalised: t.exposeFloat('meanNormalised', { nullable: true, description: 'Mean of (rating - min) / (max - min): 0-1.' }),
    meanStars: t.exposeFloat('meanStars', { nullable: true, description: '1 + 4 x meanNormalised.' }),
    distribution: t.field({ type: [StarCountRef], description: 'Reviews per star on 1-5 (the normalised rating rounded, halves up).', resolve: (m) => m.distribution }),
    answeredShare: t.exposeFloat('answeredShare', { nullable: true, description: 'Percent of reviews with a published reply.' }),
    lowSample: t.exposeBoolean('lowSample', { nullable: false, description: 'Fewer than 50 reviews: an average a few new reviews can move; read with care.' }),
    medianReplyHours: t.exposeFloat('medianReplyHours', { nullable: true, description: 'Median hours from publication to the first reply, over answered reviews.' }),
  }),
});

const filterArgs = (t: { arg: { stringList(): unknown; idList(): unknown } }) => ({ platformCodes: t.arg.stringList(), sourceIds: t.arg.idList() });

/** The review filter of a metrics scope: its period and customer filters, and the platforms and sources asked for. */
function reviewFilter(scope: MetricsScope, input: { platformCodes?: readonly string[] | null; sourceIds?: ReadonlyArray<string | number> | null }): ReviewMetricsFilter {
  return {
    workspaceId: scope.workspace.id,
    timeZone: scope.workspace.timeZone,
    period: scope.filter.period,
    platformCodes: input.platformCodes ?? null,
    connectionIds: input.sourceIds?.map((id, index) => inputIdOrThrow(String(id), 'ReviewSource', `sourceIds.${index}`)!) ?? null,
    customerConditions: customerFilterConditions(scope),
  };
}

const ReviewTrendPointRef = builder.objectRef<ReviewMetrics>('ReviewTrendPoint').implement({
  fields: (t) => ({
    bucket: t.field({ type: 'LocalDate', nullable: false, description: 'First day of the bucket (by publication date).', resolve: (point) => point.bucket! }),
    reviews: t.field({ type: ReviewMetricsRef, nullable: false, resolve: (point) => point }),
  }),
});

builder.objectFields(MetricsRef, (t) => ({
  reviews: t.field({
    type: ReviewMetricsRef,
    authScopes: { read: 'reviews' },
    args: { platformCodes: t.arg.stringList(), sourceIds: t.arg.idList() },
    resolve: async (scope, input) => (await reviewMetrics(scope.sql, reviewFilter(scope, input)))[0]!,
  }),
  reviewsByPlatform: t.field({
    type: [ReviewMetricsRef],
    authScopes: { read: 'reviews' },
    args: { platformCodes: t.arg.stringList(), sourceIds: t.arg.idList() },
    resolve: (scope, input) => reviewMetrics(scope.sql, reviewFilter(scope, input), 'PLATFORM'),
  }),
  reviewsTrend: t.field({
    type: [ReviewTrendPointRef],
    authScopes: { read: 'reviews' },
    description: 'Review ratings per time bucket of the publication date, every bucket of the period included.',
    args: { bucket: t.arg({ type: TimeBucketEnum, required: true }), platformCodes: t.arg.stringList(), sourceIds: t.arg.idList() },
    resolve: (scope, input) => reviewTrend(scope.sql, reviewFilter(scope, input), input.bucket),
  }),
}));
