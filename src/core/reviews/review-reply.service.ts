import type { ScopedPrisma } from '../../db/workspace-scope.js';
import { findOrThrow } from '../commerce/references.js';
import { PlatformFailedError, ValidationError } from '../errors.js';
import { PlatformError } from '../plugin-sdk/index.js';
import { parseOrThrow, text } from '../validation.js';
import { globalId } from '../events/global-id.js';
import { recordEvents } from '../events/record-events.js';
import { inWriteTransaction } from '../../db/write-transaction.js';
import type { ReviewRuntime } from './review-runtime.js';

const replyText = text(5000);

/**
 * Saves our reply to a review and, when asked, publishes it through the platform. The state is
 * recorded before and after the call: PUBLISHING while it runs, then PUBLISHED (with the first
 * publication time kept as the reply time) or FAILED with the platform's reason. A draft of a
 * change to a published reply is kept apart (`replyDraft`) until it is published. Publishing again
 * after a failure is safe: platforms replace an existing reply.
 */
export async function replyToReviewOrThrow(db: ScopedPrisma, rt: ReviewRuntime, input: { reviewId: string; text: string; publish: boolean; author: string; memberId?: string | null }) {
  const text = parseOrThrow(replyText, input.text, ['input', 'text']);
  const review = await findOrThrow(db.review.findFirst({ where: { id: input.reviewId }, include: { connection: true } }), 'Review', input.reviewId);
  if (review.deletedAt) throw new ValidationError([{ path: ['input', 'reviewId'], message: 'the review was removed from the platform' }]);
  const now = rt.clock.now();
  const member = input.memberId ? { replyMemberId: input.memberId } : {};
  if (!input.publish) {
    // A draft over a published reply leaves the published one (and the review's answered state) alone.
    if (review.replyStatus === 'PUBLISHED') return db.review.update({ where: { id: review.id }, data: { replyDraft: text, replyUpdatedAt: now, ...member } as never });
    return db.review.update({ where: { id: review.id }, data: { replyText: text, replyStatus: 'DRAFT', replyAuthor: input.author, replyError: null, replyUpdatedAt: now, ...member } as never });
  }
  const { platform, call } = rt.calls.forConnection(review.connection);
  if (!platform.publishReply) throw new ValidationError([{ path: ['input', 'reviewId'], message: `${platform.displayName} does not accept replies through its API` }]);
  await db.review.update({ where: { id: review.id }, data: { replyText: text, replyStatus: 'PUBLISHING', replyAuthor: input.author, replyUpdatedAt: now, ...member } as never });
  try {
    const { publishedAt } = await platform.publishReply(call, review.externalId, text);
    const repliedAt = review.repliedAt ?? publishedAt;
    const replyHours = review.replyHours ?? Math.max(0, (repliedAt.getTime() - review.publishedAt.getTime()) / 3_600_000);
    return await inWriteTransaction(db, async ({ prisma, conn }) => {
      const updated = await prisma.review.update({
        where: { id: review.id },
        data: { replyStatus: 'PUBLISHED', replyDraft: null, replyError: null, replyUpdatedAt: publishedAt, repliedAt, replyHours },
      });
      await recordEvents(conn, [
        {
          workspaceId: review.workspaceId,
          type: 'review.replied',
          subjectId: globalId('Review', review.id),
          data: { reviewId: globalId('Review', review.id), platformCode: review.platformCode, text, author: input.author, replyHours },
          occurredAt: rt.clock.now(),
        },
      ]);
      return updated;
    });
  } catch (error) {
    const message = error instanceof PlatformError ? error.message : 'Publishing failed unexpectedly';
    await db.review.update({ where: { id: review.id }, data: { replyStatus: 'FAILED', replyError: message } });
    if (error instanceof PlatformError) throw new PlatformFailedError(platform.code, error.kind, `${platform.displayName}: ${error.message}`);
    throw error;
  }
}

/** Removes our published reply from the platform (the reply time of the first reply stays recorded). */
export async function deleteReviewReplyOrThrow(db: ScopedPrisma, rt: ReviewRuntime, reviewId: string) {
  const review = await findOrThrow(db.review.findFirst({ where: { id: reviewId }, include: { connection: true } }), 'Review', reviewId);
  if (review.replyStatus === 'NONE') return review;
  if (review.replyStatus === 'PUBLISHED' || review.replyStatus === 'FAILED') {
    const { platform, call } = rt.calls.forConnection(review.connection);
    if (!platform.deleteReply) throw new ValidationError([{ path: ['input', 'reviewId'], message: `${platform.displayName} does not delete replies through its API` }]);
    try {
      await platform.deleteReply(call, review.externalId);
    } catch (error) {
      // Already gone on the platform: the goal is reached.
      if (!(error instanceof PlatformError) || error.kind !== 'not-found') {
        if (error instanceof PlatformError) throw new PlatformFailedError(platform.code, error.kind, `${platform.displayName}: ${error.message}`);
        throw error;
      }
    }
  }
  return db.review.update({ where: { id: review.id }, data: { replyText: null, replyDraft: null, replyStatus: 'NONE', replyError: null, replyUpdatedAt: rt.clock.now() } });
}
