import type { ScopedPrisma } from '../../db/workspace-scope.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { ValidationError } from '../errors.js';
import type { AnswerInput } from './answer-validation.js';
import { newInvitationToken } from './invitation-token.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { submitAnswersOrThrow } from './response.service.js';
import { resolveLocale } from './survey-texts.js';
import { surveyLocales } from './survey-locales.js';

export interface PhoneResponseInput {
  invitationId?: string | null;
  surveyId?: string | null;
  customerId?: string | null;
  agentName: string;
  answers: AnswerInput[];
  complete: boolean;
}

/**
 * An agent asked the questions by phone. Uses the customer's invitation when given; otherwise
 * records the call as a phone invitation (it counts against contact pressure like any other).
 */
export async function recordPhoneResponseOrThrow(db: ScopedPrisma, sql: SqlRunner, workspaceId: string, input: PhoneResponseInput, now: Date) {
  if (!input.agentName.trim()) throw new ValidationError([{ path: ['input', 'agentName'], message: 'must not be empty' }]);
  let invitationId = input.invitationId ?? null;
  if (!invitationId) {
    if (!input.surveyId || !input.customerId) throw new ValidationError([{ path: ['input', 'invitationId'], message: 'give the invitation, or the survey and the customer' }]);
    const [survey, customer] = await Promise.all([
      db.survey.findFirst({ where: { id: input.surveyId }, include: { questions: { select: { texts: true } } } }),
      db.customer.findFirst({ where: { id: input.customerId }, select: { id: true, locale: true } }),
    ]);
    if (!survey) throw new ValidationError([{ path: ['input', 'surveyId'], message: 'no Survey with this id exists' }]);
    if (!customer) throw new ValidationError([{ path: ['input', 'customerId'], message: 'no Customer with this id exists' }]);
    if (survey.status !== 'ACTIVE') throw new ValidationError([{ path: ['input', 'surveyId'], message: `the survey is ${survey.status.toLowerCase()}` }]);
    const invitation = await db.invitation.create({
      data: {
        surveyId: survey.id,
        customerId: customer.id,
        channel: 'phone',
        token: newInvitationToken(),
        status: 'DELIVERED',
        locale: resolveLocale(
          customer.locale,
          surveyLocales(
            survey.texts,
            survey.questions.map((q) => q.texts),
          ),
          survey.defaultLocale,
        ),
        sendAfter: now,
        sentAt: now,
        deliveredAt: now,
        expiresAt: new Date(now.getTime() + survey.expiresAfterDays * 86_400_000),
      } as Prisma.InvitationUncheckedCreateInput,
    });
    invitationId = invitation.id;
  }
  const { responseId } = await submitAnswersOrThrow(sql, workspaceId, invitationId, input.answers, {
    now,
    source: 'PHONE',
    complete: input.complete,
    recordedBy: input.agentName.trim(),
    allowUnsent: true,
  });
  return db.surveyResponse.findFirstOrThrow({ where: { id: responseId } });
}
