import { createHash } from 'node:crypto';
import type { SqlConnection } from '../../db/sql-runner.js';
import type { PlatformReview, RatingScale } from '../plugin-sdk/index.js';
import { globalId } from '../events/global-id.js';
import { recordEvents, OUTBOX_INSERT } from '../events/record-events.js';
import { reviewFollowUpCtes } from '../follow-ups/raise-follow-ups.js';
import { globalIdSql } from '../events/global-id.js';
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

/** The columns of one input row, as `reviewRow` builds them. */
const INPUT_COLUMNS = `"externalId" text, rating float8, "ratingMin" float8, "ratingMax" float8, title text, text text,
            "authorName" text, "authorEmail" text, "orderReference" text, language text, "languageSource" text, url text, "publishedAt" timestamptz,
            "sourceUpdatedAt" timestamptz, deleted boolean, "replyText" text, "replyPublishedAt" timestamptz, "contentHash" text`;

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
  const written = await conn.query<{ externalId: string; inserted: boolean }>(
    `WITH input AS (
       SELECT i.*, r.id AS "existingId", r.version AS "oldVersion", r.rating AS "oldRating", r.title AS "oldTitle", r.text AS "oldText", r."sourceUpdatedAt" AS "oldSourceUpdatedAt"
         FROM jsonb_to_recordset($1::jsonb) AS i(${INPUT_COLUMNS})
         LEFT JOIN LATERAL (
           SELECT r.id, r.version, r.rating, r.title, r.text, r."sourceUpdatedAt", r."contentHash" FROM "Review" r
            WHERE r."connectionId" = $2::uuid AND r."externalId" = i."externalId" AND r."workspaceId" = $3::uuid
            LIMIT 1) r ON true
        WHERE r."contentHash" IS DISTINCT FROM i."contentHash"),
     versions AS (
       -- The statement's snapshot still holds the previous wording: keep it before the update below replaces it.
       INSERT INTO "ReviewVersion" ("workspaceId", "reviewId", version, rating, title, text, "sourceUpdatedAt", "replacedAt")
       SELECT $3::uuid, i."existingId", i."oldVersion", i."oldRating", i."oldTitle", i."oldText", i."oldSourceUpdatedAt", $5
         FROM input i
        WHERE i."existingId" IS NOT NULL AND (i."oldRating", i."oldTitle", i."oldText") IS DISTINCT FROM (i.rating, i.title, i.text)
       ON CONFLICT ("reviewId", version) DO NOTHING),
     written AS (
     INSERT INTO "Review" AS r ("workspaceId", "connectionId", "platformCode", "externalId", rating, "ratingMin", "ratingMax", "ratingNormalised",
            title, text, "authorName", "authorEmail", "orderReference", language, "languageSource", url, "publishedAt", "sourceUpdatedAt",
            "deletedAt", "customerId", "contentHash", "replyText", "replyStatus", "replyUpdatedAt", "repliedAt", "replyHours", "createdAt", "updatedAt")
     SELECT $3::uuid, $2::uuid, $4, i."externalId", i.rating, i."ratingMin", i."ratingMax", (i.rating - i."ratingMin") / (i."ratingMax" - i."ratingMin"),
            i.title, i.text, i."authorName", i."authorEmail", i."orderReference", i.language, i."languageSource", i.url, i."publishedAt", i."sourceUpdatedAt",
            CASE WHEN i.deleted THEN $5::timestamptz END,
            COALESCE(
              CASE WHEN i."authorEmail" IS NOT NULL THEN (SELECT c.id FROM "Customer" c WHERE c."workspaceId" = $3::uuid AND lower(c.email) = i."authorEmail" ORDER BY c."createdAt" LIMIT 1) END,
              CASE WHEN i."orderReference" IS NOT NULL THEN (SELECT o."customerId" FROM "Order" o WHERE o."workspaceId" = $3::uuid AND o."externalId" = i."orderReference") END),
            i."contentHash", i."replyText",
            (CASE WHEN i."replyText" IS NOT NULL THEN 'PUBLISHED' ELSE 'NONE' END)::"ReplyStatus",
            i."replyPublishedAt", i."replyPublishedAt",
            CASE WHEN i."replyPublishedAt" IS NOT NULL THEN greatest(0, extract(epoch FROM i."replyPublishedAt" - i."publishedAt") / 3600) END,
            $5, $5
       FROM input i
     ON CONFLICT ("connectionId", "externalId") DO UPDATE SET
            rating = EXCLUDED.rating, "ratingMin" = EXCLUDED."ratingMin", "ratingMax" = EXCLUDED."ratingMax", "ratingNormalised" = EXCLUDED."ratingNormalised",
            title = EXCLUDED.title, text = EXCLUDED.text, "authorName" = EXCLUDED."authorName", "authorEmail" = EXCLUDED."authorEmail",
            "orderReference" = EXCLUDED."orderReference", language = EXCLUDED.language, "languageSource" = EXCLUDED."languageSource", url = EXCLUDED.url,
            "publishedAt" = EXCLUDED."publishedAt", "sourceUpdatedAt" = EXCLUDED."sourceUpdatedAt",
            "deletedAt" = CASE WHEN EXCLUDED."deletedAt" IS NULL THEN NULL ELSE COALESCE(r."deletedAt", EXCLUDED."deletedAt") END,
            "customerId" = COALESCE(r."customerId", EXCLUDED."customerId"),
            "contentHash" = EXCLUDED."contentHash",
            version = r.version + CASE WHEN (r.rating, r.title, r.text) IS DISTINCT FROM (EXCLUDED.rating, EXCLUDED.title, EXCLUDED.text) THEN 1 ELSE 0 END,
            "replyText" = CASE WHEN r."replyStatus" IN ('DRAFT', 'PUBLISHING', 'FAILED') THEN r."replyText" ELSE EXCLUDED."replyText" END,
            "replyStatus" = CASE WHEN r."replyStatus" IN ('DRAFT', 'PUBLISHING', 'FAILED') THEN r."replyStatus" ELSE EXCLUDED."replyStatus" END,
            "replyUpdatedAt" = CASE WHEN r."replyStatus" IN ('DRAFT', 'PUBLISHING', 'FAILED') THEN r."replyUpdatedAt" ELSE EXCLUDED."replyUpdatedAt" END,
            "repliedAt" = COALESCE(r."repliedAt", EXCLUDED."repliedAt"),
            "replyHours" = COALESCE(r."replyHours", EXCLUDED."replyHours"),
            "updatedAt" = EXCLUDED."updatedAt"
      WHERE r."contentHash" <> EXCLUDED."contentHash" AND r."workspaceId" = EXCLUDED."workspaceId"
     RETURNING (xmax = 0) AS inserted, id, "workspaceId", "connectionId", "externalId", rating, "ratingNormalised", "customerId", "deletedAt", title, text),
     review_events AS (
       ${OUTBOX_INSERT}
       SELECT w."workspaceId", CASE WHEN w.inserted THEN 'review.created' ELSE 'review.updated' END, ${globalIdSql('Review', 'w.id')},
              jsonb_build_object('reviewId', ${globalIdSql('Review', 'w.id')}, 'sourceId', ${globalIdSql('ReviewSource', 'w."connectionId"')}, 'platformCode', $4::text,
                                 'externalId', w."externalId", 'rating', w.rating, 'stars', 1 + w."ratingNormalised" * 4,
                                 'customerId', CASE WHEN w."customerId" IS NOT NULL THEN ${globalIdSql('Customer', 'w."customerId"')} END, 'deleted', w."deletedAt" IS NOT NULL), $5
         FROM written w
       RETURNING 1),
     ${reviewFollowUpCtes('$5', 'review_events')}
     SELECT "externalId", inserted FROM written`,
    [JSON.stringify(all), target.connectionId, target.workspaceId, target.platformCode, now],
  );
  return new Map(written.map((row) => [row.externalId, row.inserted ? ('created' as const) : ('updated' as const)]));
}

/** Marks reviews the platform removed; they stay for history and metrics exclude them. */
export async function markReviewsDeleted(conn: SqlConnection, target: IngestTarget, externalIds: readonly string[], now: Date): Promise<number> {
  if (externalIds.length === 0) return 0;
  const rows = await conn.query<{ id: string; externalId: string }>(
    // Found one by one on the unique index, as in ingestReviews.
    `UPDATE "Review" SET "deletedAt" = $4, "updatedAt" = $4
      WHERE "workspaceId" = $1::uuid AND "deletedAt" IS NULL
        AND id IN (SELECT r.id FROM unnest($3::text[]) AS i("externalId")
                   CROSS JOIN LATERAL (SELECT r.id FROM "Review" r WHERE r."connectionId" = $2::uuid AND r."externalId" = i."externalId" AND r."workspaceId" = $1::uuid LIMIT 1) r)
     RETURNING id, "externalId"`,
    [target.workspaceId, target.connectionId, [...externalIds], now],
  );
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
