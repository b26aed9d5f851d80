import type { SqlRunner } from '../../db/sql-runner.js';
import { reviewRatingsFromCounts } from '../metrics/review-ratings.js';
import { SqlParams } from '../metrics/queries/sql-params.js';
import { bucketStarts } from '../metrics/queries/buckets.js';
import type { TimeBucket } from '../metrics/queries/metrics-filter.js';

export interface ReviewMetricsFilter {
  workspaceId: string;
  /** Reviews published on these calendar days in the workspace time zone: from inclusive, to exclusive. */
  period: { from: string; to: string };
  timeZone: string;
  platformCodes?: readonly string[] | null;
  connectionIds?: readonly string[] | null;
  /** Conditions on the linked customer (alias c); when there are any, unlinked reviews do not count. */
  customerConditions?: (params: SqlParams) => string[];
}

export type ReviewMetrics = ReturnType<typeof reviewRatingsFromCounts> & { platformCode: string | null; bucket: string | null };

/** All reviews together, per platform, or per time bucket of the publication date. */
export type ReviewGrouping = 'NONE' | 'PLATFORM' | { bucket: TimeBucket };

/**
 * Review ratings aggregated in the database (removed reviews excluded), overall or per platform.
 * Ratings from different scales are compared on the normalised 0-1 value; stars round half up.
 */
export async function reviewMetrics(sql: SqlRunner, filter: ReviewMetricsFilter, grouping: ReviewGrouping = 'NONE'): Promise<ReviewMetrics[]> {
  const byPlatform = grouping === 'PLATFORM';
  const params = new SqlParams();
  const zone = params.add(filter.timeZone);
  const conditions = [
    `r."workspaceId" = ${params.add(filter.workspaceId)}::uuid`,
    `r."deletedAt" IS NULL`,
    `r."publishedAt" >= (${params.add(filter.period.from)}::date::timestamp AT TIME ZONE ${zone})`,
    `r."publishedAt" < (${params.add(filter.period.to)}::date::timestamp AT TIME ZONE ${zone})`,
    ...(filter.platformCodes ? [`r."platformCode" = ANY (${params.add(filter.platformCodes)}::text[])`] : []),
    ...(filter.connectionIds ? [`r."connectionId" = ANY (${params.add(filter.connectionIds)}::uuid[])`] : []),
  ];
  // A filter on who the customer is (attributes, segments, a segment's own metrics) counts only the
  // reviews linked to such customers.
  const customer = filter.customerConditions?.(params) ?? [];
  const bucketColumn = typeof grouping === 'object' ? `to_char(date_trunc(${params.add(grouping.bucket.toLowerCase())}, r."publishedAt" AT TIME ZONE ${zone}), 'YYYY-MM-DD')` : 'NULL::text';
  if (customer.length > 0) conditions.push(`EXISTS (SELECT 1 FROM "Customer" c WHERE c.id = r."customerId" AND ${customer.join(' AND ')})`);
  const rows = await sql.session((conn) =>
    conn.query<{
      platformCode: string | null;
      bucket: string | null;
      count: number;
      sumNormalised: number;
      s1: number;
      s2: number;
      s3: number;
      s4: number;
      s5: number;
      answered: number;
      medianReplyHours: number | null;
    }>(
      `SELECT ${byPlatform ? 'r."platformCode"' : 'NULL::text AS "platformCode"'}, ${bucketColumn} AS bucket,
              count(*)::int AS count, COALESCE(sum(r."ratingNormalised"), 0)::float8 AS "sumNormalised",
              count(*) FILTER (WHERE floor(1 + r."ratingNormalised" * 4 + 0.5) = 1)::int AS s1,
              count(*) FILTER (WHERE floor(1 + r."ratingNormalised" * 4 + 0.5) = 2)::int AS s2,
              count(*) FILTER (WHERE floor(1 + r."ratingNormalised" * 4 + 0.5) = 3)::int AS s3,
              count(*) FILTER (WHERE floor(1 + r."ratingNormalised" * 4 + 0.5) = 4)::int AS s4,
              count(*) FILTER (WHERE floor(1 + r."ratingNormalised" * 4 + 0.5) = 5)::int AS s5,
              count(*) FILTER (WHERE r."replyStatus" = 'PUBLISHED')::int AS answered,
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY r."replyHours") FILTER (WHERE r."replyStatus" = 'PUBLISHED'))::float8 AS "medianReplyHours"
         FROM "Review" r
        WHERE ${conditions.join(' AND ')}
        ${byPlatform ? 'GROUP BY r."platformCode" ORDER BY r."platformCode"' : typeof grouping === 'object' ? 'GROUP BY 2 ORDER BY 2' : ''}`,
      params.values,
    ),
  );
  return rows.map((row) => ({
    platformCode: row.platformCode,
    bucket: row.bucket,
    ...reviewRatingsFromCounts({ count: row.count, sumNormalised: row.sumNormalised, stars: [row.s1, row.s2, row.s3, row.s4, row.s5], answered: row.answered, medianReplyHours: row.medianReplyHours }),
  }));
}

/** Review ratings per time bucket of the publication date; every bucket of the period, empty ones included. */
export async function reviewTrend(sql: SqlRunner, filter: ReviewMetricsFilter, bucket: TimeBucket): Promise<ReviewMetrics[]> {
  const rows = new Map((await reviewMetrics(sql, filter, { bucket })).map((row) => [row.bucket, row]));
  const empty = (start: string): ReviewMetrics => ({
    platformCode: null,
    bucket: start,
    ...reviewRatingsFromCounts({ count: 0, sumNormalised: 0, stars: [0, 0, 0, 0, 0], answered: 0, medianReplyHours: null }),
  });
  return bucketStarts(filter.period.from, filter.period.to, bucket).map((start) => rows.get(start) ?? empty(start));
}
