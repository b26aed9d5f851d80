import type { Prisma } from '../../generated/prisma/client.js';
import { findPage } from '../keyset.js';
import { listReads } from '../compiled-reads.js';
import { plannedConnection } from '../planned-reads/planned-list.js';
import { ANSWERABLE } from '../../core/surveys/invitation-states.js';
import { surveyUrl } from '../../core/surveys/invitation-message.js';
import { sendSurveyOrThrow } from '../../core/surveys/invitation-scheduler.js';
import { IdempotencyKeyReusedError, NotFoundError } from '../../core/errors.js';
import { WRITE_ERRORS } from '../errors.js';
import { builder } from '../builder.js';
import { checkedMaxSize } from '../connection-size.js';
import { idOfOrThrow, inputIdOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';
import { InvitationStatusEnum, SkipReasonEnum } from './survey-enums.js';

export const InvitationRef = builder.prismaNode('Invitation', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { read: 'surveys' },
  description: 'One survey sent to one customer through one channel, with its lifecycle.',
  fields: (t) => ({
    status: t.expose('status', { type: InvitationStatusEnum }),
    skipReason: t.expose('skipReason', { type: SkipReasonEnum, nullable: true, description: 'Why it was not sent, when status is SKIPPED.' }),
    channel: t.exposeString('channel', { nullable: true, description: 'Channel code; chosen when the invitation goes out unless forced.' }),
    variant: t.exposeString('variant', { description: 'A/B variant: B shows the first question in the message.' }),
    locale: t.exposeString('locale'),
    url: t.string({
      description: 'The personal survey URL (what the link channel hands out). Anyone holding it can answer.',
      select: { token: true },
      resolve: (invitation, _args, ctx) => surveyUrl(ctx.surveys.publicUrl, invitation.token),
    }),
    sendAfter: t.expose('sendAfter', { type: 'DateTime', description: 'Earliest moment it is sent.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    openedAt: t.expose('openedAt', { type: 'DateTime', nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    remindedAt: t.expose('remindedAt', { type: 'DateTime', nullable: true }),
    bouncedAt: t.expose('bouncedAt', { type: 'DateTime', nullable: true }),
    failedAt: t.expose('failedAt', { type: 'DateTime', nullable: true }),
    expiredAt: t.expose('expiredAt', { type: 'DateTime', nullable: true }),
    skippedAt: t.expose('skippedAt', { type: 'DateTime', nullable: true }),
    failureMessage: t.exposeString('failureMessage', { nullable: true, description: 'Last delivery problem reported by the channel.' }),
    attempts: t.exposeInt('attempts', { description: 'Failed delivery attempts that were retried.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    survey: t.relation('survey'),
    customer: t.relation('customer'),
    touchpoint: t.relation('touchpoint', { nullable: true, description: 'The moment that triggered it.' }),
    response: t.relation('response', { nullable: true }),
  }),
});

const InvitationFilter = builder.inputType('InvitationFilter', {
  fields: (t) => ({
    surveyId: t.id(),
    customerId: t.id(),
    statuses: t.field({ type: [InvitationStatusEnum] }),
    skipReason: t.field({ type: SkipReasonEnum }),
    channel: t.string(),
    createdFrom: t.field({ type: 'DateTime', description: 'Inclusive.' }),
    createdTo: t.field({ type: 'DateTime', description: 'Exclusive.' }),
  }),
});

function invitationWhere(filter: typeof InvitationFilter.$inferInput | null | undefined): Prisma.InvitationWhereInput {
  if (!filter) return {};
  return {
    ...(filter.surveyId ? { surveyId: idOfOrThrow(String(filter.surveyId), 'Survey') } : {}),
    ...(filter.customerId ? { customerId: idOfOrThrow(String(filter.customerId), 'Customer') } : {}),
    ...(filter.statuses ? { status: { in: filter.statuses } } : {}),
    ...(filter.skipReason ? { skipReason: filter.skipReason } : {}),
    ...(filter.channel ? { channel: filter.channel } : {}),
    ...(filter.createdFrom || filter.createdTo ? { createdAt: { ...(filter.createdFrom ? { gte: filter.createdFrom } : {}), ...(filter.createdTo ? { lt: filter.createdTo } : {}) } } : {}),
  };
}

/** A foreign or malformed id in a filter matches nothing, like a missing one. */
const safeWhere = (filter: typeof InvitationFilter.$inferInput | null | undefined): Prisma.InvitationWhereInput => {
  try {
    return invitationWhere(filter);
  } catch (error) {
    if (error instanceof NotFoundError) return { id: { in: [] } };
    throw error;
  }
};

builder.queryFields((t) => ({
  invitations: plannedConnection(t)({
    type: 'Invitation',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'surveys' },
    description: 'Invitations matching the filter, newest first. Filter on SKIPPED and a skipReason to see who was not asked and why.',
    args: { filter: t.arg({ type: InvitationFilter }) },
    resolve: (query, _root, { filter }, ctx) => findPage(listReads(ctx, 'invitation'), query, { where: safeWhere(filter), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    totalCount: (_root, { filter }, ctx) => ctx.db.invitation.count({ where: safeWhere(filter) }),
  }),
  pendingInvitations: t.prismaField({
    type: ['Invitation'],
    authScopes: { read: 'surveys' },
    description: 'Invitations a customer can answer now (for an app to show natively, or a widget): sent, not completed, not expired. Newest first.',
    args: { customerId: t.arg.id({ required: true }), channel: t.arg.string() },
    resolve: async (query, _root, args, ctx) => {
      let customerId: string;
      try {
        customerId = idOfOrThrow(String(args.customerId), 'Customer');
      } catch {
        return [];
      }
      return ctx.db.invitation.findMany({
        ...query,
        where: {
          customerId,
          status: { in: [...ANSWERABLE.values] },
          OR: [{ expiresAt: null }, { expiresAt: { gt: ctx.surveys.clock.now() } }],
          ...(args.channel ? { channel: args.channel } : {}),
        },
        orderBy: [{ sentAt: 'desc' }],
        take: 20,
      });
    },
  }),
}));

const SendSurveyInput = builder.inputType('SendSurveyInput', {
  fields: (t) => ({
    surveyId: t.id({ required: true }),
    customerIds: t.idList({ required: true, description: 'Up to 10,000 customers.' }),
    channel: t.string({ description: 'Force a channel; default: the survey’s channel, else each customer’s preferred or last-used one.' }),
    sendAt: t.field({ type: 'DateTime', description: 'Default: now.' }),
    idempotencyKey: t.string({ description: 'Retrying with the same key creates nothing new and returns the same invitations.' }),
  }),
});

const SendSurveyResultRef = builder.objectRef<{ count: number; created: number; sendAfter: Date; invitations: Array<{ id: string }> }>('SentSurvey').implement({
  description: 'Invitations scheduled. Contact pressure, consent and channel are checked as each one goes out; refusals show as SKIPPED with a reason.',
  fields: (t) => ({
    count: t.exposeInt('count', { description: 'Invitations for this call (with an idempotency key: including those created by an earlier try).' }),
    created: t.exposeInt('created', { description: 'Invitations created by this call.' }),
    sendAfter: t.expose('sendAfter', { type: 'DateTime' }),
    invitations: t.field({
      type: [InvitationRef],
      description: 'The first 100 invitations.',
      resolve: (result, _args, ctx) => ctx.db.invitation.findMany({ where: { id: { in: result.invitations.slice(0, 100).map((row) => row.id) } }, orderBy: { createdAt: 'asc' } }),
    }),
  }),
});

builder.mutationField('sendSurvey', (t) =>
  t.field({
    type: SendSurveyResultRef,
    authScopes: { write: 'surveys' },
    description: 'Schedules the survey for a list of customers. A segment can be sent to once segments exist.',
    args: { input: t.arg({ type: SendSurveyInput, required: true }) },
    errors: mutationErrors('SendSurvey', 'result', [...WRITE_ERRORS, IdempotencyKeyReusedError]),
    resolve: async (_root, { input }, ctx) => {
      const surveyId = inputIdOrThrow(String(input.surveyId), 'Survey', 'surveyId')!;
      const customerIds = input.customerIds.map((id, index) => inputIdOrThrow(String(id), 'Customer', `customerIds.${index}`)!);
      const now = ctx.surveys.clock.now();
      const result = await sendSurveyOrThrow(
        ctx.db,
        { surveyId, customerIds, channel: input.channel, sendAt: input.sendAt, idempotencyKey: input.idempotencyKey },
        now,
        (code) => ctx.registry.surveyChannels.has(code),
        { sql: ctx.surveys.sql, workspaceId: ctx.viewer.workspaceId },
      );
      if (result.sendAfter <= now) ctx.surveys.kickDispatch();
      return result;
    },
  }),
);
