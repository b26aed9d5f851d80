import { sql } from 'kysely';
import { preparedStatement } from '../../db/kysely.js';
import { OUTBOX_INSERT } from '../events/record-events.js';
import { completionCtes } from '../follow-ups/raise-follow-ups.js';
import type { CleanAnswer, QuestionRule } from './answer-validation.js';
import { MARKED_OPENED } from './invitation-states.js';

/**
 * The answer path's statements (response.service.ts), built with the typed seam (src/db/kysely.ts)
 * and compiled once: the text never depends on the values, so every connection prepares each once.
 */

/** The invitation a response belongs to, as the answer path reads it under its lock. */
export interface LockedInvitation {
  id: string;
  status: string;
  expiresAt: Date | null;
  surveyId: string;
  customerId: string;
  channel: string | null;
  locale: string;
  startedAt: Date | null;
  businessUnitId: string | null;
  journeyPhase: string | null;
  touchpointType: string | null;
  responseId: string | null;
  completedAt: Date | null;
}

/** A question as the answer path validates against it (the rule), with its retirement and position. */
export interface QuestionRow extends QuestionRule {
  /** When the question was retired (ISO text), or null. */
  retiredAt: string | null;
  position: number;
}

/** An answer stored before: the same shape as a validated one. */
export type ExistingAnswer = CleanAnswer;

export type InvitationState = LockedInvitation & { questions: QuestionRow[]; answers: ExistingAnswer[] };

type Keys = { ids: string[]; workspaceIds: string[] };

/** Locks the invitations (each with its workspace) in id order, so two batches sharing invitations cannot deadlock. */
export const lockInvitations = preparedStatement<Keys, { id: string }>(
  ['ids', 'workspaceIds'],
  (p) => sql`
    SELECT i.id FROM unnest(${p.ids}::uuid[], ${p.workspaceIds}::uuid[]) AS k(id, "workspaceId")
      JOIN "Invitation" i ON i.id = k.id AND i."workspaceId" = k."workspaceId"
     ORDER BY i.id FOR UPDATE OF i`,
);

/** The invitations, their surveys' questions and the answers given so far, in one statement. */
export const invitationStates = preparedStatement<Keys, InvitationState>(
  ['ids', 'workspaceIds'],
  (p) => sql`
    SELECT i.id, i."workspaceId", i.status::text AS status, i."expiresAt", i."surveyId", i."customerId", i.channel, i.locale, i."startedAt",
           COALESCE(t."businessUnitId", c."businessUnitId") AS "businessUnitId", t."journeyPhase"::text AS "journeyPhase", t.type AS "touchpointType",
           r.id AS "responseId", r."completedAt",
           (SELECT coalesce(json_agg(json_build_object('id', q.id, 'type', q.type, 'scaleMin', q."scaleMin", 'scaleMax', q."scaleMax", 'options', q.options,
                                                       'required', q.required, 'retiredAt', q."retiredAt", 'position', q.position) ORDER BY q.position), '[]'::json)
              FROM "Question" q WHERE q."workspaceId" = i."workspaceId" AND q."surveyId" = i."surveyId") AS questions,
           (SELECT coalesce(json_agg(json_build_object('questionId', a."questionId", 'score', a.score, 'choices', a.choices, 'text', a.text, 'skipped', a.skipped)), '[]'::json)
              FROM "Answer" a WHERE a."responseId" = r.id) AS answers
      FROM unnest(${p.ids}::uuid[], ${p.workspaceIds}::uuid[]) AS k(id, "workspaceId")
      JOIN "Invitation" i ON i.id = k.id AND i."workspaceId" = k."workspaceId"
      LEFT JOIN "Touchpoint" t ON t.id = i."touchpointId"
      LEFT JOIN "Customer" c ON c.id = i."customerId"
      LEFT JOIN "SurveyResponse" r ON r."workspaceId" = i."workspaceId" AND r."invitationId" = i.id`,
);

/**
 * Everything a batch of answers writes, in one statement; each parameter is a JSON array of rows:
 * `created` new responses (complete already when their first answers complete them) with their
 * response.started events, `answers` every changed answer, `started` invitations moving to STARTED,
 * and `completing` the completions (see completionCtes): responses and invitations marked complete,
 * response.completed events, follow-ups and their events.
 */
