import type { Prisma } from '../../generated/prisma/client.js';
import { findPage } from '../keyset.js';
import { listReads } from '../compiled-reads.js';
import { plannedConnection } from '../planned-reads/planned-list.js';
import { addFollowUpNoteOrThrow, closeLoopWithCustomerOrThrow, setFollowUpRuleOrThrow, updateFollowUpOrThrow } from '../../core/follow-ups/follow-up.service.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { actorName } from '../../core/auth/viewer.js';
import { builder } from '../builder.js';
import type { RequestContext } from '../../core/request-context.js';
import { checkedMaxSize } from '../connection-size.js';
import { idOfOrThrow, inputIdOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';

export const FollowUpStatusEnum = builder.enumType('FollowUpStatus', { values: ['OPEN', 'IN_PROGRESS', 'WAITING_FOR_CUSTOMER', 'DONE'] as const, description: 'The columns of the follow-up board.' });
export const FollowUpPriorityEnum = builder.enumType('FollowUpPriority', {
  values: ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const,
  description: 'Raised automatically from how low the score is: the worst score URGENT, the lower half of the flagged range HIGH, the rest MEDIUM.',
});

const FollowUpRef = builder.prismaNode('FollowUp', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { read: 'surveys' },
  description: 'A task raised by a low score (NPS 0-6, CSAT 1-2, CES 1-3 by default, or a rule) or a low review, for the owner of the question or review source.',
  fields: (t) => ({
    status: t.expose('status', { type: FollowUpStatusEnum }),
    priority: t.expose('priority', { type: FollowUpPriorityEnum }),
    score: t.exposeFloat('score', { nullable: true, description: "The answer's score, or the review's stars (1-5)." }),
    comment: t.exposeString('comment', { nullable: true, description: "The customer's own words: open answers of the response, or the review text." }),
    ownerName: t.exposeString('ownerName', { nullable: true }),
    ownerEmail: t.exposeString('ownerEmail', { nullable: true }),
    dueAt: t.expose('dueAt', { type: 'DateTime' }),
    overdue: t.boolean({ resolve: (f, _args, ctx) => f.status !== 'DONE' && f.dueAt < ctx.surveys.clock.now() }),
    doneAt: t.expose('doneAt', { type: 'DateTime', nullable: true }),
    customerContactedAt: t.expose('customerContactedAt', { type: 'DateTime', nullable: true, description: 'When we last wrote back to the customer (closing the loop).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    response: t.prismaField({
      type: 'SurveyResponse',
      nullable: true,
      resolve: (query, f, _args, ctx) => (f.responseId ? ctx.db.surveyResponse.findFirst({ ...query, where: { id: f.responseId } }) : null),
    }),
    question: t.prismaField({ type: 'Question', nullable: true, resolve: (query, f, _args, ctx) => (f.questionId ? ctx.db.question.findFirst({ ...query, where: { id: f.questionId } }) : null) }),
    review: t.prismaField({
      type: 'Review',
      nullable: true,
      authScopes: { read: 'reviews' },
      resolve: (query, f, _args, ctx) => (f.reviewId ? ctx.db.review.findFirst({ ...query, where: { id: f.reviewId } }) : null),
    }),
    customer: t.prismaField({ type: 'Customer', nullable: true, resolve: (query, f, _args, ctx) => (f.customerId ? ctx.db.customer.findFirst({ ...query, where: { id: f.customerId } }) : null) }),
    notes: t.relation('notes', { query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }),
    actedBy: t.relation('actedBy', { nullable: true, description: 'The member who last changed it, when a person acted.' }),
  }),
});

