import { z } from 'zod';
import type { ScopedPrisma } from '../../db/workspace-scope.js';
import { BulkImportRejectedError, NotFoundError, ValidationError, type RecordIssue } from '../errors.js';
import { ingestReviews, type IngestCounts } from './review-ingest.js';
import type { ReviewRuntime } from './review-runtime.js';
import { parseCsvRecords } from '../imports/csv-records.js';
import type { PlatformReview, RatingScale } from '../plugin-sdk/index.js';

export const MAX_CSV_REVIEWS = 10_000;

const rowSchema = z.object({
  externalId: z.string().trim().min(1, 'is required').max(200),
  rating: z.coerce.number({ message: 'must be a number' }),
  title: z.string().optional(),
  text: z.string().optional(),
  authorName: z.string().optional(),
  authorEmail: z.email({ message: 'must be an email address' }).optional(),
  orderReference: z.string().optional(),
  language: z
    .string()
    .regex(/^[a-zA-Z]{2,3}([-_][a-zA-Z]{2})?$/, 'must be a language code such as nl or en-GB')
    .optional(),
  publishedAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset' }),
  url: z.url({ message: 'must be a URL' }).optional(),
});

/**
 * Reads reviews from CSV (header row: externalId, rating, publishedAt required; title, text,
 * authorName, authorEmail, orderReference, language, url optional). Every bad row is reported with
 * its line and field, and then nothing is imported.
 */
export function reviewsFromCsv(content: string, scale: RatingScale): PlatformReview[] {
  let parsedCsv: ReturnType<typeof parseCsvRecords>;
  try {
    parsedCsv = parseCsvRecords(content);
  } catch (error) {
    throw new ValidationError([{ path: ['input', 'csv'], message: `not readable as CSV: ${(error as Error).message}` }]);
  }
  const { records, lines } = parsedCsv;
  if (records.length > MAX_CSV_REVIEWS) throw new ValidationError([{ path: ['input', 'csv'], message: `at most ${MAX_CSV_REVIEWS} reviews per import (got ${records.length})` }]);
  const issues: RecordIssue[] = [];
  const reviews: PlatformReview[] = [];
  records.forEach((record, index) => {
    const line = lines[index]!;
    const parsed = rowSchema.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push({ collection: 'reviews', index, line, field: issue.path.join('.') || '(row)', message: issue.message });
      return;
    }
    const row = parsed.data;
    if (row.rating < scale.min || row.rating > scale.max) {
      issues.push({ collection: 'reviews', index, line, field: 'rating', message: `must be between ${scale.min} and ${scale.max}` });
      return;
    }
    reviews.push({
      externalId: row.externalId,
      rating: row.rating,
      scale,
      title: row.title ?? null,
      text: row.text ?? null,
      authorName: row.authorName ?? null,
      authorEmail: row.authorEmail ?? null,
      orderReference: row.orderReference ?? null,
      language: row.language ?? null,
      publishedAt: new Date(row.publishedAt),
      updatedAt: null,
      url: row.url ?? null,
      reply: null,
    });
  });
  if (issues.length > 0) throw new BulkImportRejectedError(issues);
  return reviews;
}

/** Imports a CSV file into a source in one transaction, on the source's scale (a generic source's own, else its platform's). */
export async function importReviewsCsvOrThrow(db: ScopedPrisma, rt: ReviewRuntime, connectionId: string, csv: string): Promise<IngestCounts> {
  const source = await db.reviewConnection.findFirst({ where: { id: connectionId } });
  if (!source) throw new NotFoundError('ReviewSource', connectionId);
  const { platform, call } = rt.calls.forConnection(source);
  const scale = (call.settings as { ratingScale?: { min: number; max: number } }).ratingScale ?? platform.ratingScale;
  const reviews = reviewsFromCsv(csv, scale);
  const target = { workspaceId: source.workspaceId, connectionId, platformCode: platform.code, scale };
  return rt.sql.transaction((conn) => ingestReviews(conn, target, reviews, rt.clock.now()));
}
