import { sql } from 'kysely';
import { run } from '../../db/kysely.js';
import type { SqlConnection, SqlRunner } from '../../db/sql-runner.js';

/** Deltas folded per statement: a backlog is worked off in bounded steps. */
const FOLD_BATCH = 50_000;

/**
 * Folds the score deltas the answer path appended into the day rollup, the month rollup and the
 * monthly totals. Each step is one statement: the deltas it deletes are exactly the ones it adds,
 * so a reader (rollup plus remaining deltas, one snapshot) sees the same figures before and after,
 * and two folds running at once never count a delta twice (the second skips rows the first
 * deleted). Returns the deltas folded.
 */
export async function foldScoreDeltas(runner: SqlRunner): Promise<number> {
  let folded = 0;
  for (;;) {
    const [row] = await runner.session((conn) =>
      run(
        conn,
        sql<{ n: number }>`
          WITH moved AS (
            DELETE FROM "ScoreRollupDelta" WHERE ctid IN (SELECT ctid FROM "ScoreRollupDelta" LIMIT ${FOLD_BATCH})
            RETURNING "workspaceId", "surveyId", "questionId", "questionType", "day", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", "delta"
          ), days AS (
            SELECT "workspaceId", "surveyId", "questionId", "questionType", "day", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score",
                   sum("delta") AS "delta", count(*) AS n
              FROM moved GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
          ), day_rows AS (
            INSERT INTO "ScoreRollupDay" AS t ("workspaceId", "surveyId", "questionId", "questionType", "day", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", "count")
            SELECT "workspaceId", "surveyId", "questionId", "questionType", "day", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", "delta"
              FROM days WHERE "delta" <> 0
            ON CONFLICT ("workspaceId", "surveyId", "questionId", "day", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score")
            DO UPDATE SET "count" = t."count" + EXCLUDED."count"
            RETURNING 1
          ), month_rows AS (
            INSERT INTO "ScoreRollupMonth" AS t ("workspaceId", "surveyId", "questionId", "questionType", "month", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", "count")
            SELECT "workspaceId", "surveyId", "questionId", "questionType", date_trunc('month', "day")::date, "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", sum("delta")
              FROM days GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 HAVING sum("delta") <> 0
            ON CONFLICT ("workspaceId", "surveyId", "questionId", "month", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score")
            DO UPDATE SET "count" = t."count" + EXCLUDED."count"
            RETURNING 1
          ), total_rows AS (
            INSERT INTO "ScoreMonthTotal" AS t ("workspaceId", "questionType", "month", "score", "count")
            SELECT "workspaceId", "questionType", date_trunc('month', "day")::date, "score", sum("delta")
              FROM days GROUP BY 1, 2, 3, 4 HAVING sum("delta") <> 0
            ON CONFLICT ("workspaceId", "questionType", "month", "score") DO UPDATE SET "count" = t."count" + EXCLUDED."count"
            RETURNING 1
          )
          SELECT coalesce(sum(n), 0)::int AS n FROM days`,
      ),
    );
    folded += row?.n ?? 0;
    if ((row?.n ?? 0) < FOLD_BATCH) return folded;
  }
}

/** Rebuilds one workspace's monthly totals from its month rollup (inside the rollup rebuild's transaction). */
export async function rebuildScoreTotals(conn: SqlConnection, workspaceId: string): Promise<void> {
  await run(conn, sql`DELETE FROM "ScoreMonthTotal" WHERE "workspaceId" = ${workspaceId}::uuid`);
  await run(
    conn,
    sql`INSERT INTO "ScoreMonthTotal" ("workspaceId", "questionType", "month", "score", "count")
        SELECT "workspaceId", "questionType", "month", "score", sum("count") FROM "ScoreRollupMonth" WHERE "workspaceId" = ${workspaceId}::uuid
         GROUP BY 1, 2, 3, 4 HAVING sum("count") <> 0`,
  );
}