builder.prismaObject('FollowUpNote', {
  fields: (t) => ({
    author: t.exposeString('author'),
    member: t.relation('member', { nullable: true, description: 'The member who wrote it, when a person did.' }),
    text: t.exposeString('text'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const FollowUpRuleRef = builder.prismaObject('FollowUpRule', {
  description: 'Answers at or below scoreMax raise follow-ups, for one survey or one question.',
  fields: (t) => ({
    id: t.exposeID('id'),
    scoreMax: t.exposeInt('scoreMax'),
    survey: t.prismaField({ type: 'Survey', nullable: true, resolve: (query, rule, _args, ctx) => (rule.surveyId ? ctx.db.survey.findFirst({ ...query, where: { id: rule.surveyId } }) : null) }),
    question: t.prismaField({
      type: 'Question',
      nullable: true,
      resolve: (query, rule, _args, ctx) => (rule.questionId ? ctx.db.question.findFirst({ ...query, where: { id: rule.questionId } }) : null),
    }),
  }),
});

const FollowUpFilterInput = builder.inputType('FollowUpFilter', {
  fields: (t) => ({
    statuses: t.field({ type: [FollowUpStatusEnum] }),
    priorities: t.field({ type: [FollowUpPriorityEnum] }),
    ownerEmail: t.string(),
    mine: t.boolean({ description: "Only the calling member's follow-ups (owner e-mail is theirs). Needs a member's token." }),
    overdue: t.boolean({ description: 'Only follow-ups past their due date and not done.' }),
    customerId: t.id(),
    fromReviews: t.boolean({ description: 'true: raised by reviews; false: raised by survey answers.' }),
  }),
});

const FollowUpPolicyRef = builder.objectRef<{ slaHours: number; reviewMaxStars: number }>('FollowUpPolicy').implement({
  description: 'Follow-ups are due slaHours after they are raised; reviews at or below reviewMaxStars raise one.',
  fields: (t) => ({ slaHours: t.exposeInt('slaHours'), reviewMaxStars: t.exposeFloat('reviewMaxStars') }),
});

builder.queryFields((t) => ({
  followUps: plannedConnection(t)({
    type: 'FollowUp',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'surveys' },
    description: 'The follow-up board, soonest due first.',
    args: { filter: t.arg({ type: FollowUpFilterInput }) },
    resolve: (query, _root, { filter }, ctx) => findPage(listReads(ctx, 'followUp'), query, { where: followUpWhere(filter, ctx), orderBy: [{ dueAt: 'asc' }, { id: 'asc' }] }),
    totalCount: (_root, { filter }, ctx) => ctx.db.followUp.count({ where: followUpWhere(filter, ctx) }),
  }),
}));

function followUpWhere(filter: typeof FollowUpFilterInput.$inferInput | null | undefined, ctx: RequestContext): Prisma.FollowUpWhereInput {
  const where: Prisma.FollowUpWhereInput = {};
  if (filter?.statuses) where.status = { in: filter.statuses };
  if (filter?.priorities) where.priority = { in: filter.priorities };
  if (filter?.ownerEmail) where.ownerEmail = { equals: filter.ownerEmail, mode: 'insensitive' };
  if (filter?.mine) {
    if (!ctx.viewer.member) throw new ValidationError([{ path: ['filter', 'mine'], message: 'only a member signed in with a token has follow-ups of their own; use ownerEmail with an API key' }]);
    // Beside an ownerEmail filter (already in where.ownerEmail): both must hold.
    where.AND = [{ ownerEmail: { equals: ctx.viewer.member.email, mode: 'insensitive' } }];
  }
  if (filter?.overdue) Object.assign(where, { dueAt: { lt: ctx.surveys.clock.now() }, status: { not: 'DONE' } });
  if (filter?.customerId) where.customerId = inputIdOrThrow(String(filter.customerId), 'Customer', 'customerId')!;
  if (filter?.fromReviews === true) where.reviewId = { not: null };
  if (filter?.fromReviews === false) where.responseId = { not: null };
  return where;
}
builder.queryFields((t) => ({
  followUpRules: t.prismaField({
    type: ['FollowUpRule'],
    authScopes: { read: 'surveys' },
    resolve: (query, _root, _args, ctx) => ctx.db.followUpRule.findMany({ ...query, orderBy: { createdAt: 'asc' } }),
  }),
  followUpPolicy: t.field({
    type: FollowUpPolicyRef,
    authScopes: { read: 'surveys' },
    resolve: async (_root, _args, ctx) => {
      const workspace = await ctx.db.workspace.findUniqueOrThrow({ where: { id: ctx.viewer.workspaceId } });
      return { slaHours: workspace.followUpSlaHours, reviewMaxStars: workspace.reviewFollowUpMaxStars };
    },
  }),
}));

const UpdateFollowUpInput = builder.inputType('UpdateFollowUpInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    status: t.field({ type: FollowUpStatusEnum }),
    priority: t.field({ type: FollowUpPriorityEnum }),
    ownerName: t.string(),
    ownerEmail: t.string(),
    dueAt: t.field({ type: 'DateTime' }),
  }),
});
const AddFollowUpNoteInput = builder.inputType('AddFollowUpNoteInput', {
  fields: (t) => ({ id: t.id({ required: true }), author: t.string({ description: "Default: the member's name; required with an API key." }), text: t.string({ required: true }) }),
});
const CloseLoopWithCustomerInput = builder.inputType('CloseLoopWithCustomerInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    subject: t.string({ required: true }),
    message: t.string({ required: true }),
    author: t.string({ description: "Default: the member's name; required with an API key." }),
    status: t.field({ type: FollowUpStatusEnum, description: 'Where the follow-up goes next (default WAITING_FOR_CUSTOMER).' }),
    channel: t.string({ description: 'A channel that sends personal messages (default "email").' }),
  }),
});
const SetFollowUpRuleInput = builder.inputType('SetFollowUpRuleInput', { fields: (t) => ({ surveyId: t.id(), questionId: t.id(), scoreMax: t.int({ required: true }) }) });
const DeleteFollowUpRuleInput = builder.inputType('DeleteFollowUpRuleInput', { fields: (t) => ({ id: t.id({ required: true }) }) });
const SetFollowUpPolicyInput = builder.inputType('SetFollowUpPolicyInput', { fields: (t) => ({ slaHours: t.int(), reviewMaxStars: t.float() }) });

