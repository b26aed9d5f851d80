import { sql } from 'kysely';

/**
 * The segments' statements on the typed seam (src/db/kysely.ts), run with `run(conn, ...)`. What
 * the builder cannot say (a day series with a correlated count per day) is Kysely's `sql`
 * template: values are always parameters.
 */

/** Members at the end of each day of [from, to) in the workspace's time zone, at most `maxDays` days. */
export const segmentSizesByDay = (workspaceId: string, segmentId: string, from: string, to: string, maxDays: number) =>
  sql<{ day: string; members: number }>`SELECT to_char(d, 'YYYY-MM-DD') AS day,
         (SELECT count(*) FROM "SegmentMembership" m
           WHERE m."segmentId" = ${segmentId}::uuid AND m."workspaceId" = ${workspaceId}::uuid
             AND m."enteredAt" < ((d + 1)::timestamp AT TIME ZONE w."timeZone") AND (m."leftAt" IS NULL OR m."leftAt" >= ((d + 1)::timestamp AT TIME ZONE w."timeZone")))::int AS members
    FROM "Workspace" w,
         (SELECT generate_series(${from}::date, LEAST(${to}::date - 1, ${from}::date + ${maxDays - 1}::int), interval '1 day')::date AS d) days
   WHERE w.id = ${workspaceId}::uuid
   ORDER BY d`;
