import { createReviewRuleOrThrow, inviteToReview, manualSourceKey } from '../../core/reviews/review-invitation.service.js';
import { IdempotencyKeyReusedError, NotFoundError, SelectiveInvitationRefusedError, UnknownContributionError, ValidationError } from '../../core/errors.js';
import { claimIdempotencyKeyOrThrow } from '../../core/idempotency/idempotency-key.js';
import { builder } from '../builder.js';
import { findPage } from '../keyset.js';
import { listReads } from '../compiled-reads.js';
import { plannedConnection } from '../planned-reads/planned-list.js';
import { checkedMaxSize } from '../connection-size.js';
import { WRITE_ERRORS } from '../errors.js';
import { idOfOrThrow, inputIdOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';
import { SkipReasonEnum } from './survey-enums.js';

const ReviewMomentEnum = builder.enumType('ReviewMoment', {
  values: ['MANUAL', 'TOUCHPOINT', 'REPEAT_ORDER', 'PROMOTER_SCORE'] as const,
  description: 'What prompted the invitation: by hand, a touchpoint of a given type (delivery, referral), a repeat order, or a promoter score (9-10).',
});
const ReviewInvitationStatusEnum = builder.enumType('ReviewInvitationStatus', { values: ['SENT', 'SKIPPED', 'FAILED'] as const });
const ReviewAudienceEnum = builder.enumType('ReviewAudience', {
  values: ['ALL', 'PROMOTERS_ONLY'] as const,
  description: 'PROMOTERS_ONLY is review gating: refused where the platform forbids it (Google, Trustpilot).',
});

const ReviewInvitationRef = builder.prismaNode('ReviewInvitation', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { read: 'reviews' },
  description: 'A request to a customer to review us. SENT ones count against the contact-pressure cap with survey invitations.',
  fields: (t) => ({
    moment: t.expose('moment', { type: ReviewMomentEnum }),
    status: t.expose('status', { type: ReviewInvitationStatusEnum }),
    skipReason: t.expose('skipReason', { type: SkipReasonEnum, nullable: true }),
    duplicate: t.exposeBoolean('duplicate', { description: 'The platform already had an invitation for this customer and sent nothing new.' }),
    url: t.exposeString('url', { nullable: true, description: 'The review link, when the platform returns one.' }),
    failureMessage: t.exposeString('failureMessage', { nullable: true }),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    customer: t.relation('customer'),
    source: t.relation('connection'),
    rule: t.relation('rule', { nullable: true }),
  }),
});

const ReviewInvitationRuleRef = builder.prismaNode('ReviewInvitationRule', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { read: 'reviews' },
  description: 'Invites customers to review after a positive moment, within the contact-pressure cap.',
  fields: (t) => ({
    moment: t.expose('moment', { type: ReviewMomentEnum }),
    touchpointType: t.exposeString('touchpointType', { nullable: true }),
    audience: t.expose('audience', { type: ReviewAudienceEnum }),
    delayHours: t.exposeInt('delayHours'),
    maxAgeHours: t.exposeInt('maxAgeHours'),
    active: t.exposeBoolean('active'),
    source: t.relation('connection'),
  }),
});

function reviewInvitationWhere(args: { customerId?: string | number | null; status?: typeof ReviewInvitationStatusEnum.$inferType | null }) {
  return { ...(args.customerId ? { customerId: inputIdOrThrow(String(args.customerId), 'Customer', 'customerId')! } : {}), ...(args.status ? { status: args.status } : {}) };
}

