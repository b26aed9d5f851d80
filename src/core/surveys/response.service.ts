import type { SqlConnection, SqlRunner } from '../../db/sql-runner.js';
import { ANSWERABLE, MARKED_OPENED } from './invitation-states.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../errors.js';
import { globalId, globalIdSql } from '../events/global-id.js';
import { completeResponseEvents } from '../follow-ups/raise-follow-ups.js';
import { validateAnswer, type AnswerInput, type CleanAnswer } from './answer-validation.js';

export type ResponseSource = 'PAGE' | 'WIDGET' | 'IN_APP' | 'PHONE' | 'API' | 'IMPORT';

/*
 * The hot path of every answer: plain SQL on the driver (pg or PGlite) in one transaction, with no
 * ORM query compilation. Every statement names the workspace or a row already checked against it.
 */

export interface SubmitOptions {
  now: Date;
  source: ResponseSource;
  /** Marks the response complete: every required question must then have an answer. */
  complete: boolean;
  recordedBy?: string | null;
  /** Phone agents may answer for an invitation that was never sent. */
  allowUnsent?: boolean;
}

interface LockedInvitation {
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

interface QuestionRow {
  id: string;
  type: string;
  scaleMin: number | null;
  scaleMax: number | null;
  options: unknown;
  required: boolean;
  /** When the question was retired (ISO text), or null. */
  retiredAt: string | null;
  position: number;
}

interface ExistingAnswer {
  questionId: string;
  score: number | null;
  choices: string[];
  text: string | null;
  skipped: boolean;
}

const same = (a: CleanAnswer, b: { score: number | null; choices: string[]; text: string | null; skipped: boolean }) =>
  a.score === b.score && a.text === b.text && a.skipped === b.skipped && a.choices.join('\u0000') === [...b.choices].sort().join('\u0000');

/**
 * Saves answers for one invitation as they come (partial responses are kept) and completes the
 * response when asked. Idempotent: the same answers sent twice are stored once; a changed answer
 * replaces the earlier one until the response is complete. One transaction, the invitation row
 * locked; every statement names the workspace.
 */
export async function submitAnswersOrThrow(sql: SqlRunner, workspaceId: string, invitationId: string, answers: AnswerInput[], options: SubmitOptions): Promise<{ responseId: string }> {
  return sql.transaction(async (tx: SqlConnection) => {
    // Lock first, read after: a read joined to the lock would see the response as it was before a
    // concurrent first answer committed, and insert a second one (a unique-key violation).
    const [locked] = await tx.query(`SELECT id FROM "Invitation" WHERE id = $1::uuid AND "workspaceId" = $2::uuid FOR UPDATE`, [invitationId, workspaceId]);
    if (!locked) throw new NotFoundError('Invitation', invitationId);
    // The invitation, its survey's questions and the answers given so far, in one statement.
    const [invitation] = await tx.query<LockedInvitation & { questions: QuestionRow[]; answers: ExistingAnswer[] } & Record<string, unknown>>(
      `
      SELECT i.id, i.status::text AS status, i."expiresAt", i."surveyId", i."customerId", i.channel, i.locale, i."startedAt",
             COALESCE(t."businessUnitId", c."businessUnitId") AS "businessUnitId", t."journeyPhase"::text AS "journeyPhase", t.type AS "touchpointType",
             r.id AS "responseId", r."completedAt",
             (SELECT coalesce(json_agg(json_build_object('id', q.id, 'type', q.type, 'scaleMin', q."scaleMin", 'scaleMax', q."scaleMax", 'options', q.options,
                                                         'required', q.required, 'retiredAt', q."retiredAt", 'position', q.position) ORDER BY q.position), '[]'::json)
                FROM "Question" q WHERE q."workspaceId" = $2::uuid AND q."surveyId" = i."surveyId") AS questions,
             (SELECT coalesce(json_agg(json_build_object('questionId', a."questionId", 'score', a.score, 'choices', a.choices, 'text', a.text, 'skipped', a.skipped)), '[]'::json)
                FROM "Answer" a WHERE a."responseId" = r.id) AS answers
        FROM "Invitation" i
        LEFT JOIN "Touchpoint" t ON t.id = i."touchpointId"
        LEFT JOIN "Customer" c ON c.id = i."customerId"
        LEFT JOIN "SurveyResponse" r ON r."invitationId" = i.id
       WHERE i.id = $1::uuid AND i."workspaceId" = $2::uuid`,
      [invitationId, workspaceId],
    );
    if (!invitation) throw new NotFoundError('Invitation', invitationId);
    const questions = invitation.questions;
    const existingRows = invitation.answers;
    const existing = new Map(existingRows.map((answer) => [answer.questionId, answer]));

    const byId = new Map(questions.map((question) => [question.id, question]));
    const issues: FieldIssue[] = [];
    const clean: CleanAnswer[] = [];
    const seen = new Set<string>();
    answers.forEach((answer, index) => {
      const path = ['input', 'answers', String(index)];
      const question = byId.get(answer.questionId);
      if (!question || (question.retiredAt && !existing.has(question.id))) {
        issues.push({ path: [...path, 'questionId'], message: 'is not a question of this survey' });
        return;
      }
      if (seen.has(question.id)) issues.push({ path: [...path, 'questionId'], message: 'is answered twice in this call' });
      seen.add(question.id);
      const result = validateAnswer(question, answer, path);
      if ('issues' in result) issues.push(...result.issues);
      else clean.push(result.answer);
    });
    if (issues.length) throw new ValidationError(issues);

    const changes = clean.filter((answer) => {
      const before = existing.get(answer.questionId);
      return !before || !same(answer, before);
    });
    if (invitation.status === 'COMPLETED') {
      if (changes.length === 0 && invitation.responseId) return { responseId: invitation.responseId };
      throw new ConflictError('token', 'This survey was already completed; answers can no longer change.');
    }
    if (invitation.status === 'EXPIRED' || (invitation.expiresAt && invitation.expiresAt <= options.now)) throw new ConflictError('token', 'This survey link has expired.');
    if (!ANSWERABLE.has(invitation.status) && !options.allowUnsent) throw new ConflictError('token', `This invitation cannot be answered (it is ${invitation.status.toLowerCase()}).`);

    if (options.complete) {
      const skippedById = new Map([...existing.entries()].map(([id, answer]) => [id, answer.skipped]));
      for (const answer of clean) skippedById.set(answer.questionId, answer.skipped);
      const missing = questions.filter((question) => !question.retiredAt && question.required && (skippedById.get(question.id) ?? true));
      if (missing.length)
        throw new ValidationError(missing.map((question) => ({ path: ['input', 'answers'], message: `question ${question.position + 1} is required before the response can be completed` })));
    }

    const now = options.now;
    let responseId = invitation.responseId;
    if (!responseId) {
      // The response, its response.started event and its first answers in one statement.
      const [created] = await tx.query<{ id: string }>(
        `WITH created AS (
           INSERT INTO "SurveyResponse" ("workspaceId", "surveyId", "invitationId", "customerId", source, channel, locale, "businessUnitId", "journeyPhase", "touchpointType", "recordedBy", "startedAt", "updatedAt")
           VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::"ResponseSource", $6, $7, $8::uuid, $9::"JourneyPhase", $10, $11, $12, $12)
           RETURNING id),
         started AS (
           INSERT INTO "DomainEvent" ("workspaceId", type, "subjectId", data, "occurredAt")
           SELECT $1::uuid, 'response.started', ${globalIdSql('SurveyResponse', 'c.id')}, $13::jsonb || jsonb_build_object('responseId', ${globalIdSql('SurveyResponse', 'c.id')}), $12
             FROM created c),
         answered AS (
           INSERT INTO "Answer" ("workspaceId", "responseId", "questionId", score, choices, text, skipped, "answeredAt", "updatedAt")
           SELECT $1::uuid, c.id, a."questionId", a.score, a.choices, a.text, a.skipped, $12, $12
             FROM created c, jsonb_to_recordset($14::jsonb) AS a("questionId" uuid, score int, choices text[], text text, skipped boolean))
         SELECT id FROM created`,
        [
          workspaceId,
          invitation.surveyId,
          invitation.id,
          invitation.customerId,
          options.source,
          invitation.channel,
          invitation.locale,
          invitation.businessUnitId,
          invitation.journeyPhase,
          invitation.touchpointType,
          options.recordedBy ?? null,
          now,
          JSON.stringify(responseEventData(null, invitation)),
          JSON.stringify(changes),
        ],
      );
      responseId = created!.id;
    } else if (changes.length > 0) {
      await tx.query(
        `INSERT INTO "Answer" ("workspaceId", "responseId", "questionId", score, choices, text, skipped, "answeredAt", "updatedAt")
         SELECT $1::uuid, $2::uuid, a."questionId", a.score, a.choices, a.text, a.skipped, $4, $4
           FROM jsonb_to_recordset($3::jsonb) AS a("questionId" uuid, score int, choices text[], text text, skipped boolean)
         ON CONFLICT ("responseId", "questionId") DO UPDATE
           SET score = EXCLUDED.score, choices = EXCLUDED.choices, text = EXCLUDED.text, skipped = EXCLUDED.skipped,
               "answeredAt" = EXCLUDED."answeredAt", "updatedAt" = EXCLUDED."updatedAt"`,
        [workspaceId, responseId, JSON.stringify(changes), now],
      );
    }
    const completing = options.complete && !invitation.completedAt;
    if (completing) {
      // The response and its invitation complete in the statement that writes the events and follow-ups.
      await completeResponseEvents(tx, workspaceId, responseId, now, responseEventData(responseId, invitation), {
        ctes: `response_done AS (UPDATE "SurveyResponse" SET "completedAt" = $3, "updatedAt" = $3 WHERE id = $2::uuid AND "workspaceId" = $1::uuid RETURNING 1),
         invitation_done AS (UPDATE "Invitation" SET status = 'COMPLETED', "completedAt" = $3, "startedAt" = COALESCE("startedAt", $3), "updatedAt" = $3
                              WHERE id = $5::uuid AND "workspaceId" = $1::uuid RETURNING 1)`,
        params: [invitation.id],
      });
    } else if (clean.length > 0 && invitation.status !== 'STARTED') {
      await tx.query(`UPDATE "Invitation" SET status = 'STARTED', "startedAt" = COALESCE("startedAt", $2), "updatedAt" = $2 WHERE id = $1::uuid`, [invitation.id, now]);
    }
    return { responseId };
  });
}

function responseEventData(responseId: string | null, invitation: LockedInvitation) {
  return {
    ...(responseId ? { responseId: globalId('SurveyResponse', responseId) } : {}),
    surveyId: globalId('Survey', invitation.surveyId),
    invitationId: globalId('Invitation', invitation.id),
    customerId: invitation.customerId ? globalId('Customer', invitation.customerId) : null,
    channel: invitation.channel,
  };
}

/** The first time a respondent opens the page: OPENED with its time (later visits change nothing). */
export async function markOpened(sql: SqlRunner, workspaceId: string, invitationId: string, now: Date): Promise<void> {
  await sql.session((conn) =>
    conn.query(
      `UPDATE "Invitation"
          SET status = CASE WHEN status IN ${MARKED_OPENED.sql} THEN 'OPENED'::"InvitationStatus" ELSE status END,
              "openedAt" = COALESCE("openedAt", $3), "updatedAt" = $3
        WHERE id = $1::uuid AND "workspaceId" = $2::uuid
          AND ("openedAt" IS NULL OR status IN ${MARKED_OPENED.sql})`,
      [invitationId, workspaceId, now],
    ),
  );
}
