import type { SqlConnection, SqlRunner } from '../../db/sql-runner.js';
import { ANSWERABLE } from './invitation-states.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../errors.js';
import { randomUUID } from 'node:crypto';
import { globalId } from '../events/global-id.js';
import { validateAnswer, type AnswerInput, type CleanAnswer } from './answer-validation.js';
import { invitationStates, lockInvitations, markInvitationOpened, writeAnswerBatch, type InvitationState, type LockedInvitation } from './responses.queries.js';

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

const same = (a: CleanAnswer, b: { score: number | null; choices: string[]; text: string | null; skipped: boolean }) =>
  a.score === b.score && a.text === b.text && a.skipped === b.skipped && a.choices.join('\u0000') === [...b.choices].sort().join('\u0000');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One respondent's answers for one invitation, as submitAnswersOrThrow takes them. */
export interface AnswerSubmission {
  workspaceId: string;
  invitationId: string;
  answers: AnswerInput[];
  options: SubmitOptions;
}

/** Per submission: the response, or the typed error that refused it (nothing of it was written). */
export type SubmissionResult = { responseId: string } | { error: Error };

/** What one submission writes, once its answers are validated against the locked invitation. */
interface Write {
  submission: AnswerSubmission;
  invitation: LockedInvitation;
  responseId: string;
  created: boolean;
  changes: CleanAnswer[];
  completing: boolean;
  /** A first answer moves the invitation to STARTED (completing moves it to COMPLETED). */
  markStarted: boolean;
}

/**
 * Saves answers for one invitation as they come (partial responses are kept) and completes the
 * response when asked. Idempotent: the same answers sent twice are stored once; a changed answer
 * replaces the earlier one until the response is complete. One transaction, the invitation row
 * locked; every statement names the workspace.
 */
export async function submitAnswersOrThrow(sql: SqlRunner, workspaceId: string, invitationId: string, answers: AnswerInput[], options: SubmitOptions): Promise<{ responseId: string }> {
  const [result] = await submitAnswerBatch(sql, [{ workspaceId, invitationId, answers, options }]);
  if ('error' in result!) throw result.error;
  return result!;
}

/**
 * The same for several invitations at once, in one transaction of four statements whatever their
 * number (lock, read, write, commit): what lets concurrent answers share round
 * trips (see answer-batcher.ts). Each submission is judged on its own: a refused one (a typed
 * error in its result) writes nothing and does not stop the others. The invitations must differ.
 */
export async function submitAnswerBatch(sql: SqlRunner, submissions: readonly AnswerSubmission[]): Promise<SubmissionResult[]> {
  if (new Set(submissions.map((submission) => submission.invitationId)).size !== submissions.length) throw new Error('submitAnswerBatch: one submission per invitation');
  const results: SubmissionResult[] = submissions.map((submission) => (UUID.test(submission.invitationId) ? { responseId: '' } : { error: new NotFoundError('Invitation', submission.invitationId) }));
  const open = submissions.filter((_, index) => !('error' in results[index]!));
  if (open.length === 0) return results;
  return sql.transaction(
    async (tx: SqlConnection) => {
      const ids = open.map((submission) => submission.invitationId);
      const workspaces = open.map((submission) => submission.workspaceId);
      // Lock first, read after: a read joined to the lock would see a response as it was before a
      // concurrent first answer committed, and insert a second one (a unique-key violation). Locked in
      // id order, so two batches sharing invitations cannot deadlock.
      await lockInvitations(tx, { ids, workspaceIds: workspaces });
      const rows = await invitationStates(tx, { ids, workspaceIds: workspaces });
      const states = new Map(rows.map((row) => [row.id, row]));
      const writes: Write[] = [];
      submissions.forEach((submission, index) => {
        if ('error' in results[index]!) return;
        try {
          const planned = planSubmission(submission, states.get(submission.invitationId));
          if ('responseId' in planned) results[index] = planned;
          else {
            writes.push(planned.write);
            results[index] = { responseId: planned.write.responseId };
          }
        } catch (error) {
          results[index] = { error: error as Error };
        }
      });
      await writeAnswers(tx, writes);
      return results;
    },
    { genericPlans: true },
  );
}

/** Validates one submission against its locked invitation: nothing to write (a repeat), or what to write. Throws the typed refusal. */
function planSubmission(submission: AnswerSubmission, invitation: InvitationState | undefined): { responseId: string } | { write: Write } {
  const { answers, options } = submission;
  if (!invitation) throw new NotFoundError('Invitation', submission.invitationId);
  const questions = invitation.questions;
  const existing = new Map(invitation.answers.map((answer) => [answer.questionId, answer]));
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
  const completing = options.complete && !invitation.completedAt;
  return {
    write: {
      submission,
      invitation,
      responseId: invitation.responseId ?? randomUUID(),
      created: !invitation.responseId,
      changes,
      completing,
      markStarted: !completing && clean.length > 0 && invitation.status !== 'STARTED',
    },
  };
}

/**
 * Everything a batch writes, in one statement: new responses (complete already when their first
 * answers complete them) with their response.started events, every changed answer, invitations
 * moving to STARTED, and the completions (see completionCtes): responses and invitations marked
 * complete, response.completed events, follow-ups and their events.
 */
async function writeAnswers(tx: SqlConnection, writes: Write[]): Promise<void> {
  const created = writes.filter((write) => write.created);
  const answers = writes.flatMap((write) => write.changes.map((answer) => ({ ...answer, workspaceId: write.submission.workspaceId, responseId: write.responseId, now: write.submission.options.now })));
  const started = writes.filter((write) => write.markStarted);
  const completing = writes.filter((write) => write.completing);
  if (created.length === 0 && answers.length === 0 && started.length === 0 && completing.length === 0) return;
  await writeAnswerBatch(tx, {
    created: JSON.stringify(
      created.map((write) => {
        const invitation = write.invitation;
        const options = write.submission.options;
        return {
          id: write.responseId,
          workspaceId: write.submission.workspaceId,
          surveyId: invitation.surveyId,
          invitationId: invitation.id,
          customerId: invitation.customerId,
          source: options.source,
          channel: invitation.channel,
          locale: invitation.locale,
          businessUnitId: invitation.businessUnitId,
          journeyPhase: invitation.journeyPhase,
          touchpointType: invitation.touchpointType,
          recordedBy: options.recordedBy ?? null,
          now: options.now,
          complete: write.completing,
          subjectId: globalId('SurveyResponse', write.responseId),
          data: { responseId: globalId('SurveyResponse', write.responseId), ...responseEventData(null, invitation) },
        };
      }),
    ),
    answers: JSON.stringify(answers),
    started: JSON.stringify(started.map((write) => ({ id: write.invitation.id, workspaceId: write.submission.workspaceId, now: write.submission.options.now }))),
    completing: JSON.stringify(
      completing.map((write) => ({
        workspaceId: write.submission.workspaceId,
        responseId: write.responseId,
        invitationId: write.invitation.id,
        customerId: write.invitation.customerId,
        now: write.submission.options.now,
        data: responseEventData(write.responseId, write.invitation),
        // A response created in this statement is written complete already.
        updateResponse: !write.created,
      })),
    ),
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
  await sql.session((conn) => markInvitationOpened(conn, { invitationId, workspaceId, now }));
}