builder.queryFields((t) => ({
  reviewInvitations: plannedConnection(t)({
    type: 'ReviewInvitation',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'reviews' },
    args: { customerId: t.arg.id(), status: t.arg({ type: ReviewInvitationStatusEnum }) },
    resolve: (query, _root, args, ctx) => findPage(listReads(ctx, 'reviewInvitation'), query, { where: reviewInvitationWhere(args), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    totalCount: (_root, args, ctx) => ctx.db.reviewInvitation.count({ where: reviewInvitationWhere(args) }),
  }),
  reviewInvitationRules: t.prismaField({
    type: ['ReviewInvitationRule'],
    authScopes: { read: 'reviews' },
    resolve: (query, _root, _args, ctx) => ctx.db.reviewInvitationRule.findMany({ ...query, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  }),
}));

const InviteToReviewInput = builder.inputType('InviteToReviewInput', {
  fields: (t) => ({
    customerId: t.id({ required: true }),
    sourceId: t.id({ required: true }),
    idempotencyKey: t.string({ description: 'Repeating a request with the same key returns the first result instead of inviting again.' }),
  }),
});
const CreateReviewInvitationRuleInput = builder.inputType('CreateReviewInvitationRuleInput', {
  fields: (t) => ({
    sourceId: t.id({ required: true }),
    moment: t.field({ type: ReviewMomentEnum, required: true }),
    touchpointType: t.string({ description: 'For TOUCHPOINT: e.g. "order_delivered" or "referral".' }),
    audience: t.field({ type: ReviewAudienceEnum, defaultValue: 'ALL' }),
    delayHours: t.int({ defaultValue: 24, description: 'Hours after the moment.' }),
    maxAgeHours: t.int({ defaultValue: 336, description: 'Moments older than this are left alone.' }),
  }),
});
const DeleteReviewInvitationRuleInput = builder.inputType('DeleteReviewInvitationRuleInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

builder.mutationFields((t) => ({
  inviteToReview: t.field({
    type: ReviewInvitationRef,
    authScopes: { write: 'reviews' },
    description: 'Invites one customer to review on one platform, within the contact-pressure cap; a skip records its reason.',
    args: { input: t.arg({ type: InviteToReviewInput, required: true }) },
    errors: mutationErrors('InviteToReview', 'invitation', [...WRITE_ERRORS, UnknownContributionError, IdempotencyKeyReusedError]),
    resolve: async (_root, { input }, ctx) => {
      const customerId = inputIdOrThrow(String(input.customerId), 'Customer', 'customerId')!;
      const connectionId = idOfOrThrow(String(input.sourceId), 'ReviewSource');
      const source = await ctx.db.reviewConnection.findFirst({ where: { id: connectionId } });
      if (!source) throw new NotFoundError('ReviewSource', String(input.sourceId));
      if (!ctx.reviews.calls.platformOrThrow(source.platformCode).capabilities.includes('invite')) {
        throw new ValidationError([{ path: ['input', 'sourceId'], message: 'this platform cannot invite customers' }]);
      }
      if (input.idempotencyKey != null && (input.idempotencyKey.length < 1 || input.idempotencyKey.length > 200)) {
        throw new ValidationError([{ path: ['input', 'idempotencyKey'], message: 'must be 1 to 200 characters' }]);
      }
      if (input.idempotencyKey != null) {
        await claimIdempotencyKeyOrThrow(ctx.reviews.sql, ctx.viewer.workspaceId, 'inviteToReview', input.idempotencyKey, { customerId, connectionId }, 'input.idempotencyKey');
      }
      const invitation = await inviteToReview(ctx.reviews, { workspaceId: ctx.viewer.workspaceId, customerId, connectionId, moment: 'MANUAL', sourceKey: manualSourceKey(input.idempotencyKey) });
      return ctx.db.reviewInvitation.findFirstOrThrow({ where: { id: invitation.id } });
    },
  }),
  createReviewInvitationRule: t.field({
    type: ReviewInvitationRuleRef,
    authScopes: { write: 'reviews' },
    args: { input: t.arg({ type: CreateReviewInvitationRuleInput, required: true }) },
    errors: mutationErrors('CreateReviewInvitationRule', 'rule', [...WRITE_ERRORS, SelectiveInvitationRefusedError, UnknownContributionError]),
    resolve: (_root, { input }, ctx) =>
      createReviewRuleOrThrow(ctx.db, ctx.reviews, {
        connectionId: idOfOrThrow(String(input.sourceId), 'ReviewSource'),
        moment: input.moment,
        touchpointType: input.touchpointType,
        audience: input.audience,
        delayHours: input.delayHours,
        maxAgeHours: input.maxAgeHours,
      }),
  }),
  deleteReviewInvitationRule: t.field({
    type: ReviewInvitationRuleRef,
    authScopes: { write: 'reviews' },
    description: 'Removes a rule; invitations it made stay.',
    args: { input: t.arg({ type: DeleteReviewInvitationRuleInput, required: true }) },
    errors: mutationErrors('DeleteReviewInvitationRule', 'rule'),
    resolve: async (_root, { input }, ctx) => {
      const id = idOfOrThrow(String(input.id), 'ReviewInvitationRule');
      const rule = await ctx.db.reviewInvitationRule.findFirst({ where: { id } });
      if (!rule) throw new NotFoundError('ReviewInvitationRule', String(input.id));
      await ctx.db.reviewInvitationRule.delete({ where: { id } });
      return rule;
    },
  }),
}));
