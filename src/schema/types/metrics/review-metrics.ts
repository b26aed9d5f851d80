import { reviewMetrics, type ReviewMetrics } from '../../../core/reviews/review-metrics.js';
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

builder.objectFields(MetricsRef, (t) => {
  const args = filterArgs(t as never) as { platformCodes: ReturnType<typeof t.arg.stringList>; sourceIds: ReturnType<typeof t.arg.idList> };
  const resolve = (byPlatform: boolean) => (scope: Parameters<Parameters<typeof t.field>[0]['resolve']>[0], input: { platformCodes?: string[] | null; sourceIds?: Array<string | number> | null }) =>
    reviewMetrics(
      scope.sql,
      {
        workspaceId: scope.workspace.id,
        timeZone: scope.workspace.timeZone,
        period: scope.filter.period,
        platformCodes: input.platformCodes ?? null,
        connectionIds: input.sourceIds?.map((id, index) => inputIdOrThrow(String(id), 'ReviewSource', `sourceIds.${index}`)!) ?? null,
        customerConditions: (params) => customerFilterConditions(scope, params),
      },
      byPlatform,
    );
  return {
    reviews: t.field({ type: ReviewMetricsRef, authScopes: { read: 'reviews' }, args, resolve: async (scope, input) => (await resolve(false)(scope, input))[0]! }),
    reviewsByPlatform: t.field({ type: [ReviewMetricsRef], authScopes: { read: 'reviews' }, args, resolve: (scope, input) => resolve(true)(scope, input) }),
  };
});
