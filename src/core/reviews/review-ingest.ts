import { createHash } from 'node:crypto';
import type { SqlConnection } from '../../db/sql-runner.js';
import type { PlatformReview, RatingScale } from '../plugin-sdk/index.js';
import { globalId } from '../events/global-id.js';
import { recordEvents } from '../events/record-events.js';
import { ingestReviewBatch, markDeletedByExternalId } from './reviews.queries.js';
import { detectLanguage, normaliseLanguage } from './review-language.js';

export interface IngestTarget {
  workspaceId: string;
  connectionId: string;
  platformCode: string;
  /** The platform's scale, used when a review does not carry its own. */
  scale: RatingScale;
}

export interface IngestCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** One review as a row: language settled, hashed, on its scale. */
export function reviewRow(review: PlatformReview, scale: RatingScale) {
  const ownScale = review.scale ?? scale;
  const platformLanguage = normaliseLanguage(review.language);
  const language = platformLanguage ?? detectLanguage([review.title, review.text].filter(Boolean).join('. ') || null);
  const fields = {
    externalId: review.externalId,
    rating: review.rating,
    ratingMin: ownScale.min,
    ratingMax: ownScale.max,
    title: review.title,
    text: review.text,
    authorName: review.authorName,
    authorEmail: review.authorEmail?.trim().toLowerCase() || null,
    orderReference: review.orderReference,
    language,
    languageSource: platformLanguage ? 'PLATFORM' : language ? 'DETECTED' : null,
    url: review.url,
    publishedAt: review.publishedAt.toISOString(),
    sourceUpdatedAt: review.updatedAt?.toISOString() ?? null,
    deleted: review.deleted === true,
    replyText: review.reply?.text ?? null,
    replyPublishedAt: review.reply?.publishedAt.toISOString() ?? null,
  };
  const contentHash = createHash('sha256').update(JSON.stringify(fields)).digest('base64url');
  return { ...fields, contentHash };
}

/**
 * Writes a batch of reviews in one statement, idempotent by connection and external id:
 * - a new review is inserted, linked to a customer by email or order reference;
 * - a changed one is updated, and when its rating, title or text changed the previous wording is
 *   kept as a ReviewVersion and the version number goes up;
 * - an unchanged one (same content hash) is left out before the write, so it is neither written
 *   nor locked.
 * A reply seen on the platform is taken over unless we hold a draft or a failed publish of our own.
 * One statement is atomic on its own; the caller's transaction, if any, holds it with the rest.
 *
 * The existing row of each input is read by a LATERAL lookup with LIMIT 1 (the unique
 * (connectionId, externalId) index holds at most one): a nested loop over that index whatever the
 * table's statistics say. Matching the whole batch with `= ANY(...)` instead lets a plan made on a
 * young, unanalysed table (every first import) scan the connection's rows for each batch.
 */
export async function ingestReviews(conn: SqlConnection, target: IngestTarget, reviews: readonly PlatformReview[], now: Date): Promise<IngestCounts> {
  const outcomes = await ingestReviewOutcomes(conn, target, reviews, now);
  const created = [...outcomes.values()].filter((outcome) => outcome === 'created').length;
  return { created, updated: outcomes.size - created, unchanged: new Set(reviews.map((review) => review.externalId)).size - outcomes.size };
}

/** The same, answering what happened to each review written, by external id (unchanged ones are absent). */
export async function ingestReviewOutcomes(conn: SqlConnection, target: IngestTarget, reviews: readonly PlatformReview[], now: Date): Promise<Map<string, 'created' | 'updated'>> {
  if (reviews.length === 0) return new Map();
  // One row per external id (the last one wins): ON CONFLICT cannot touch a row twice.
  const all = [...new Map(reviews.map((review) => [review.externalId, reviewRow(review, target.scale)])).values()];
  const written = await ingestReviewBatch(conn, { input: JSON.stringify(all), connectionId: target.connectionId, workspaceId: target.workspaceId, platformCode: target.platformCode, now });
  return new Map(written.map((row) => [row.externalId, row.inserted ? ('created' as const) : ('updated' as const)]));
}

/** Marks reviews the platform removed; they stay for history and metrics exclude them. */
export async function markReviewsDeleted(conn: SqlConnection, target: IngestTarget, externalIds: readonly string[], now: Date): Promise<number> {
  if (externalIds.length === 0) return 0;
  const rows = await markDeletedByExternalId(conn, { workspaceId: target.workspaceId, connectionId: target.connectionId, externalIds: [...externalIds], now });
  await recordEvents(
    conn,
    rows.map((row) => ({
      workspaceId: target.workspaceId,
      type: 'review.updated' as const,
      subjectId: globalId('Review', row.id),
      data: { reviewId: globalId('Review', row.id), sourceId: globalId('ReviewSource', target.connectionId), platformCode: target.platformCode, externalId: row.externalId, deleted: true },
      occurredAt: now,
    })),
  );
  return rows.length;
}
