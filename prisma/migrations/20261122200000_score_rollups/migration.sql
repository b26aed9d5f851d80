-- Score rollups: answers counted per survey x question x day (and month) x business unit x channel x
-- journey phase x touchpoint type x score, kept current by a trigger on "Answer" with
-- INSERT ... ON CONFLICT DO UPDATE (atomic, so exact under concurrent inserts). Days and months are
-- calendar days in the workspace time zone, of the moment the answer was given. Skipped answers
-- are not counted. These tables are read with raw SQL only and are not part of the Prisma schema.

CREATE TABLE "ScoreRollupDay" (
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
    "count" BIGINT NOT NULL,
    CONSTRAINT "ScoreRollupDay_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE,
    CONSTRAINT "ScoreRollupDay_key" UNIQUE NULLS NOT DISTINCT ("workspaceId", "surveyId", "questionId", "day", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score")
);
CREATE INDEX "ScoreRollupDay_type_day_idx" ON "ScoreRollupDay" ("workspaceId", "questionType", "day");

CREATE TABLE "ScoreRollupMonth" (
    "workspaceId" UUID NOT NULL,
    "surveyId" UUID NOT NULL,
    "questionId" UUID NOT NULL,
    "questionType" "QuestionType" NOT NULL,
    "month" DATE NOT NULL,
    "businessUnitId" UUID,
    "channel" TEXT,
    "journeyPhase" "JourneyPhase",
    "touchpointType" TEXT,
    "score" INTEGER NOT NULL,
    "count" BIGINT NOT NULL,
    CONSTRAINT "ScoreRollupMonth_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE,
    CONSTRAINT "ScoreRollupMonth_key" UNIQUE NULLS NOT DISTINCT ("workspaceId", "surveyId", "questionId", "month", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score")
);
CREATE INDEX "ScoreRollupMonth_type_month_idx" ON "ScoreRollupMonth" ("workspaceId", "questionType", "month");

CREATE FUNCTION cx_score_rollup_add(answer "Answer", delta INTEGER) RETURNS void AS $$
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
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION cx_score_rollup_trigger() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM cx_score_rollup_add(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM cx_score_rollup_add(NEW, 1);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Answer_score_rollup"
    AFTER INSERT OR UPDATE OF score, skipped, "answeredAt", "questionId", "responseId" OR DELETE ON "Answer"
    FOR EACH ROW EXECUTE FUNCTION cx_score_rollup_trigger();

-- A cascade deletes a parent before its answers, so the answer trigger could no longer see the
-- response or question it must subtract from: delete the answers first, while both still exist.
CREATE FUNCTION cx_delete_answers_first() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'SurveyResponse' THEN
        DELETE FROM "Answer" WHERE "responseId" = OLD.id;
    ELSE
        DELETE FROM "Answer" WHERE "questionId" = OLD.id;
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "SurveyResponse_delete_answers_first" BEFORE DELETE ON "SurveyResponse" FOR EACH ROW EXECUTE FUNCTION cx_delete_answers_first();
CREATE TRIGGER "Question_delete_answers_first" BEFORE DELETE ON "Question" FOR EACH ROW EXECUTE FUNCTION cx_delete_answers_first();

-- Answers already stored before this migration.
INSERT INTO "ScoreRollupDay" ("workspaceId", "surveyId", "questionId", "questionType", "day", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", "count")
SELECT a."workspaceId", s."surveyId", a."questionId", q.type, (a."answeredAt" AT TIME ZONE w."timeZone")::date, s."businessUnitId", s.channel, s."journeyPhase", s."touchpointType", a.score, count(*)
  FROM "Answer" a JOIN "SurveyResponse" s ON s.id = a."responseId" JOIN "Question" q ON q.id = a."questionId" JOIN "Workspace" w ON w.id = a."workspaceId"
 WHERE a.score IS NOT NULL AND NOT a.skipped
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
INSERT INTO "ScoreRollupMonth" ("workspaceId", "surveyId", "questionId", "questionType", "month", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", "count")
SELECT "workspaceId", "surveyId", "questionId", "questionType", date_trunc('month', "day")::date, "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", sum("count")
  FROM "ScoreRollupDay" GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
