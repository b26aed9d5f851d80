-- Monthly totals per workspace x question type x month x score: what an unfiltered trend reads
-- (36 months x 11 scores instead of every survey x question x unit x channel x phase x touchpoint
-- type slice of the month rollup). The answer path never updates a total (one row per score would
-- be a hot row every concurrent answer queues on): the rollup trigger appends a delta row, and a
-- job folds the deltas into the totals in one statement. Readers add the deltas not yet folded in,
-- so the figures are exact at every moment. Read with SQL only; not part of the Prisma schema.

CREATE TABLE "ScoreMonthTotal" (
    "workspaceId" UUID NOT NULL,
    "questionType" "QuestionType" NOT NULL,
    "month" DATE NOT NULL,
    "score" INTEGER NOT NULL,
    "count" BIGINT NOT NULL,
    CONSTRAINT "ScoreMonthTotal_pkey" PRIMARY KEY ("workspaceId", "questionType", "month", "score"),
    CONSTRAINT "ScoreMonthTotal_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE
);

CREATE TABLE "ScoreMonthDelta" (
    "workspaceId" UUID NOT NULL,
    "questionType" "QuestionType" NOT NULL,
    "month" DATE NOT NULL,
    "score" INTEGER NOT NULL,
    "delta" INTEGER NOT NULL,
    CONSTRAINT "ScoreMonthDelta_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE
);
CREATE INDEX "ScoreMonthDelta_workspace_type_month_idx" ON "ScoreMonthDelta" ("workspaceId", "questionType", "month");

INSERT INTO "ScoreMonthTotal" ("workspaceId", "questionType", "month", "score", "count")
SELECT "workspaceId", "questionType", "month", "score", sum("count")
  FROM "ScoreRollupMonth"
 GROUP BY 1, 2, 3, 4
HAVING sum("count") <> 0;

CREATE OR REPLACE FUNCTION cx_score_rollup_add(answer "Answer", delta INTEGER) RETURNS void AS $$
DECLARE
    r RECORD;
BEGIN
    IF answer.score IS NULL OR answer.skipped THEN
        RETURN;
    END IF;
    SELECT s."surveyId", s."businessUnitId", s.channel, s."journeyPhase", s."touchpointType", q.type AS "questionType",
           (answer."answeredAt" AT TIME ZONE w."timeZone")::date AS day
      INTO r
      FROM "SurveyResponse" s
      JOIN "Question" q ON q.id = answer."questionId"
      JOIN "Workspace" w ON w.id = answer."workspaceId"
     WHERE s.id = answer."responseId";
    IF NOT FOUND THEN
        RETURN;
    END IF;
    INSERT INTO "ScoreRollupDay" AS t ("workspaceId", "surveyId", "questionId", "questionType", "day", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", "count")
    VALUES (answer."workspaceId", r."surveyId", answer."questionId", r."questionType", r.day, r."businessUnitId", r.channel, r."journeyPhase", r."touchpointType", answer.score, delta)
    ON CONFLICT ("workspaceId", "surveyId", "questionId", "day", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score")
    DO UPDATE SET "count" = t."count" + EXCLUDED."count";
    INSERT INTO "ScoreRollupMonth" AS t ("workspaceId", "surveyId", "questionId", "questionType", "month", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", "count")
    VALUES (answer."workspaceId", r."surveyId", answer."questionId", r."questionType", date_trunc('month', r.day)::date, r."businessUnitId", r.channel, r."journeyPhase", r."touchpointType", answer.score, delta)
    ON CONFLICT ("workspaceId", "surveyId", "questionId", "month", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score")
    DO UPDATE SET "count" = t."count" + EXCLUDED."count";
    INSERT INTO "ScoreMonthDelta" ("workspaceId", "questionType", "month", "score", "delta")
    VALUES (answer."workspaceId", r."questionType", date_trunc('month', r.day)::date, answer.score, delta);
END;
$$ LANGUAGE plpgsql;
