import type { ScopedPrisma } from '../../db/workspace-scope.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../errors.js';
import { validateAnswer, type AnswerInput, type CleanAnswer } from './answer-validation.js';

export type ResponseSource = 'PAGE' | 'WIDGET' | 'IN_APP' | 'PHONE' | 'API';

/** Statuses in which the respondent may still answer. */
const OPEN_STATUSES = new Set(['SENT', 'DELIVERED', 'OPENED', 'STARTED', 'REMINDED']);

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

/**
 * Saves answers for one invitation as they come (partial responses are kept) and completes the
 * response when asked. Idempotent: the same answers sent twice are stored once; a changed answer
 * replaces the earlier one until the response is complete.
 */
export async function submitAnswersOrThrow(db: ScopedPrisma, invitationId: string, answers: AnswerInput[], options: SubmitOptions) {
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "Invitation" WHERE id = ${invitationId}::uuid FOR UPDATE`;
    const invitation = locked.length
      ? await tx.invitation.findFirst({ where: { id: invitationId }, include: { touchpoint: true, customer: { select: { businessUnitId: true } }, response: { include: { answers: true } } } })
      : null;
    if (!invitation) throw new NotFoundError('Invitation', invitationId);
    const questions = await tx.question.findMany({ where: { surveyId: invitation.surveyId }, orderBy: { position: 'asc' } });
    const byId = new Map(questions.map((question) => [question.id, question]));
    const issues: FieldIssue[] = [];
    const clean: CleanAnswer[] = [];
    const seen = new Set<string>();
    answers.forEach((answer, index) => {
      const path = ['input', 'answers', String(index)];
      const question = byId.get(answer.questionId);
      if (!question || (question.retiredAt && !invitation.response?.answers.some((a) => a.questionId === question.id))) {
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

    const existing = new Map((invitation.response?.answers ?? []).map((answer) => [answer.questionId, answer]));
    const changes = clean.filter((answer) => {
      const before = existing.get(answer.questionId);
      return !before || !same(answer, before);
    });
    if (invitation.status === 'COMPLETED') {
      if (changes.length === 0 && invitation.response) return invitation.response;
      throw new ConflictError('token', 'This survey was already completed; answers can no longer change.');
    }
    if (invitation.status === 'EXPIRED' || (invitation.expiresAt && invitation.expiresAt <= options.now)) throw new ConflictError('token', 'This survey link has expired.');
    if (!OPEN_STATUSES.has(invitation.status) && !options.allowUnsent) throw new ConflictError('token', `This invitation cannot be answered (it is ${invitation.status.toLowerCase()}).`);

    if (options.complete) {
      const answered = new Map([...existing.entries()].map(([id, a]) => [id, a.skipped]));
      for (const answer of clean) answered.set(answer.questionId, answer.skipped);
      const missing = questions.filter((question) => !question.retiredAt && question.required && (answered.get(question.id) ?? true));
      if (missing.length) throw new ValidationError(missing.map((question) => ({ path: ['input', 'answers'], message: `question ${question.position + 1} is required before the response can be completed` })));
    }

    const response =
      invitation.response ??
      (await tx.surveyResponse.create({
        data: {
          surveyId: invitation.surveyId,
          invitationId: invitation.id,
          customerId: invitation.customerId,
          source: options.source,
          channel: invitation.channel,
          locale: invitation.locale,
          businessUnitId: invitation.touchpoint?.businessUnitId ?? invitation.customer.businessUnitId,
          journeyPhase: invitation.touchpoint?.journeyPhase ?? null,
          touchpointType: invitation.touchpoint?.type ?? null,
          recordedBy: options.recordedBy ?? null,
          startedAt: options.now,
        } as never,
      }));
    for (const answer of changes) {
      await tx.answer.upsert({
        where: { responseId_questionId: { responseId: response.id, questionId: answer.questionId } },
        create: { ...answer, responseId: response.id, answeredAt: options.now } as never,
        update: { score: answer.score, choices: answer.choices, text: answer.text, skipped: answer.skipped, answeredAt: options.now },
      });
    }
    const completing = options.complete && !response.completedAt;
    if (completing) await tx.surveyResponse.update({ where: { id: response.id }, data: { completedAt: options.now } });
    await tx.invitation.update({
      where: { id: invitation.id },
      data: completing
        ? { status: 'COMPLETED', completedAt: options.now, startedAt: invitation.startedAt ?? options.now }
        : clean.length > 0 && invitation.status !== 'STARTED'
          ? { status: 'STARTED', startedAt: invitation.startedAt ?? options.now }
          : {},
    });
    return tx.surveyResponse.findFirstOrThrow({ where: { id: response.id }, include: { answers: true } });
  });
}

/** The first time a respondent opens the page: OPENED with its time (later visits change nothing). */
export async function markOpened(db: ScopedPrisma, invitationId: string, now: Date): Promise<void> {
  await db.invitation.updateMany({ where: { id: invitationId, status: { in: ['SENT', 'DELIVERED', 'REMINDED'] } }, data: { status: 'OPENED' } });
  await db.invitation.updateMany({ where: { id: invitationId, openedAt: null }, data: { openedAt: now } });
}