builder.mutationFields((t) => ({
  updateFollowUp: t.field({
    type: FollowUpRef,
    authScopes: { write: 'follow-ups' },
    description: 'Moves a follow-up on the board, reprioritises, reassigns or reschedules it.',
    args: { input: t.arg({ type: UpdateFollowUpInput, required: true }) },
    errors: mutationErrors('UpdateFollowUp', 'followUp'),
    resolve: (_root, { input: { id, ...patch } }, ctx) => updateFollowUpOrThrow(ctx.db, idOfOrThrow(String(id), 'FollowUp'), patch, ctx.surveys.clock.now(), ctx.viewer.member?.id ?? null),
  }),
  addFollowUpNote: t.field({
    type: FollowUpRef,
    authScopes: { write: 'follow-ups' },
    args: { input: t.arg({ type: AddFollowUpNoteInput, required: true }) },
    errors: mutationErrors('AddFollowUpNote', 'followUp'),
    resolve: (_root, { input }, ctx) =>
      addFollowUpNoteOrThrow(
        ctx.db,
        idOfOrThrow(String(input.id), 'FollowUp'),
        { ...input, author: input.author ?? actorName(ctx.viewer) ?? '' },
        ctx.surveys.clock.now(),
        ctx.viewer.member?.id ?? null,
      ),
  }),
  closeLoopWithCustomer: t.field({
    type: FollowUpRef,
    authScopes: { write: 'follow-ups' },
    description: 'Writes to the customer about their feedback (email by default), keeps the message as a note and records the contact.',
    args: { input: t.arg({ type: CloseLoopWithCustomerInput, required: true }) },
    errors: mutationErrors('CloseLoopWithCustomer', 'followUp'),
    resolve: (_root, { input }, ctx) =>
      closeLoopWithCustomerOrThrow(
        ctx.db,
        ctx.registry,
        idOfOrThrow(String(input.id), 'FollowUp'),
        { ...input, author: input.author ?? actorName(ctx.viewer) ?? '' },
        ctx.surveys.clock.now(),
        ctx.viewer.member?.id ?? null,
      ),
  }),
  setFollowUpRule: t.field({
    type: FollowUpRuleRef,
    authScopes: { write: 'surveys' },
    description: 'Answers at or below scoreMax raise follow-ups, for a survey or one question (replacing the default threshold).',
    args: { input: t.arg({ type: SetFollowUpRuleInput, required: true }) },
    errors: mutationErrors('SetFollowUpRule', 'rule'),
    resolve: (_root, { input }, ctx) =>
      setFollowUpRuleOrThrow(ctx.db, {
        surveyId: inputIdOrThrow(input.surveyId == null ? null : String(input.surveyId), 'Survey', 'surveyId'),
        questionId: inputIdOrThrow(input.questionId == null ? null : String(input.questionId), 'Question', 'questionId'),
        scoreMax: input.scoreMax,
      }),
  }),
  deleteFollowUpRule: t.field({
    type: FollowUpRuleRef,
    authScopes: { write: 'surveys' },
    args: { input: t.arg({ type: DeleteFollowUpRuleInput, required: true }) },
    errors: mutationErrors('DeleteFollowUpRule', 'rule'),
    resolve: async (_root, { input }, ctx) => {
      const id = String(input.id);
      const rule = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? await ctx.db.followUpRule.findFirst({ where: { id } }) : null;
      if (!rule) throw new NotFoundError('FollowUpRule', String(input.id));
      await ctx.db.followUpRule.delete({ where: { id: rule.id } });
      return rule;
    },
  }),
  setFollowUpPolicy: t.field({
    type: FollowUpPolicyRef,
    authScopes: { admin: true },
    args: { input: t.arg({ type: SetFollowUpPolicyInput, required: true }) },
    errors: mutationErrors('SetFollowUpPolicy', 'policy'),
    resolve: async (_root, { input }, ctx) => {
      if (input.slaHours != null && (input.slaHours < 1 || input.slaHours > 24 * 90)) throw new ValidationError([{ path: ['input', 'slaHours'], message: 'must be between 1 and 2160' }]);
      if (input.reviewMaxStars != null && (input.reviewMaxStars < 1 || input.reviewMaxStars > 5))
        throw new ValidationError([{ path: ['input', 'reviewMaxStars'], message: 'must be between 1 and 5' }]);
      const workspace = await ctx.db.workspace.update({
        where: { id: ctx.viewer.workspaceId },
        data: { ...(input.slaHours != null ? { followUpSlaHours: input.slaHours } : {}), ...(input.reviewMaxStars != null ? { reviewFollowUpMaxStars: input.reviewMaxStars } : {}) },
      });
      return { slaHours: workspace.followUpSlaHours, reviewMaxStars: workspace.reviewFollowUpMaxStars };
    },
  }),
}));
