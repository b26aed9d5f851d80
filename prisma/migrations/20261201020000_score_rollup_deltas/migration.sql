-- Score rollups without a hot row on the answer path. Until now the answer trigger added to the day
-- and month rollup rows in place: every concurrent answer with the same survey, question, day,
-- slice and score queued on one row lock, held until its transaction committed. Now the trigger
-- only appends a delta row (the answer's slice, day and +1 or -1); the score-totals job folds the
-- deltas into the day rollup, the month rollup and the monthly totals in one statement, and readers
-- add the deltas not yet folded, so every figure is exact at every moment. The deltas replace
-- "ScoreMonthDelta", which only the monthly totals had. Read with SQL only; not in the Prisma schema.

CREATE TABLE "ScoreRollupDelta" (
    "workspaceId" UUID NOT NULL,
    "surveyId" UUID NOT NULL,
    "questionId" UUID NOT NULL,
    "questionType" "QuestionType" NOT NULL,
    "day" DATE NOT NULL,
    "businessUnitId" UUID,
    "channel" TEXT,
    "journeyPhase" "JourneyPhase",
    "touchpointType" TEXT,
    "score" INTEGER NOT NULL,
    "delta" INTEGER NOT NULL,
    CONSTRAINT "ScoreRollupDelta_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE
);
CREATE INDEX "ScoreRollupDelta_workspace_type_day_idx" ON "ScoreRollupDelta" ("workspaceId", "questionType", "day");

-- The day and month rollups already hold every answer; the monthly totals lack the pending deltas.
INSERT INTO "ScoreMonthTotal" AS t ("workspaceId", "questionType", "month", "score", "count")
SELECT "workspaceId", "questionType", "month", "score", sum("delta")
  FROM "ScoreMonthDelta"
 GROUP BY 1, 2, 3, 4
HAVING sum("delta") <> 0
    ON CONFLICT ("workspaceId", "questionType", "month", "score") DO UPDATE SET "count" = t."count" + EXCLUDED."count";
DROP TABLE "ScoreMonthDelta";

CREATE OR REPLACE FUNCTION cx_score_rollup_add(answer "Answer", delta INTEGER) RETURNS void AS $$
BEGIN
    IF answer.score IS NULL OR answer.skipped THEN
        RETURN;
    END IF;
    INSERT INTO "ScoreRollupDelta" ("workspaceId", "surveyId", "questionId", "questionType", "day", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", "delta")
    SELECT answer."workspaceId", s."surveyId", answer."questionId", q.type, (answer."answeredAt" AT TIME ZONE w."timeZone")::date,
           s."businessUnitId", s.channel, s."journeyPhase", s."touchpointType", answer.score, delta
      FROM "SurveyResponse" s
      JOIN "Question" q ON q.id = answer."questionId"
      JOIN "Workspace" w ON w.id = answer."workspaceId"
     WHERE s.id = answer."responseId";
END;
$$ LANGUAGE plpgsql;
