-- Score rollup deltas written once per statement instead of once per answer. The row trigger ran a
-- PL/pgSQL function and a three-table lookup for every inserted or deleted answer; a batch of
-- answers (the answer path writes many in one statement, imports thousands) now appends its deltas
-- with one set-based INSERT over the statement's transition table. Updates of the counted columns
-- keep the row trigger: they need the old and the new row side by side.

DROP TRIGGER "Answer_score_rollup" ON "Answer";

CREATE FUNCTION cx_score_rollup_inserted() RETURNS trigger AS $$
BEGIN
    INSERT INTO "ScoreRollupDelta" ("workspaceId", "surveyId", "questionId", "questionType", "day", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", "delta")
    SELECT a."workspaceId", s."surveyId", a."questionId", q.type, (a."answeredAt" AT TIME ZONE w."timeZone")::date,
           s."businessUnitId", s.channel, s."journeyPhase", s."touchpointType", a.score, 1
      FROM inserted_answers a
      JOIN "SurveyResponse" s ON s.id = a."responseId"
      JOIN "Question" q ON q.id = a."questionId"
      JOIN "Workspace" w ON w.id = a."workspaceId"
     WHERE a.score IS NOT NULL AND NOT a.skipped;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION cx_score_rollup_deleted() RETURNS trigger AS $$
BEGIN
    INSERT INTO "ScoreRollupDelta" ("workspaceId", "surveyId", "questionId", "questionType", "day", "businessUnitId", "channel", "journeyPhase", "touchpointType", "score", "delta")
    SELECT a."workspaceId", s."surveyId", a."questionId", q.type, (a."answeredAt" AT TIME ZONE w."timeZone")::date,
           s."businessUnitId", s.channel, s."journeyPhase", s."touchpointType", a.score, -1
      FROM deleted_answers a
      JOIN "SurveyResponse" s ON s.id = a."responseId"
      JOIN "Question" q ON q.id = a."questionId"
      JOIN "Workspace" w ON w.id = a."workspaceId"
     WHERE a.score IS NOT NULL AND NOT a.skipped;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Answer_score_rollup"
    AFTER INSERT ON "Answer" REFERENCING NEW TABLE AS inserted_answers
    FOR EACH STATEMENT EXECUTE FUNCTION cx_score_rollup_inserted();

CREATE TRIGGER "Answer_score_rollup_delete"
    AFTER DELETE ON "Answer" REFERENCING OLD TABLE AS deleted_answers
    FOR EACH STATEMENT EXECUTE FUNCTION cx_score_rollup_deleted();

CREATE TRIGGER "Answer_score_rollup_update"
    AFTER UPDATE OF score, skipped, "answeredAt", "questionId", "responseId" ON "Answer"
    FOR EACH ROW EXECUTE FUNCTION cx_score_rollup_trigger();
