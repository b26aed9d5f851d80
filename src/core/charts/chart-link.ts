import { z } from 'zod';
import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { workspaceChartFacts } from '../workspaces/workspaces.queries.js';
import { signClaims, verifyClaimsOrThrow } from '../exports/signed-link.js';
import { customerFilterConditions, responseRateTrend, scoreTrend } from '../metrics/metrics.service.js';
import { reviewTrend } from '../reviews/review-metrics.js';
import { metricsFilterSchema, TIME_BUCKETS, type MetricsFilter, type TimeBucket } from '../metrics/queries/metrics-filter.js';
import type { TrendChart, TrendPoint } from './trend-chart.js';
import { LOW_SAMPLE_BELOW } from '../metrics/low-sample.js';

export const CHART_KINDS = ['NPS', 'CSAT', 'CES', 'RESPONSE_RATE', 'REVIEW_RATING'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** What a chart link grants: one trend of one workspace, until it expires. */
export interface ChartLinkClaims {
  workspaceId: string;
  kind: ChartKind;
  bucket: TimeBucket;
  filter: MetricsFilter;
  expiresAt: number;
}

const claimsSchema = z.object({ workspaceId: z.uuid(), kind: z.enum(CHART_KINDS), bucket: z.enum(TIME_BUCKETS), filter: metricsFilterSchema, expiresAt: z.number().int() });

export const signChartLink = (secret: string, claims: ChartLinkClaims) => signClaims(secret, claims);
/** The SVG and PNG URLs of a signed link to the chart the claims name. */
export function chartUrls(publicUrl: string, secret: string, claims: ChartLinkClaims): { svgUrl: string; pngUrl: string; expiresAt: Date } {
  const token = signChartLink(secret, claims);
  const base = `${publicUrl}/charts/trend`;
  return { svgUrl: `${base}.svg?token=${token}`, pngUrl: `${base}.png?token=${token}`, expiresAt: new Date(claims.expiresAt) };
}

export const verifyChartLinkOrThrow = (secret: string, token: string, now: Date) => verifyClaimsOrThrow(secret, token, claimsSchema as z.ZodType<ChartLinkClaims>, now);

/** Each kind's full scale and reading, so that charts of one metric always compare. */
const KINDS: Record<ChartKind, { unit: string; domain: readonly [number, number] }> = {
  NPS: { unit: 'NPS (band: 95% margin of error)', domain: [-100, 100] },
  CSAT: { unit: 'CSAT: % satisfied', domain: [0, 100] },
  CES: { unit: 'CES: mean effort score (7 = easy)', domain: [1, 7] },
  RESPONSE_RATE: { unit: 'Response rate: % of delivered invitations completed', domain: [0, 100] },
  REVIEW_RATING: { unit: 'Review rating: mean stars (1-5, every platform normalised)', domain: [1, 5] },
};

const BUCKET_NAMES: Record<TimeBucket, string> = { DAY: 'day', WEEK: 'week', MONTH: 'month', QUARTER: 'quarter', YEAR: 'year' };

/** The trend a link names, computed now (the same figures as `metrics { npsTrend }` and its siblings), in the workspace's accent colour. */
export async function trendChartOf(sql: SqlRunner, claims: ChartLinkClaims, workspace: { id: string; timeZone: string; accentColor: string | null; companyName: string | null }): Promise<TrendChart> {
  const scope = { sql, workspace, filter: claims.filter };
  let points: TrendPoint[];
  if (claims.kind === 'NPS') {
    points = (await scoreTrend(scope, 'NPS', claims.bucket)).map((point) => ({
      bucket: point.bucket,
      value: point.score,
      low: point.score === null || point.marginOfError === null ? null : point.score - point.marginOfError,
      high: point.score === null || point.marginOfError === null ? null : point.score + point.marginOfError,
      responses: point.responses,
      lowSample: point.lowSample,
    }));
  } else if (claims.kind === 'CSAT') {
    points = (await scoreTrend(scope, 'CSAT', claims.bucket)).map((point) => ({ bucket: point.bucket, value: point.goodShare, responses: point.responses, lowSample: point.lowSample }));
  } else if (claims.kind === 'REVIEW_RATING') {
    const filter = { workspaceId: workspace.id, timeZone: workspace.timeZone, period: claims.filter.period, customerConditions: customerFilterConditions(scope) };
    points = (await reviewTrend(sql, filter, claims.bucket)).map((point) => ({ bucket: point.bucket!, value: point.meanStars, responses: point.count, lowSample: point.lowSample }));
  } else if (claims.kind === 'RESPONSE_RATE') {
    points = (await responseRateTrend(scope, claims.bucket)).map((point) => ({
      bucket: point.bucket,
      value: point.rate,
      responses: point.delivered,
      lowSample: point.delivered > 0 && point.delivered < LOW_SAMPLE_BELOW.SINGLE,
    }));
  } else {
    points = (await scoreTrend(scope, 'CES', claims.bucket)).map((point) => ({ bucket: point.bucket, value: point.mean, responses: point.responses, lowSample: point.lowSample }));
  }
  const who = workspace.companyName ? `${workspace.companyName}: ` : '';
  return {
    title: `${who}${claims.kind} per ${BUCKET_NAMES[claims.bucket]}, ${claims.filter.period.from} to ${claims.filter.period.to}`,
    ...KINDS[claims.kind],
    ...(claims.kind === 'RESPONSE_RATE' ? { countLabel: 'delivered invitations' } : claims.kind === 'REVIEW_RATING' ? { countLabel: 'reviews' } : {}),
    points,
    ...(workspace.accentColor ? { color: workspace.accentColor } : {}),
  };
}

/** The chart a verified link names, with its workspace's name and colour; null when the workspace is gone. */
export async function chartForLink(sql: SqlRunner, claims: ChartLinkClaims): Promise<TrendChart | null> {
  const [workspace] = await sql.session((conn) => run(conn, workspaceChartFacts(claims.workspaceId)));
  return workspace ? trendChartOf(sql, claims, workspace) : null;
}
