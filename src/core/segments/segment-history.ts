import type { SqlRunner } from '../../db/sql-runner.js';

/** Days of history one request may ask for. */
export const MAX_HISTORY_DAYS = 400;

/** Members at the end of each day of [from, to), in the workspace's time zone (at most 400 days). */
export async function segmentSizeHistory(sql: SqlRunner, workspaceId: string, segmentId: string, period: { from: string; to: string }): Promise<Array<{ day: string; members: number }>> {
  return sql.session((conn) =>
    conn.query<{ day: string; members: number }>(
      `SELECT to_char(d, 'YYYY-MM-DD') AS day,
              (SELECT count(*) FROM "SegmentMembership" m
                WHERE m."segmentId" = $1::uuid AND m."workspaceId" = $2::uuid
                  AND m."enteredAt" < ((d + 1)::timestamp AT TIME ZONE w."timeZone") AND (m."leftAt" IS NULL OR m."leftAt" >= ((d + 1)::timestamp AT TIME ZONE w."timeZone")))::int AS members
         FROM "Workspace" w,
              (SELECT generate_series($3::date, LEAST($4::date - 1, $3::date + ${MAX_HISTORY_DAYS - 1}), interval '1 day')::date AS d) days
        WHERE w.id = $2::uuid
        ORDER BY d`,
      [segmentId, workspaceId, period.from, period.to],
    ),
  );
}
