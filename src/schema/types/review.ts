import { deleteReviewReplyOrThrow, replyToReviewOrThrow } from '../../core/reviews/review-reply.service.js';
import { replyBreachWhere } from '../../core/reviews/reply-policy.js';
import { findPage, type KeysetOrder } from '../keyset.js';
import { listReads } from '../compiled-reads.js';
import { plannedConnection } from '../planned-reads/planned-list.js';
import { PlatformFailedError, ValidationError } from '../../core/errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { RequestContext } from '../../core/request-context.js';
import { actorName } from '../../core/auth/viewer.js';
import { builder } from '../builder.js';
import { checkedMaxSize } from '../connection-size.js';
import { WRITE_ERRORS } from '../errors.js';
import { idOfOrThrow, inputIdOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';
import { CustomerRef } from './customer.js';

const ReplyStatusEnum = builder.enumType('ReplyStatus', {
  values: ['NONE', 'DRAFT', 'PUBLISHING', 'PUBLISHED', 'FAILED'] as const,
  description: 'Our reply: none, a draft, being published, published on the platform, or failed (see replyError).',
});

const stars = (normalised: number) => 1 + normalised * 4;

export const ReviewRef = builder.prismaNode('Review', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { read: 'reviews' },
  description: 'A review from a platform, with our reply.',
  fields: (t) => ({
    platformCode: t.exposeString('platformCode'),
    externalId: t.exposeString('externalId', { description: "The platform's id." }),
    rating: t.exposeFloat('rating', { description: "On the platform's scale (ratingMin..ratingMax)." }),
    ratingMin: t.exposeFloat('ratingMin'),
    ratingMax: t.exposeFloat('ratingMax'),
    ratingNormalised: t.exposeFloat('ratingNormalised', { description: '(rating - min) / (max - min), 0-1.' }),
    stars: t.float({ description: 'The rating on 1-5: 1 + 4 x ratingNormalised.', resolve: (review) => stars(review.ratingNormalised) }),
    title: t.exposeString('title', { nullable: true }),
    text: t.exposeString('text', { nullable: true }),
    authorName: t.exposeString('authorName', { nullable: true }),
    language: t.exposeString('language', { nullable: true, description: 'ISO 639-1, from the platform or detected from the text (see languageSource).' }),
    languageSource: t.exposeString('languageSource', { nullable: true, description: 'PLATFORM or DETECTED.' }),
    url: t.exposeString('url', { nullable: true }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime' }),
    sourceUpdatedAt: t.expose('sourceUpdatedAt', { type: 'DateTime', nullable: true, description: 'When the reviewer last edited it on the platform.' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true, description: 'When the platform reported it removed.' }),
    version: t.exposeInt('version', { description: 'Goes up with every edit of rating, title or text; earlier wording in `versions`.' }),
    customer: t.relation('customer', { nullable: true, description: 'Linked by the email or order reference the platform gave.' }),
    source: t.relation('connection'),
    versions: t.relation('versions', { query: { orderBy: { version: 'desc' } }, description: 'Earlier wording, newest first.' }),
    replyText: t.exposeString('replyText', { nullable: true }),
    replyDraft: t.exposeString('replyDraft', { nullable: true, description: 'A saved, unpublished change to the published reply; publishing it replaces replyText.' }),
    replyStatus: t.expose('replyStatus', { type: ReplyStatusEnum }),
    replyError: t.exposeString('replyError', { nullable: true }),
    replyAuthor: t.exposeString('replyAuthor', { nullable: true }),
    replyMember: t.relation('replyMember', { nullable: true, description: 'The member who last wrote or published the reply, when a person did.' }),
    replyUpdatedAt: t.expose('replyUpdatedAt', { type: 'DateTime', nullable: true }),
    repliedAt: t.expose('repliedAt', { type: 'DateTime', nullable: true, description: 'When the first reply was published.' }),
    replyHours: t.exposeFloat('replyHours', { nullable: true, description: 'Hours from publication to the first reply.' }),
  }),
});

builder.prismaObject('ReviewVersion', {
  description: 'What a review said before an edit.',
  fields: (t) => ({
    version: t.exposeInt('version'),
    rating: t.exposeFloat('rating'),
    title: t.exposeString('title', { nullable: true }),
    text: t.exposeString('text', { nullable: true }),
    sourceUpdatedAt: t.expose('sourceUpdatedAt', { type: 'DateTime', nullable: true }),
    replacedAt: t.expose('replacedAt', { type: 'DateTime' }),
  }),
});

const ReviewOrderEnum = builder.enumType('ReviewOrder', { values: ['NEWEST_FIRST', 'OLDEST_FIRST', 'LOWEST_RATING_FIRST'] as const });

const ReviewFilterInput = builder.inputType('ReviewFilter', {
  fields: (t) => ({
    sourceIds: t.idList(),
    platformCodes: t.stringList(),
    minStars: t.float({ description: 'On 1-5 (any platform scale is compared normalised).' }),
    maxStars: t.float(),
    answered: t.boolean({ description: 'true: a reply is published; false: the unanswered queue.' }),
    replyStatus: t.field({ type: [ReplyStatusEnum] }),
    languages: t.stringList(),
    publishedFrom: t.field({ type: 'DateTime' }),
    publishedBefore: t.field({ type: 'DateTime' }),
    search: t.string({ description: 'Words in the title or text (case-insensitive).' }),
    customerId: t.id(),
    includeDeleted: t.boolean({ defaultValue: false }),
  }),
});
type ReviewFilter = typeof ReviewFilterInput.$inferInput;

const toNormalised = (starsValue: number, field: string) => {
  if (starsValue < 1 || starsValue > 5) throw new ValidationError([{ path: ['filter', field], message: 'must be between 1 and 5' }]);
  return (starsValue - 1) / 4;
};

function reviewWhere(filter: ReviewFilter | null | undefined): Prisma.ReviewWhereInput {
  const where: Prisma.ReviewWhereInput = {};
  const and: Prisma.ReviewWhereInput[] = [];
  if (!filter?.includeDeleted) where.deletedAt = null;
  if (!filter) return where;
  if (filter.sourceIds) where.connectionId = { in: filter.sourceIds.map((id, index) => inputIdOrThrow(String(id), 'ReviewSource', `sourceIds.${index}`)!) };
  if (filter.platformCodes) where.platformCode = { in: filter.platformCodes };
  // A hair of tolerance: 4 stars on 1-10 is not exactly representable.
  if (filter.minStars != null) and.push({ ratingNormalised: { gte: toNormalised(filter.minStars, 'minStars') - 1e-9 } });
  if (filter.maxStars != null) and.push({ ratingNormalised: { lte: toNormalised(filter.maxStars, 'maxStars') + 1e-9 } });
  if (filter.answered === true) and.push({ replyStatus: 'PUBLISHED' });
  if (filter.answered === false) and.push({ replyStatus: { not: 'PUBLISHED' } });
  if (filter.replyStatus) and.push({ replyStatus: { in: filter.replyStatus } });
  if (filter.languages) where.language = { in: filter.languages.map((language) => language.toLowerCase()) };
  if (filter.publishedFrom) and.push({ publishedAt: { gte: filter.publishedFrom } });
  if (filter.publishedBefore) and.push({ publishedAt: { lt: filter.publishedBefore } });
  if (filter.search?.trim()) {
    const words = filter.search.trim();
    and.push({ OR: [{ title: { contains: words, mode: 'insensitive' } }, { text: { contains: words, mode: 'insensitive' } }] });
  }
  if (filter.customerId) where.customerId = inputIdOrThrow(String(filter.customerId), 'Customer', 'customerId')!;
  return and.length > 0 ? { ...where, AND: and } : where;
}

const ORDER: Record<'NEWEST_FIRST' | 'OLDEST_FIRST' | 'LOWEST_RATING_FIRST', KeysetOrder> = {
  NEWEST_FIRST: [{ publishedAt: 'desc' }, { id: 'desc' }],
  OLDEST_FIRST: [{ publishedAt: 'asc' }, { id: 'asc' }],
  LOWEST_RATING_FIRST: [{ ratingNormalised: 'asc' }, { publishedAt: 'asc' }, { id: 'asc' }],
};

builder.queryField('reviews', (t) =>
  plannedConnection(t)({
    type: 'Review',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'reviews' },
    description: 'Reviews of every source. `filter: { answered: false }, orderBy: OLDEST_FIRST` is the reply queue.',
    args: { filter: t.arg({ type: ReviewFilterInput }), orderBy: t.arg({ type: ReviewOrderEnum, defaultValue: 'NEWEST_FIRST' }) },
    resolve: (query, _root, args, ctx) => findPage(listReads(ctx, 'review'), query, { where: reviewWhere(args.filter), orderBy: ORDER[args.orderBy ?? 'NEWEST_FIRST'] }),
    totalCount: (_root, args, ctx) => ctx.db.review.count({ where: reviewWhere(args.filter) }),
  }),
);

