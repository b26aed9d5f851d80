import { CHART_KINDS, chartUrls, type ChartKind } from '../../../core/charts/chart-link.js';
import type { TimeBucket } from '../../../core/metrics/queries/metrics-filter.js';
import type { MetricsScope } from '../../../core/metrics/metrics.service.js';
import { ValidationError } from '../../../core/errors.js';
import type { RequestContext } from '../../../core/request-context.js';
import { builder } from '../../builder.js';

export const ChartKindEnum = builder.enumType('ChartKind', {
  values: CHART_KINDS,
  description: 'NPS (with its 95% margin of error as a band), CSAT (% satisfied), CES (mean effort), the response rate (% of delivered invitations completed) or the review rating (mean stars, 1-5).',
});

interface ChartLink {
  svgUrl: string;
  pngUrl: string;
  expiresAt: Date;
}

export const ChartLinkRef = builder.objectRef<ChartLink>('ChartLink').implement({
  description: 'Signed links to a trend chart, drawn from the data when fetched: SVG for dashboards and chat tools, PNG (2x) for mail clients that block SVG.',
  fields: (t) => ({
    svgUrl: t.exposeString('svgUrl', { nullable: false }),
    pngUrl: t.exposeString('pngUrl', { nullable: false }),
    expiresAt: t.field({ type: 'DateTime', nullable: false, resolve: (link) => link.expiresAt }),
  }),
});

const MAX_HOURS = 90 * 24;

/** Signs a chart of this scope's filter; the link is valid for `validForHours` (a mail may be read days later). */
export function chartLink(scope: MetricsScope, ctx: RequestContext, kind: ChartKind, bucket: TimeBucket, validForHours: number): ChartLink {
  if (!Number.isInteger(validForHours) || validForHours < 1 || validForHours > MAX_HOURS)
    throw new ValidationError([{ path: ['validForHours'], message: `must be a whole number of hours from 1 to ${MAX_HOURS}` }]);
  const expiresAt = new Date(ctx.surveys.clock.now().getTime() + validForHours * 3_600_000);
  return chartUrls(ctx.surveys.publicUrl, ctx.surveys.exportLinks.secret, { workspaceId: scope.workspace.id, kind, bucket, filter: scope.filter, expiresAt: expiresAt.getTime() });
}

export const CHART_LINK_HOURS = { default: 7 * 24, max: MAX_HOURS };
