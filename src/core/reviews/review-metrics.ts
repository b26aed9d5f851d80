import type { SqlRunner } from '../../db/sql-runner.js';
import { reviewRatingsFromCounts } from '../metrics/review-ratings.js';

export interface ReviewMetricsFilter {
  workspaceId: string;
  /** Reviews published on these calendar days in the workspace time zone: from inclusive, to exclusive. */
  period: { from: string; to: string };
  timeZone: string;
  platformCodes?: readonly string[] | null;
  connectionIds?: readonly string[] | null;
}

export type ReviewMetrics = ReturnType<typeof reviewRatingsFromCounts> & { platformCode: string | null };

/**
 * Review ratings aggregated in the database (removed reviews excluded), overall or per platform.
 * Ratings from different scales are compared on the normalised 0-1 value; stars round half up.
 */
export async function reviewMetrics(sql: SqlRunner, filter: ReviewMetricsFilter, byPlatform = false): Promise<ReviewMetrics[]> {
  const rows = await sql.session((conn) =>
    conn.query<{ platformCode: string | null; count: number; sumNormalised: number; s1: number; s2: number; s3: number; s4: number; s5: number; answered: number; medianReplyHours: number | null }>(
      `SELECT ${byPlatform ? '"platformCode"' : 'NULL::text AS "platformCode"'},
              count(*)::int AS count, COALESCE(sum("ratingNormalised"), 0)::float8 AS "sumNormalised",
              count(*) FILTER (WHERE floor(1 + "ratingNormalised" * 4 + 0.5) = 1)::int AS s1,
              count(*) FILTER (WHERE floor(1 + "ratingNormalised" * 4 + 0.5) = 2)::int AS s2,
              count(*) FILTER (WHERE floor(1 + "ratingNormalised" * 4 + 0.5) = 3)::int AS s3,
              count(*) FILTER (WHERE floor(1 + "ratingNormalised" * 4 + 0.5) = 4)::int AS s4,
              count(*) FILTER (WHERE floor(1 + "ratingNormalised" * 4 + 0.5) = 5)::int AS s5,
              count(*) FILTER (WHERE "replyStatus" = 'PUBLISHED')::int AS answered,
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY "replyHours") FILTER (WHERE "replyStatus" = 'PUBLISHED'))::float8 AS "medianReplyHours"
         FROM "Review"
        WHERE "workspaceId" = $1::uuid AND "deletedAt" IS NULL AND "publishedAt" >= ($2::date::timestamp AT TIME ZONE $6) AND "publishedAt" < ($3::date::timestamp AT TIME ZONE $6)
          AND ($4::text[] IS NULL OR "platformCode" = ANY($4::text[]))
          AND ($5::uuid[] IS NULL OR "connectionId" = ANY($5::uuid[]))
        ${byPlatform ? 'GROUP BY "platformCode" ORDER BY "platformCode"' : ''}`,
      [filter.workspaceId, filter.period.from, filter.period.to, filter.platformCodes ?? null, filter.connectionIds ?? null, filter.timeZone],
    ),
  );
  return rows.map((row) => ({
    platformCode: row.platformCode,
    ...reviewRatingsFromCounts({ count: row.count, sumNormalised: row.sumNormalised, stars: [row.s1, row.s2, row.s3, row.s4, row.s5], answered: row.answered, medianReplyHours: row.medianReplyHours }),
  }));
}