/** The workspace's reply policy applied now (see core/reviews/reply-policy.ts). */
async function breachWhere(ctx: RequestContext): Promise<Prisma.ReviewWhereInput | null> {
  const workspace = await ctx.db.workspace.findUniqueOrThrow({ where: { id: ctx.viewer.workspaceId }, select: { reviewReplySlaHours: true, reviewReplySlaMaxStars: true } });
  return replyBreachWhere({ hours: workspace.reviewReplySlaHours, maxStars: workspace.reviewReplySlaMaxStars }, ctx.reviews.clock.now());
}

builder.queryField('reviewReplyBreaches', (t) =>
  t.prismaConnection({
    type: 'Review',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'reviews' },
    description: "Low-rated reviews not answered within the workspace's reply policy (still open, or answered late), oldest first. Empty without a policy.",
    resolve: async (query, _root, _args, ctx) => {
      const where = await breachWhere(ctx);
      if (!where) return [];
      return findPage(listReads(ctx, 'review'), query, { where, orderBy: [{ publishedAt: 'asc' }, { id: 'asc' }] });
    },
    totalCount: async (_root, _args, ctx) => {
      const where = await breachWhere(ctx);
      return where ? ctx.db.review.count({ where }) : 0;
    },
  }),
);

const ReplyPolicyRef = builder.objectRef<{ hours: number | null; maxStars: number }>('ReviewReplyPolicy').implement({
  description: 'Reviews at or below maxStars (1-5) must be answered within `hours`; null hours: no requirement.',
  fields: (t) => ({ hours: t.exposeInt('hours', { nullable: true }), maxStars: t.exposeFloat('maxStars') }),
});

