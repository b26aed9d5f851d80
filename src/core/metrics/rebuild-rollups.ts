import { sql } from 'kysely';
import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { rebuildScoreTotals } from './score-month-totals.js';

/** The rollup tables (created by migrations beside the Prisma schema, so not in the generated row types). */
const ROLLUP_TABLES = ['ScoreRollupDelta', 'ScoreRollupDay', 'ScoreRollupMonth'] as const;

/**
 * Recomputes a workspace's score rollups from its answers, in one transaction (readers see the old
 * or the new counts, never a mix). For bulk loads done with the trigger off, and after a workspace's
 * time zone changed (days are computed in it).
 */
export async function rebuildScoreRollups(runner: SqlRunner, workspaceId: string): Promise<{ dayRows: number; monthRows: number }> {
  return runner.transaction(async (conn) => {
    // A maintenance run over every answer of the workspace: not bound by the per-statement limit
    // that protects request paths (10 million answers take minutes).
    await run(conn, sql`SET LOCAL statement_timeout = 0`);
    // Concurrent answers wait for the rebuild instead of adding to counts it is about to replace.
    await run(conn, sql`LOCK TABLE "ScoreRollupDay", "ScoreRollupMonth", "ScoreMonthTotal", "ScoreRollupDelta" IN SHARE ROW EXCLUSIVE MODE`);
    for (const table of ROLLUP_TABLES) await run(conn, sql`DELETE FROM ${sql.table(table)} WHERE "workspaceId" = ${workspaceId}::uuid`);
    const [day] = await run(
      conn,
      sql<{ n: number }>`
        WITH inserted AS (
          INSERT INTO "ScoreRollupDay" ("workspaceId", "surveyId", "questionId", "questionType", "day", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", "count")
          SELECT a."workspaceId", s."surveyId", a."questionId", q.type, (a."answeredAt" AT TIME ZONE w."timeZone")::date, s."businessUnitId", s.channel, s."journeyPhase", s."touchpointType", a.score, count(*)
            FROM "Answer" a JOIN "SurveyResponse" s ON s.id = a."responseId" JOIN "Question" q ON q.id = a."questionId" JOIN "Workspace" w ON w.id = a."workspaceId"
           WHERE a."workspaceId" = ${workspaceId}::uuid AND a.score IS NOT NULL AND NOT a.skipped
           GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
          RETURNING 1)
        SELECT count(*)::int AS n FROM inserted`,
    );
    const [month] = await run(
      conn,
      sql<{ n: number }>`
        WITH inserted AS (
          INSERT INTO "ScoreRollupMonth" ("workspaceId", "surveyId", "questionId", "questionType", "month", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", "count")
          SELECT "workspaceId", "surveyId", "questionId", "questionType", date_trunc('month', "day")::date, "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", sum("count")
            FROM "ScoreRollupDay" WHERE "workspaceId" = ${workspaceId}::uuid
           GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
          RETURNING 1)
        SELECT count(*)::int AS n FROM inserted`,
    );
    await rebuildScoreTotals(conn, workspaceId);
    return { dayRows: day!.n, monthRows: month!.n };
  });
}
