import { sql } from 'kysely';
import { run } from '../../db/kysely.js';
import type { SqlConnection, SqlRunner } from '../../db/sql-runner.js';

/** Deltas folded per statement: a backlog is worked off in bounded steps. */
const FOLD_BATCH = 50_000;

/**
 * Folds the answer path's appended score deltas into the monthly totals. Each step is one
 * statement: the deltas it deletes are exactly the ones it adds, so a reader (totals plus remaining
 * deltas, one snapshot) sees the same figures before and after, and two folds running at once never
 * count a delta twice (the second skips rows the first deleted). Returns the deltas folded.
 */
export async function foldScoreDeltas(runner: SqlRunner): Promise<number> {
  let folded = 0;
  for (;;) {
    const [row] = await runner.session((conn) =>
      run(
        conn,
        sql<{ n: number }>`
          WITH moved AS (
            DELETE FROM "ScoreMonthDelta" WHERE ctid IN (SELECT ctid FROM "ScoreMonthDelta" LIMIT ${FOLD_BATCH})
            RETURNING "workspaceId", "questionType", "month", "score", "delta"
          ), summed AS (
            SELECT "workspaceId", "questionType", "month", "score", sum("delta") AS "delta", count(*) AS n FROM moved GROUP BY 1, 2, 3, 4
          ), written AS (
            INSERT INTO "ScoreMonthTotal" AS t ("workspaceId", "questionType", "month", "score", "count")
            SELECT "workspaceId", "questionType", "month", "score", "delta" FROM summed WHERE "delta" <> 0
            ON CONFLICT ("workspaceId", "questionType", "month", "score") DO UPDATE SET "count" = t."count" + EXCLUDED."count"
            RETURNING 1
          )
          SELECT coalesce(sum(n), 0)::int AS n FROM summed`,
      ),
    );
    folded += row?.n ?? 0;
    if ((row?.n ?? 0) < FOLD_BATCH) return folded;
  }
}

/** Rebuilds one workspace's monthly totals from its month rollup (inside the rollup rebuild's transaction). */
export async function rebuildScoreTotals(conn: SqlConnection, workspaceId: string): Promise<void> {
  await run(conn, sql`DELETE FROM "ScoreMonthDelta" WHERE "workspaceId" = ${workspaceId}::uuid`);
  await run(conn, sql`DELETE FROM "ScoreMonthTotal" WHERE "workspaceId" = ${workspaceId}::uuid`);
  await run(
    conn,
    sql`INSERT INTO "ScoreMonthTotal" ("workspaceId", "questionType", "month", "score", "count")
        SELECT "workspaceId", "questionType", "month", "score", sum("count") FROM "ScoreRollupMonth" WHERE "workspaceId" = ${workspaceId}::uuid
         GROUP BY 1, 2, 3, 4 HAVING sum("count") <> 0`,
  );
}