builder.queryField('reviewReplyPolicy', (t) =>
  t.field({
    type: ReplyPolicyRef,
    authScopes: { read: 'reviews' },
    resolve: async (_root, _args, ctx) => {
      const workspace = await ctx.db.workspace.findUniqueOrThrow({ where: { id: ctx.viewer.workspaceId } });
      return { hours: workspace.reviewReplySlaHours, maxStars: workspace.reviewReplySlaMaxStars };
    },
  }),
);

builder.objectField(CustomerRef, 'reviews', (t) =>
  t.prismaField({
    type: ['Review'],
    authScopes: { read: 'reviews' },
    description: 'Reviews linked to this customer (up to 100, newest first).',
    resolve: (query, customer, _args, ctx) => ctx.db.review.findMany({ ...query, where: { customerId: customer.id, deletedAt: null }, orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }], take: 100 }),
  }),
);

const ReplyToReviewInput = builder.inputType('ReplyToReviewInput', {
  fields: (t) => ({
    reviewId: t.id({ required: true }),
    text: t.string({ required: true }),
    publish: t.boolean({ defaultValue: true, description: 'false saves a draft.' }),
    author: t.string({ description: "Who wrote the reply, for our history (default: the member's name, or the API key)." }),
  }),
});
const DeleteReviewReplyInput = builder.inputType('DeleteReviewReplyInput', { fields: (t) => ({ reviewId: t.id({ required: true }) }) });
const SetReviewReplyPolicyInput = builder.inputType('SetReviewReplyPolicyInput', {
  fields: (t) => ({ hours: t.int({ description: 'null removes the requirement.' }), maxStars: t.float({ defaultValue: 2 }) }),
});

builder.mutationFields((t) => ({
  replyToReview: t.field({
    type: ReviewRef,
    authScopes: { write: 'replies' },
    description: 'Saves a draft reply or publishes it through the platform. A platform failure returns PlatformFailedError and leaves the reply FAILED.',
    args: { input: t.arg({ type: ReplyToReviewInput, required: true }) },
    errors: mutationErrors('ReplyToReview', 'review', [...WRITE_ERRORS, PlatformFailedError]),
    resolve: (_root, { input }, ctx) =>
      replyToReviewOrThrow(ctx.db, ctx.reviews, {
        reviewId: idOfOrThrow(String(input.reviewId), 'Review'),
        text: input.text,
        publish: input.publish ?? true,
        author: input.author?.trim() || actorName(ctx.viewer) || `api key ${ctx.viewer.apiKeyId}`,
        memberId: ctx.viewer.member?.id ?? null,
      }),
  }),
  deleteReviewReply: t.field({
    type: ReviewRef,
    authScopes: { write: 'replies' },
    description: 'Removes our reply from the platform (or drops a draft).',
    args: { input: t.arg({ type: DeleteReviewReplyInput, required: true }) },
    errors: mutationErrors('DeleteReviewReply', 'review', [...WRITE_ERRORS, PlatformFailedError]),
    resolve: (_root, { input }, ctx) => deleteReviewReplyOrThrow(ctx.db, ctx.reviews, idOfOrThrow(String(input.reviewId), 'Review')),
  }),
  setReviewReplyPolicy: t.field({
    type: ReplyPolicyRef,
    authScopes: { admin: true },
    description: 'Requires replies to low ratings within N hours; breaches are listed by reviewReplyBreaches.',
    args: { input: t.arg({ type: SetReviewReplyPolicyInput, required: true }) },
    errors: mutationErrors('SetReviewReplyPolicy', 'policy'),
    resolve: async (_root, { input }, ctx) => {
      if (input.hours != null && (input.hours < 1 || input.hours > 24 * 90)) throw new ValidationError([{ path: ['input', 'hours'], message: 'must be between 1 and 2160' }]);
      const maxStars = input.maxStars ?? 2;
      if (maxStars < 1 || maxStars > 5) throw new ValidationError([{ path: ['input', 'maxStars'], message: 'must be between 1 and 5' }]);
      const workspace = await ctx.db.workspace.update({ where: { id: ctx.viewer.workspaceId }, data: { reviewReplySlaHours: input.hours ?? null, reviewReplySlaMaxStars: maxStars } });
      return { hours: workspace.reviewReplySlaHours, maxStars: workspace.reviewReplySlaMaxStars };
    },
  }),
}));
