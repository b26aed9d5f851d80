import { findPage } from '../keyset.js';
import { listReads } from '../compiled-reads.js';
import { plannedConnection } from '../planned-reads/planned-list.js';
import { recordInvitationBounceOrThrow } from '../../core/surveys/invitation-bounce.service.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { NotFoundError } from '../../core/errors.js';
import { recordPhoneResponseOrThrow } from '../../core/surveys/phone-response.service.js';
import { submitAnswersOrThrow } from '../../core/surveys/response.service.js';
import { builder } from '../builder.js';
import { checkedMaxSize } from '../connection-size.js';
import { idOfOrThrow, inputIdOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';
import { JourneyPhaseEnum } from './enums.js';
import { InvitationRef } from './invitation.js';
import { ResponseSourceEnum } from './survey-enums.js';

const AnswerRef = builder.prismaObject('Answer', {
  description: 'One answer. A skipped (dismissed) question is stored but never counts as an answer.',
  fields: (t) => ({
    score: t.exposeInt('score', { nullable: true, description: 'For NPS, CSAT, CES and rating questions.' }),
    choices: t.exposeStringList('choices', { description: 'Option values, for choice questions.' }),
    text: t.exposeString('text', { nullable: true, description: 'For open questions.' }),
    skipped: t.exposeBoolean('skipped'),
    answeredAt: t.expose('answeredAt', { type: 'DateTime' }),
    question: t.relation('question'),
  }),
});

export const SurveyResponseRef = builder.prismaNode('SurveyResponse', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { read: 'surveys' },
  description: 'The answers of one respondent, kept from the first answer on: partial responses have no completedAt.',
  fields: (t) => ({
    source: t.expose('source', { type: ResponseSourceEnum }),
    channel: t.exposeString('channel', { nullable: true }),
    locale: t.exposeString('locale'),
    journeyPhase: t.expose('journeyPhase', { type: JourneyPhaseEnum, nullable: true, description: 'Of the triggering touchpoint.' }),
    touchpointType: t.exposeString('touchpointType', { nullable: true }),
    recordedBy: t.exposeString('recordedBy', { nullable: true, description: 'The agent, for phone responses.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    completed: t.boolean({ select: { completedAt: true }, resolve: (response) => response.completedAt !== null }),
    survey: t.relation('survey'),
    customer: t.relation('customer', { nullable: true, description: 'Null once the customer was erased: the answers stay, anonymised.' }),
    invitation: t.relation('invitation', { nullable: true }),
    businessUnit: t.relation('businessUnit', { nullable: true }),
    answers: t.relation('answers', { query: () => ({ orderBy: { question: { position: 'asc' } } }) }),
  }),
});

const ResponseFilter = builder.inputType('SurveyResponseFilter', {
  fields: (t) => ({
    surveyId: t.id(),
    customerId: t.id(),
    completed: t.boolean({ description: 'true: complete only; false: partial only.' }),
    startedFrom: t.field({ type: 'DateTime' }),
    startedTo: t.field({ type: 'DateTime' }),
  }),
});

function responseWhere(filter: typeof ResponseFilter.$inferInput | null | undefined): Prisma.SurveyResponseWhereInput {
  if (!filter) return {};
  try {
    return {
      ...(filter.surveyId ? { surveyId: idOfOrThrow(String(filter.surveyId), 'Survey') } : {}),
      ...(filter.customerId ? { customerId: idOfOrThrow(String(filter.customerId), 'Customer') } : {}),
      ...(filter.completed === true ? { completedAt: { not: null } } : filter.completed === false ? { completedAt: null } : {}),
      ...(filter.startedFrom || filter.startedTo ? { startedAt: { ...(filter.startedFrom ? { gte: filter.startedFrom } : {}), ...(filter.startedTo ? { lt: filter.startedTo } : {}) } } : {}),
    };
  } catch (error) {
    if (error instanceof NotFoundError) return { id: { in: [] } };
    throw error;
  }
}

builder.queryField('surveyResponses', (t) =>
  plannedConnection(t)({
    type: 'SurveyResponse',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'surveys' },
    description: 'Responses, partial and complete, newest first.',
    args: { filter: t.arg({ type: ResponseFilter }) },
    resolve: (query, _root, { filter }, ctx) => findPage(listReads(ctx, 'surveyResponse'), query, { where: responseWhere(filter), orderBy: [{ startedAt: 'desc' }, { id: 'desc' }] }),
    totalCount: (_root, { filter }, ctx) => ctx.db.surveyResponse.count({ where: responseWhere(filter) }),
  }),
);

export const AnswerInput = builder.inputType('AnswerInput', {
  description: 'One answer: score for scale questions, choices for choice questions, text for open ones, or skipped.',
  fields: (t) => ({
    questionId: t.id({ required: true }),
    score: t.int(),
    choices: t.stringList(),
    text: t.string(),
    skipped: t.boolean(),
  }),
});

const SubmitResponseInput = builder.inputType('SubmitResponseInput', {
  fields: (t) => ({
    token: t.string({ required: true, description: 'The invitation token from the personal URL.' }),
    answers: t.field({ type: [AnswerInput], required: true }),
    complete: t.boolean({ defaultValue: false, description: 'Completes the response; required questions must then be answered.' }),
    source: t.field({ type: ResponseSourceEnum, defaultValue: 'API' }),
  }),
});

const RecordPhoneResponseInput = builder.inputType('RecordPhoneResponseInput', {
  fields: (t) => ({
    invitationId: t.id({ description: 'The invitation the call is about; or give surveyId and customerId.' }),
    surveyId: t.id(),
    customerId: t.id(),
    agentName: t.string({ required: true }),
    answers: t.field({ type: [AnswerInput], required: true }),
    complete: t.boolean({ defaultValue: true }),
  }),
});

const RecordBounceInput = builder.inputType('RecordInvitationBounceInput', {
  description: 'A bounce reported after sending (a delivery status notification): by invitation id or the channel’s message id.',
  fields: (t) => ({ invitationId: t.id(), providerMessageId: t.string(), reason: t.string({ required: true }) }),
});

export const decodeAnswers = (answers: Array<typeof AnswerInput.$inferInput>) =>
  answers.map((answer, index) => ({ ...answer, questionId: inputIdOrThrow(String(answer.questionId), 'Question', `answers.${index}.questionId`)! }));

builder.mutationFields((t) => ({
  submitResponse: t.field({
    type: SurveyResponseRef,
    authScopes: { write: 'responses' },
    description: 'Saves answers for an invitation (the survey page, a widget or an app). Idempotent: the same answers sent twice are stored once.',
    args: { input: t.arg({ type: SubmitResponseInput, required: true }) },
    errors: mutationErrors('SubmitResponse', 'response'),
    resolve: async (_root, { input }, ctx) => {
      const invitation = await ctx.db.invitation.findFirst({ where: { token: input.token }, select: { id: true } });
      if (!invitation) throw new NotFoundError('Invitation', 'token');
      const { responseId } = await submitAnswersOrThrow(ctx.surveys.sql, ctx.viewer.workspaceId, invitation.id, decodeAnswers(input.answers), {
        now: ctx.surveys.clock.now(),
        source: input.source ?? 'API',
        complete: input.complete ?? false,
      });
      return ctx.db.surveyResponse.findFirstOrThrow({ where: { id: responseId } });
    },
  }),
  recordPhoneResponse: t.field({
    type: SurveyResponseRef,
    authScopes: { write: 'responses' },
    description: 'An agent records the answers given by phone.',
    args: { input: t.arg({ type: RecordPhoneResponseInput, required: true }) },
    errors: mutationErrors('RecordPhoneResponse', 'response'),
    resolve: (_root, { input }, ctx) =>
      recordPhoneResponseOrThrow(
        ctx.db,
        ctx.surveys.sql,
        ctx.viewer.workspaceId,
        {
          invitationId: input.invitationId ? idOfOrThrow(String(input.invitationId), 'Invitation') : null,
          surveyId: inputIdOrThrow(input.surveyId ? String(input.surveyId) : null, 'Survey', 'surveyId'),
          customerId: inputIdOrThrow(input.customerId ? String(input.customerId) : null, 'Customer', 'customerId'),
          agentName: input.agentName,
          answers: decodeAnswers(input.answers),
          complete: input.complete ?? true,
        },
        ctx.surveys.clock.now(),
      ),
  }),
  recordInvitationBounce: t.field({
    type: InvitationRef,
    authScopes: { write: 'surveys' },
    args: { input: t.arg({ type: RecordBounceInput, required: true }) },
    errors: mutationErrors('RecordInvitationBounce', 'invitation'),
    resolve: async (_root, { input }, ctx) => {
      const where = input.invitationId ? { id: idOfOrThrow(String(input.invitationId), 'Invitation') } : { providerMessageId: input.providerMessageId ?? '\u0000' };
      return recordInvitationBounceOrThrow(ctx.db, where, input.reason, ctx.surveys.clock.now(), String(input.invitationId ?? input.providerMessageId));
    },
  }),
}));

export { AnswerRef };
