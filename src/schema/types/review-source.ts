import { importReviewsCsvOrThrow } from '../../core/reviews/review-csv.js';
import { findPage } from '../keyset.js';
import { connectReviewSourceOrThrow, disconnectReviewSourceOrThrow, redactSettings, updateReviewSourceOrThrow } from '../../core/reviews/review-source.service.js';
import { forgetPushSource } from '../../core/reviews/review-push.js';
import { syncReviewSource, type SyncOutcome } from '../../core/reviews/review-sync.js';
import { BulkImportRejectedError, UnknownContributionError } from '../../core/errors.js';
import { WRITE_ERRORS } from '../errors.js';
import { builder } from '../builder.js';
import { checkedMaxSize } from '../connection-size.js';
import { idOfOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';

const ReviewSourceStatusEnum = builder.enumType('ReviewSourceStatus', {
  values: ['ACTIVE', 'SYNCING', 'RATE_LIMITED', 'AUTH_FAILED', 'FAILING', 'DISABLED'] as const,
  description: 'Connection state: RATE_LIMITED, AUTH_FAILED and FAILING carry lastError; the next sync retries.',
});

export const ReviewSourceRef = builder.prismaNode('ReviewConnection', {
  name: 'ReviewSource',
  id: { field: 'id' },
  nullable: true,
  authScopes: { read: 'reviews' },
  description: "The workspace's account on one review platform, and its connection state.",
  fields: (t) => ({
    name: t.exposeString('name'),
    platformCode: t.exposeString('platformCode'),
    status: t.expose('status', { type: ReviewSourceStatusEnum }),
    settings: t.field({ type: 'JSONObject', description: 'The settings, with credentials masked.', resolve: (source) => redactSettings(source.settings) }),
    pushUrl: t.string({
      authScopes: { write: 'reviews' },
      description: 'Where the platform pushes news (webhook, Pub/Sub push, Standard Webhooks). It holds a secret: rotate it with updateReviewSource.',
      resolve: (source, _args, ctx) => `${ctx.reviews.publicUrl.replace(/\/$/, '')}/hooks/reviews/${source.id}/${source.pushSecret}`,
    }),
    ownerName: t.exposeString('ownerName', { nullable: true, description: 'Who answers for these reviews (follow-ups go to them).' }),
    ownerEmail: t.exposeString('ownerEmail', { nullable: true }),
    lastSyncedAt: t.expose('lastSyncedAt', { type: 'DateTime', nullable: true }),
    lastSyncStartedAt: t.expose('lastSyncStartedAt', { type: 'DateTime', nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    lastErrorAt: t.expose('lastErrorAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    reviewCount: t.int({ description: 'Reviews held, removed ones excluded.', resolve: (source, _args, ctx) => ctx.db.review.count({ where: { connectionId: source.id, deletedAt: null } }) }),
  }),
});

builder.queryField('reviewSources', (t) =>
  t.prismaConnection({
    type: 'ReviewConnection',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'reviews' },
    resolve: (query, _root, _args, ctx) => findPage(ctx.db.reviewConnection, query, { orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    totalCount: (_root, _args, ctx) => ctx.db.reviewConnection.count(),
  }),
);

const SyncResultRef = builder.objectRef<SyncOutcome & { sourceId: string }>('ReviewSyncResult').implement({
  description: 'What one sync did. A sync stopped by the platform resumes at the same page next time.',
  fields: (t) => ({
    pages: t.exposeInt('pages'),
    fetched: t.exposeInt('fetched'),
    created: t.exposeInt('created'),
    updated: t.exposeInt('updated', { description: 'Reviews edited on the platform (earlier wording kept as versions) or whose reply changed.' }),
    unchanged: t.exposeInt('unchanged', { description: 'Reviews seen again without change: nothing written.' }),
    complete: t.exposeBoolean('complete', { description: 'False when more pages remain (they follow in the background) or the platform stopped the sync.' }),
    skipped: t.exposeString('skipped', { nullable: true }),
    errorKind: t.string({ nullable: true, resolve: (r) => r.error?.kind ?? null }),
    errorMessage: t.string({ nullable: true, resolve: (r) => r.error?.message ?? null }),
    source: t.prismaField({ type: 'ReviewConnection', resolve: (query, r, _args, ctx) => ctx.db.reviewConnection.findFirstOrThrow({ ...query, where: { id: r.sourceId } }) }),
  }),
});

const ImportReviewsResultRef = builder.objectRef<{ created: number; updated: number; unchanged: number }>('ReviewImportSummary').implement({
  fields: (t) => ({ created: t.exposeInt('created'), updated: t.exposeInt('updated'), unchanged: t.exposeInt('unchanged') }),
});

const ConnectReviewSourceInput = builder.inputType('ConnectReviewSourceInput', {
  fields: (t) => ({
    platformCode: t.string({ required: true, description: 'See reviewPlatforms.' }),
    name: t.string({ required: true }),
    settings: t.field({ type: 'JSONObject', required: true, description: "Validated by the platform's settingsSchema." }),
    ownerName: t.string({ description: 'Who answers for these reviews: low ratings raise follow-ups for them.' }),
    ownerEmail: t.string(),
  }),
});
const UpdateReviewSourceInput = builder.inputType('UpdateReviewSourceInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    settings: t.field({ type: 'JSONObject', description: 'Merged over the current settings: send only what changes.' }),
    enabled: t.boolean(),
    rotatePushSecret: t.boolean({ description: 'A new push URL; the old one stops working at once.' }),
    ownerName: t.string(),
    ownerEmail: t.string(),
  }),
});
const DisconnectReviewSourceInput = builder.inputType('DisconnectReviewSourceInput', { fields: (t) => ({ id: t.id({ required: true }) }) });
const SyncReviewSourceInput = builder.inputType('SyncReviewSourceInput', {
  fields: (t) => ({ id: t.id({ required: true }), maxPages: t.int({ defaultValue: 20, description: 'Pages read within this request (1-100); the rest follows in the background.' }) }),
});
const ImportReviewsInput = builder.inputType('ImportReviewsInput', {
  fields: (t) => ({
    sourceId: t.id({ required: true }),
    csv: t.string({ required: true, description: 'Header row: externalId, rating, publishedAt (required); title, text, authorName, authorEmail, orderReference, language, url.' }),
  }),
});

builder.mutationFields((t) => ({
  connectReviewSource: t.field({
    type: ReviewSourceRef,
    authScopes: { write: 'reviews' },
    description: 'Connects a review platform account; the first sync follows in the background.',
    args: { input: t.arg({ type: ConnectReviewSourceInput, required: true }) },
    errors: mutationErrors('ConnectReviewSource', 'source'),
    resolve: async (_root, { input }, ctx) => {
      const source = await connectReviewSourceOrThrow(ctx.db, ctx.registry, input);
      ctx.reviews.requestSync(source.id);
      return source;
    },
  }),
  updateReviewSource: t.field({
    type: ReviewSourceRef,
    authScopes: { write: 'reviews' },
    args: { input: t.arg({ type: UpdateReviewSourceInput, required: true }) },
    errors: mutationErrors('UpdateReviewSource', 'source'),
    resolve: async (_root, { input: { id, ...patch } }, ctx) => {
      const source = await updateReviewSourceOrThrow(ctx.db, ctx.registry, idOfOrThrow(String(id), 'ReviewSource'), patch);
      forgetPushSource(ctx.reviews, source.id);
      return source;
    },
  }),
  disconnectReviewSource: t.field({
    type: ReviewSourceRef,
    authScopes: { write: 'reviews' },
    description: 'Removes the source with its reviews and review invitations.',
    args: { input: t.arg({ type: DisconnectReviewSourceInput, required: true }) },
    errors: mutationErrors('DisconnectReviewSource', 'source'),
    resolve: async (_root, { input }, ctx) => {
      const source = await disconnectReviewSourceOrThrow(ctx.db, idOfOrThrow(String(input.id), 'ReviewSource'));
      forgetPushSource(ctx.reviews, source.id);
      return source;
    },
  }),
  syncReviewSource: t.field({
    type: SyncResultRef,
    authScopes: { write: 'reviews' },
    description: 'Reads new and changed reviews now, up to maxPages pages; more pages follow in the background.',
    args: { input: t.arg({ type: SyncReviewSourceInput, required: true }) },
    errors: mutationErrors('SyncReviewSource', 'result', [...WRITE_ERRORS, UnknownContributionError]),
    resolve: async (_root, { input }, ctx) => {
      const id = idOfOrThrow(String(input.id), 'ReviewSource');
      const maxPages = Math.min(100, Math.max(1, input.maxPages ?? 20));
      const outcome = await syncReviewSource(ctx.reviews, ctx.viewer.workspaceId, id, { maxPages });
      if (!outcome.complete && !outcome.error && !outcome.skipped) ctx.reviews.requestSync(id);
      return { ...outcome, sourceId: id };
    },
  }),
  importReviews: t.field({
    type: ImportReviewsResultRef,
    authScopes: { write: 'reviews' },
    description: 'Imports up to 10,000 reviews from CSV into a source: all or nothing, idempotent by externalId.',
    args: { input: t.arg({ type: ImportReviewsInput, required: true }) },
    errors: mutationErrors('ImportReviews', 'result', [...WRITE_ERRORS, BulkImportRejectedError]),
    resolve: (_root, { input }, ctx) => importReviewsCsvOrThrow(ctx.db, ctx.reviews, idOfOrThrow(String(input.sourceId), 'ReviewSource'), input.csv),
  }),
}));
