import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { reviewRatingsFromCounts } from '../metrics/review-ratings.js';
import { bucketStarts } from '../metrics/queries/buckets.js';
import type { TimeBucket } from '../metrics/queries/metrics-filter.js';
import { reviewRatingCounts, type ReviewGrouping, type ReviewMetricsFilter } from './reviews.queries.js';

export type { ReviewGrouping, ReviewMetricsFilter };

export type ReviewMetrics = ReturnType<typeof reviewRatingsFromCounts> & { platformCode: string | null; bucket: string | null };

/**
 * Review ratings aggregated in the database (removed reviews excluded), overall or per platform.
 * Ratings from different scales are compared on the normalised 0-1 value; stars round half up.
 */
export async function reviewMetrics(sql: SqlRunner, filter: ReviewMetricsFilter, grouping: ReviewGrouping = 'NONE'): Promise<ReviewMetrics[]> {
  const rows = await sql.session((conn) => run(conn, reviewRatingCounts(filter, grouping)));
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
