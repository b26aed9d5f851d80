import { sql, type Expression } from 'kysely';
import { db } from '../../db/kysely.js';

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

/** One recompute of a segment at a time (held until the transaction ends). */
export const lockSegmentRecompute = (segmentId: string) => sql`SELECT pg_advisory_xact_lock(hashtextextended(${segmentId}, 9041))`;

/** The transaction's scratch list of the customers who match now (dropped at commit). */
export const createMatchingTable = () => sql`CREATE TEMP TABLE IF NOT EXISTS cx_matching (id uuid PRIMARY KEY) ON COMMIT DROP`;
export const clearMatchingTable = () => sql`TRUNCATE cx_matching`;

/** The customers who match now, from the model's statement (a SELECT of ids). */
export const fillMatchingTable = (members: Expression<unknown>) => sql`INSERT INTO cx_matching ${members}`;

/** Open memberships of customers who no longer match end now: how many, and the first `idLimit` customer ids. */
export const leaveUnmatched = (workspaceId: string, segmentId: string, now: Date, idLimit: number) =>
  sql<{ n: number; ids: string[] | null }>`WITH gone AS (
       UPDATE "SegmentMembership" m SET "leftAt" = ${now}
        WHERE m."segmentId" = ${segmentId}::uuid AND m."workspaceId" = ${workspaceId}::uuid AND m."leftAt" IS NULL
          AND NOT EXISTS (SELECT 1 FROM cx_matching x WHERE x.id = m."customerId") RETURNING m."customerId")
     SELECT count(*)::int AS n, (array_agg("customerId"::text))[1:${idLimit}::int] AS ids FROM gone`;

/** Matching customers without an open membership enter now: how many, and the first `idLimit` customer ids. */
export const enterMatched = (workspaceId: string, segmentId: string, now: Date, idLimit: number) =>
  sql<{ n: number; ids: string[] | null }>`WITH came AS (
       INSERT INTO "SegmentMembership" ("workspaceId", "segmentId", "customerId", "enteredAt")
       SELECT ${workspaceId}::uuid, ${segmentId}::uuid, x.id, ${now}::timestamptz FROM cx_matching x
        WHERE NOT EXISTS (SELECT 1 FROM "SegmentMembership" m WHERE m."segmentId" = ${segmentId}::uuid AND m."customerId" = x.id AND m."leftAt" IS NULL)
       RETURNING "customerId")
     SELECT count(*)::int AS n, (array_agg("customerId"::text))[1:${idLimit}::int] AS ids FROM came`;

/** How many customers match now. */
export const matchingCount = () => sql<{ n: number }>`SELECT count(*)::int AS n FROM cx_matching`;

/** The segment was recomputed now. */
export const markRecomputed = (segmentId: string, now: Date) => db.updateTable('Segment').set({ recomputedAt: now, updatedAt: now }).where('id', '=', segmentId);