export const writeAnswerBatch = preparedStatement<{ created: string; answers: string; started: string; completing: string }, { responses: number; started: number; followUps: number }>(
  ['created', 'answers', 'started', 'completing'],
  (p) => sql`
    WITH responses AS (
       INSERT INTO "SurveyResponse" (id, "workspaceId", "surveyId", "invitationId", "customerId", source, channel, locale, "businessUnitId", "journeyPhase", "touchpointType", "recordedBy", "startedAt", "completedAt", "updatedAt")
       SELECT r.id, r."workspaceId", r."surveyId", r."invitationId", r."customerId", r.source::"ResponseSource", r.channel, r.locale, r."businessUnitId", r."journeyPhase"::"JourneyPhase",
              r."touchpointType", r."recordedBy", r.now, CASE WHEN r.complete THEN r.now END, r.now
         FROM jsonb_to_recordset(${p.created}::jsonb) AS r(id uuid, "workspaceId" uuid, "surveyId" uuid, "invitationId" uuid, "customerId" uuid, source text, channel text, locale text,
                                                  "businessUnitId" uuid, "journeyPhase" text, "touchpointType" text, "recordedBy" text, now timestamptz, complete boolean)
       RETURNING 1),
     started_events AS (
       ${sql.raw(OUTBOX_INSERT)}
       SELECT r."workspaceId", 'response.started', r."subjectId", r.data, r.now
         FROM jsonb_to_recordset(${p.created}::jsonb) AS r("workspaceId" uuid, "subjectId" text, data jsonb, now timestamptz)
       RETURNING 1),
     answered AS (
       INSERT INTO "Answer" ("workspaceId", "responseId", "questionId", score, choices, text, skipped, "answeredAt", "updatedAt")
       SELECT a."workspaceId", a."responseId", a."questionId", a.score, a.choices, a.text, a.skipped, a.now, a.now
         FROM jsonb_to_recordset(${p.answers}::jsonb) AS a("workspaceId" uuid, "responseId" uuid, "questionId" uuid, score int, choices text[], text text, skipped boolean, now timestamptz)
       ON CONFLICT ("responseId", "questionId") DO UPDATE
         SET score = EXCLUDED.score, choices = EXCLUDED.choices, text = EXCLUDED.text, skipped = EXCLUDED.skipped,
             "answeredAt" = EXCLUDED."answeredAt", "updatedAt" = EXCLUDED."updatedAt"
       RETURNING "workspaceId", "responseId", "questionId", score, text, skipped),
     started_invitations AS (
       UPDATE "Invitation" i SET status = 'STARTED', "startedAt" = COALESCE(i."startedAt", x.now), "updatedAt" = x.now
         FROM jsonb_to_recordset(${p.started}::jsonb) AS x(id uuid, "workspaceId" uuid, now timestamptz)
        WHERE i.id = x.id AND i."workspaceId" = x."workspaceId"
       RETURNING 1),
     completing AS (
       SELECT * FROM jsonb_to_recordset(${p.completing}::jsonb)
         AS x("workspaceId" uuid, "responseId" uuid, "invitationId" uuid, "customerId" uuid, now timestamptz, data jsonb, "updateResponse" boolean)),
     -- The completing responses' answers as they stand after this statement: written now, or stored before and not rewritten now.
     -- Only a response stored before this statement has stored answers, read through its index one
     -- response at a time (a LATERAL subquery that is not flattened): planned generically, a join
     -- here chose a scan of every answer, whatever the batch size.
     final_answers AS (
       SELECT w."workspaceId", w."responseId", w."questionId", w.score, w.text, w.skipped
         FROM answered w WHERE w."responseId" IN (SELECT "responseId" FROM completing)
       UNION ALL
       SELECT a."workspaceId", a."responseId", a."questionId", a.score, a.text, a.skipped
         FROM completing x
         CROSS JOIN LATERAL (
           SELECT s."workspaceId", s."responseId", s."questionId", s.score, s.text, s.skipped
             FROM "Answer" s
            WHERE s."responseId" = x."responseId" AND s."workspaceId" = x."workspaceId"
              AND NOT EXISTS (SELECT 1 FROM answered w WHERE w."responseId" = s."responseId" AND w."questionId" = s."questionId")
           OFFSET 0) a
        WHERE x."updateResponse"),
     ${sql.raw(completionCtes('completing', 'final_answers', 'started_events'))}
     SELECT (SELECT count(*) FROM responses) AS responses, (SELECT count(*) FROM started_invitations) AS started, (SELECT count(*) FROM follow_up_events) AS "followUps"`,
);

/** The first time a respondent opens the page: OPENED with its time (later visits change nothing). */
export const markInvitationOpened = preparedStatement<{ invitationId: string; workspaceId: string; now: Date }, never>(
  ['invitationId', 'workspaceId', 'now'],
  (p) => sql`
    UPDATE "Invitation"
       SET status = CASE WHEN status IN ${sql.raw(MARKED_OPENED.sql)} THEN 'OPENED'::"InvitationStatus" ELSE status END,
           "openedAt" = COALESCE("openedAt", ${p.now}::timestamptz), "updatedAt" = ${p.now}::timestamptz
     WHERE id = ${p.invitationId}::uuid AND "workspaceId" = ${p.workspaceId}::uuid
       AND ("openedAt" IS NULL OR status IN ${sql.raw(MARKED_OPENED.sql)})`,
);
