import { sql, type InferResult } from 'kysely';
import { db, preparedStatement } from '../../db/kysely.js';
import type { ReviewConnectionStatus, ReviewMoment, SkipReason } from '../../generated/kysely/database.js';
import { globalIdSql } from '../events/global-id.js';
import { OUTBOX_INSERT } from '../events/record-events.js';
import { reviewFollowUpCtes } from '../follow-ups/raise-follow-ups.js';
import { and, bucketOf, dayStart, type Condition } from '../metrics/metrics.queries.js';
import { isPromoterSql } from '../metrics/score-groups.js';
import type { TimeBucket } from '../metrics/queries/metrics-filter.js';
import { brandJsonSql, type BrandColumns } from '../workspaces/branding.js';

/**
 * The review sources' bookkeeping statements, built with the typed seam (src/db/kysely.ts) and run
 * with `run(conn, ...)` on the caller's session or transaction, and the ingest (review-ingest.ts).
 */

/** The columns a sync or a push needs to call the source's platform. */
const CONNECTION_COLUMNS = ['id', 'workspaceId', 'platformCode', 'settings', 'updatedAt'] as const;

/**
 * Claims a source for one sync: it must be enabled and not syncing, or its sync must have stopped
 * reporting before `staleBefore` (taken to have died). Returns the source, or nothing when not claimed.
 */
export const claimSourceForSync = (connectionId: string, workspaceId: string, now: Date, staleBefore: Date) =>
  db
    .updateTable('ReviewConnection')
    .set({ status: 'SYNCING', lastSyncStartedAt: now })
    .where('id', '=', connectionId)
    .where('workspaceId', '=', workspaceId)
    .where('status', '<>', 'DISABLED')
    .where((eb) => eb.or([eb('status', '<>', 'SYNCING'), eb('lastSyncStartedAt', '<', staleBefore)]))
    .returning([...CONNECTION_COLUMNS, 'syncCursor']);

/** Moves the source's resume point past a written page (in that page's transaction) and reports the sync alive. */
export const advanceSyncCursor = (connectionId: string, workspaceId: string, cursor: string | null, now: Date) =>
  db.updateTable('ReviewConnection').set({ syncCursor: cursor, lastSyncStartedAt: now }).where('id', '=', connectionId).where('workspaceId', '=', workspaceId);

/** Ends a sync: the source's new status, with the error that stopped it or the time it completed. */
export const finishSync = (connectionId: string, workspaceId: string, status: ReviewConnectionStatus, error: string | null, now: Date) =>
  db
    .updateTable('ReviewConnection')
    .set(error === null ? { status, lastError: null, lastSyncedAt: now } : { status, lastError: error, lastErrorAt: now })
    .where('id', '=', connectionId)
    .where('workspaceId', '=', workspaceId);

/** The sources pushes name, with what verifies a push (any workspace: the secret in the URL decides). */
const sourcesQuery = (connectionIds: readonly string[]) =>
  db
    .selectFrom('ReviewConnection')
    .select([...CONNECTION_COLUMNS, 'status', 'pushSecret'])
    .where('id', '=', sql<string>`ANY (${connectionIds}::uuid[])`);

/** Compiled once (pushes look their sources up all day); the ids go in as one array parameter. */
export const sourcesForPush = preparedStatement<{ connectionIds: readonly string[] }, InferResult<ReturnType<typeof sourcesQuery>>[number]>(['connectionIds'], (p) => sourcesQuery(p.connectionIds));

/** The customer locked before the contact-pressure count, so two concurrent invitations cannot both take the last slot. */
export const lockCustomerForInvitation = (workspaceId: string, customerId: string) =>
  db.selectFrom('Customer').select('id').where('id', '=', customerId).where('workspaceId', '=', workspaceId).forUpdate();

/**
 * What inviting a customer to review needs: address, name, language, consents, the workspace's
 * brand and contact cap, and how many survey and review invitations count against the cap now.
 */
export const reviewInvitationFacts = (workspaceId: string, customerId: string, capStatuses: readonly string[], now: Date) =>
  db
    .selectFrom('Customer as c')
    .innerJoin('Workspace as w', 'w.id', 'c.workspaceId')
    .select((eb) => [
      'c.email',
      'c.firstName',
      'c.infix',
      'c.lastName',
      'c.locale',
      'c.externalId',
      'c.unsubscribedAt',
      'c.consentSurveys',
      'c.consentEmail',
      'c.consentSms',
      'c.consentPhone',
      'w.contactCap',
      sql.raw<BrandColumns>(brandJsonSql('w')).as('brand'),
      sql<number>`${eb
        .selectFrom('Invitation as x')
        .select(sql<number>`count(*)::int`.as('n'))
        // By customer alone (the composite foreign key keeps a customer's invitations in its
        // workspace): with the workspace too, a generic plan may read the workspace's invitations.
        .whereRef('x.customerId', '=', 'c.id')
        .where(sql<boolean>`x.status::text = ANY (${[...capStatuses]}::text[])`)
        .where('x.sentAt', '>=', sql<Date>`${now}::timestamptz - make_interval(days => w."contactPeriodDays")`)}
        + ${eb
          .selectFrom('ReviewInvitation as y')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('y.customerId', '=', 'c.id')
          .where('y.status', '=', 'SENT')
          .where('y.sentAt', '>=', sql<Date>`${now}::timestamptz - make_interval(days => w."contactPeriodDays")`)}`.as('contacted'),
    ])
    .where('c.id', '=', customerId)
    .where('c.workspaceId', '=', workspaceId);

/** The invitation with its cap slot taken (SENT) or its skip reason; nothing when this cause already has one. */
export const reserveReviewInvitation = (row: {
  workspaceId: string;
  connectionId: string;
  customerId: string;
  ruleId: string | null;
  moment: ReviewMoment;
  sourceKey: string;
  skipReason: SkipReason | null;
  now: Date;
}) =>
  db
    .insertInto('ReviewInvitation')
    .values({
      workspaceId: row.workspaceId,
      connectionId: row.connectionId,
      customerId: row.customerId,
      ruleId: row.ruleId,
      moment: row.moment,
      sourceKey: row.sourceKey,
      status: row.skipReason ? 'SKIPPED' : 'SENT',
      skipReason: row.skipReason,
      sentAt: row.skipReason ? null : row.now,
      createdAt: row.now,
    })
    .onConflict((conflict) => conflict.columns(['connectionId', 'customerId', 'sourceKey']).doNothing())
    .returning('id');

/** The customer's latest NPS answer made them a promoter (review gating's audience). */
const promoterNow = (workspaceId: string) =>
  sql<boolean>`EXISTS (SELECT 1 FROM (
     SELECT a.score FROM "Answer" a JOIN "Question" q ON q.id = a."questionId" JOIN "SurveyResponse" r ON r.id = a."responseId"
      WHERE r."workspaceId" = ${workspaceId}::uuid AND r."customerId" = m."customerId" AND q.type = 'NPS' AND a.score IS NOT NULL AND NOT a.skipped
      ORDER BY a."answeredAt" DESC LIMIT 1) latest WHERE ${sql.raw(isPromoterSql('latest.score'))})`;

/** The moments of one rule in a window (after `from`, up to `until`): (customer, cause, time). */
function moments(rule: { workspaceId: string; moment: ReviewMoment; touchpointType: string | null }, from: Date, until: Date) {
  const { workspaceId } = rule;
  switch (rule.moment) {
    case 'TOUCHPOINT':
      return sql<{ customerId: string; sourceKey: string; at: Date }>`SELECT t."customerId", 'touchpoint:' || t.id AS "sourceKey", t."occurredAt" AS at FROM "Touchpoint" t
               WHERE t."workspaceId" = ${workspaceId}::uuid AND t.type = ${rule.touchpointType} AND t."occurredAt" > ${from} AND t."occurredAt" <= ${until}`;
    case 'REPEAT_ORDER':
      return sql<{ customerId: string; sourceKey: string; at: Date }>`SELECT o."customerId", 'order:' || o.id AS "sourceKey", o."orderedAt" AS at FROM "Order" o
               WHERE o."workspaceId" = ${workspaceId}::uuid AND o."orderedAt" > ${from} AND o."orderedAt" <= ${until}
                 AND EXISTS (SELECT 1 FROM "Order" p WHERE p."workspaceId" = ${workspaceId}::uuid AND p."customerId" = o."customerId" AND p."orderedAt" < o."orderedAt")`;
    case 'PROMOTER_SCORE':
      return sql<{ customerId: string; sourceKey: string; at: Date }>`SELECT r."customerId", 'response:' || r.id AS "sourceKey", r."completedAt" AS at FROM "SurveyResponse" r
               WHERE r."workspaceId" = ${workspaceId}::uuid AND r."customerId" IS NOT NULL AND r."completedAt" > ${from} AND r."completedAt" <= ${until}
                 AND EXISTS (SELECT 1 FROM "Answer" a JOIN "Question" q ON q.id = a."questionId"
                              WHERE a."responseId" = r.id AND q.type = 'NPS' AND ${sql.raw(isPromoterSql('a.score'))} AND NOT a.skipped)`;
    default:
      throw new Error(`no moments for ${rule.moment}`);
  }
}

/** One moment per customer (their earliest in the window), at most 10,000 a run, for the rule's audience. */
export const dueReviewMoments = (rule: { workspaceId: string; moment: ReviewMoment; touchpointType: string | null; audience: 'ALL' | 'PROMOTERS_ONLY' }, from: Date, until: Date) =>
  sql<{ customerId: string; sourceKey: string }>`SELECT DISTINCT ON (m."customerId") m."customerId", m."sourceKey" FROM (${moments(rule, from, until)}) m
    ${rule.audience === 'PROMOTERS_ONLY' ? sql`WHERE ${promoterNow(rule.workspaceId)}` : sql``}
    ORDER BY m."customerId", m.at LIMIT 10000`;

export interface ReviewMetricsFilter {
  workspaceId: string;
  /** Reviews published on these calendar days in the workspace time zone: from inclusive, to exclusive. */
  period: { from: string; to: string };
  timeZone: string;
  platformCodes?: readonly string[] | null;
  connectionIds?: readonly string[] | null;
  /** Conditions on the linked customer (alias c); when there are any, unlinked reviews do not count. */
  customerConditions?: Condition[];
}

/** All reviews together, per platform, or per time bucket of the publication date. */
export type ReviewGrouping = 'NONE' | 'PLATFORM' | { bucket: TimeBucket };

/**
 * Review counts for the ratings (removed reviews excluded), overall, per platform or per bucket of
 * the publication date: the normalised sum, the count per star (half up), replies and reply time.
 */
export function reviewRatingCounts(filter: ReviewMetricsFilter, grouping: ReviewGrouping) {
  const conditions = [
    sql`r."workspaceId" = ${filter.workspaceId}::uuid`,
    sql`r."deletedAt" IS NULL`,
    sql`r."publishedAt" >= ${dayStart(filter.period.from, filter.timeZone)}`,
    sql`r."publishedAt" < ${dayStart(filter.period.to, filter.timeZone)}`,
    ...(filter.platformCodes ? [sql`r."platformCode" = ANY (${filter.platformCodes}::text[])`] : []),
    ...(filter.connectionIds ? [sql`r."connectionId" = ANY (${filter.connectionIds}::uuid[])`] : []),
    // A filter on who the customer is (attributes, segments, a segment's own metrics) counts only the
    // reviews linked to such customers.
    ...(filter.customerConditions?.length ? [sql`EXISTS (SELECT 1 FROM "Customer" c WHERE c.id = r."customerId" AND ${and(filter.customerConditions)})`] : []),
  ];
  const byPlatform = grouping === 'PLATFORM';
  const byBucket = typeof grouping === 'object';
  const stars = (star: number) => sql`count(*) FILTER (WHERE floor(1 + r."ratingNormalised" * 4 + 0.5) = ${sql.lit(star)})::int`;
  return sql<{
    platformCode: string | null;
    bucket: string | null;
    count: number;
    sumNormalised: number;
    s1: number;
    s2: number;
    s3: number;
    s4: number;
    s5: number;
    answered: number;
    medianReplyHours: number | null;
  }>`
    SELECT ${byPlatform ? sql`r."platformCode"` : sql`NULL::text AS "platformCode"`}, ${byBucket ? bucketOf(grouping.bucket, sql`r."publishedAt"`, filter.timeZone) : sql`NULL::text`} AS bucket,
           count(*)::int AS count, COALESCE(sum(r."ratingNormalised"), 0)::float8 AS "sumNormalised",
           ${stars(1)} AS s1, ${stars(2)} AS s2, ${stars(3)} AS s3, ${stars(4)} AS s4, ${stars(5)} AS s5,
           count(*) FILTER (WHERE r."replyStatus" = 'PUBLISHED')::int AS answered,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY r."replyHours") FILTER (WHERE r."replyStatus" = 'PUBLISHED'))::float8 AS "medianReplyHours"
      FROM "Review" r
     WHERE ${and(conditions)}
     ${byPlatform ? sql`GROUP BY r."platformCode" ORDER BY r."platformCode"` : byBucket ? sql`GROUP BY 2 ORDER BY 2` : sql``}`;
}

/** The columns of one input row, as `reviewRow` builds them. */
const INPUT_COLUMNS = sql.raw(`"externalId" text, rating float8, "ratingMin" float8, "ratingMax" float8, title text, text text,
            "authorName" text, "authorEmail" text, "orderReference" text, language text, "languageSource" text, url text, "publishedAt" timestamptz,
            "sourceUpdatedAt" timestamptz, deleted boolean, "replyText" text, "replyPublishedAt" timestamptz, "contentHash" text`);

/** Writes a batch of reviews with their versions, events and follow-ups in one statement (see ingestReviewOutcomes). */
export const ingestReviewBatch = preparedStatement<{ input: string; connectionId: string; workspaceId: string; platformCode: string; now: Date }, { externalId: string; inserted: boolean }>(
  ['input', 'connectionId', 'workspaceId', 'platformCode', 'now'],
  (p) => sql`WITH input AS (
       SELECT i.*, r.id AS "existingId", r.version AS "oldVersion", r.rating AS "oldRating", r.title AS "oldTitle", r.text AS "oldText", r."sourceUpdatedAt" AS "oldSourceUpdatedAt"
         FROM jsonb_to_recordset(${p.input}::jsonb) AS i(${INPUT_COLUMNS})
         LEFT JOIN LATERAL (
           SELECT r.id, r.version, r.rating, r.title, r.text, r."sourceUpdatedAt", r."contentHash" FROM "Review" r
            WHERE r."connectionId" = ${p.connectionId}::uuid AND r."externalId" = i."externalId" AND r."workspaceId" = ${p.workspaceId}::uuid
            LIMIT 1) r ON true
        WHERE r."contentHash" IS DISTINCT FROM i."contentHash"),
     versions AS (
       -- The statement's snapshot still holds the previous wording: keep it before the update below replaces it.
       INSERT INTO "ReviewVersion" ("workspaceId", "reviewId", version, rating, title, text, "sourceUpdatedAt", "replacedAt")
       SELECT ${p.workspaceId}::uuid, i."existingId", i."oldVersion", i."oldRating", i."oldTitle", i."oldText", i."oldSourceUpdatedAt", ${p.now}::timestamptz
         FROM input i
        WHERE i."existingId" IS NOT NULL AND (i."oldRating", i."oldTitle", i."oldText") IS DISTINCT FROM (i.rating, i.title, i.text)
       ON CONFLICT ("reviewId", version) DO NOTHING),
     written AS (
     INSERT INTO "Review" AS r ("workspaceId", "connectionId", "platformCode", "externalId", rating, "ratingMin", "ratingMax", "ratingNormalised",
            title, text, "authorName", "authorEmail", "orderReference", language, "languageSource", url, "publishedAt", "sourceUpdatedAt",
            "deletedAt", "customerId", "contentHash", "replyText", "replyStatus", "replyUpdatedAt", "repliedAt", "replyHours", "createdAt", "updatedAt")
     SELECT ${p.workspaceId}::uuid, ${p.connectionId}::uuid, ${p.platformCode}::text, i."externalId", i.rating, i."ratingMin", i."ratingMax", (i.rating - i."ratingMin") / (i."ratingMax" - i."ratingMin"),
            i.title, i.text, i."authorName", i."authorEmail", i."orderReference", i.language, i."languageSource", i.url, i."publishedAt", i."sourceUpdatedAt",
            CASE WHEN i.deleted THEN ${p.now}::timestamptz END,
            COALESCE(
              CASE WHEN i."authorEmail" IS NOT NULL THEN (SELECT c.id FROM "Customer" c WHERE c."workspaceId" = ${p.workspaceId}::uuid AND lower(c.email) = i."authorEmail" ORDER BY c."createdAt" LIMIT 1) END,
              CASE WHEN i."orderReference" IS NOT NULL THEN (SELECT o."customerId" FROM "Order" o WHERE o."workspaceId" = ${p.workspaceId}::uuid AND o."externalId" = i."orderReference") END),
            i."contentHash", i."replyText",
            (CASE WHEN i."replyText" IS NOT NULL THEN 'PUBLISHED' ELSE 'NONE' END)::"ReplyStatus",
            i."replyPublishedAt", i."replyPublishedAt",
            CASE WHEN i."replyPublishedAt" IS NOT NULL THEN greatest(0, extract(epoch FROM i."replyPublishedAt" - i."publishedAt") / 3600) END,
            ${p.now}::timestamptz, ${p.now}::timestamptz
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
       ${sql.raw(OUTBOX_INSERT)}
       SELECT w."workspaceId", CASE WHEN w.inserted THEN 'review.created' ELSE 'review.updated' END, ${sql.raw(globalIdSql('Review', 'w.id'))},
              jsonb_build_object('reviewId', ${sql.raw(globalIdSql('Review', 'w.id'))}, 'sourceId', ${sql.raw(globalIdSql('ReviewSource', 'w."connectionId"'))}, 'platformCode', ${p.platformCode}::text,
                                 'externalId', w."externalId", 'rating', w.rating, 'stars', 1 + w."ratingNormalised" * 4,
                                 'customerId', CASE WHEN w."customerId" IS NOT NULL THEN ${sql.raw(globalIdSql('Customer', 'w."customerId"'))} END, 'deleted', w."deletedAt" IS NOT NULL), ${p.now}::timestamptz
         FROM written w
       RETURNING 1),
     ${reviewFollowUpCtes(p.now, 'review_events')}
     SELECT "externalId", inserted FROM written`,
);

/** Marks the source's reviews with these external ids removed (found one by one on the unique index, as in the ingest). */
export const markDeletedByExternalId = preparedStatement<{ workspaceId: string; connectionId: string; externalIds: string[]; now: Date }, { id: string; externalId: string }>(
  ['workspaceId', 'connectionId', 'externalIds', 'now'],
  (p) =>
    sql`UPDATE "Review" SET "deletedAt" = ${p.now}::timestamptz, "updatedAt" = ${p.now}::timestamptz
      WHERE "workspaceId" = ${p.workspaceId}::uuid AND "deletedAt" IS NULL
        AND id IN (SELECT r.id FROM unnest(${p.externalIds}::text[]) AS i("externalId")
                   CROSS JOIN LATERAL (SELECT r.id FROM "Review" r WHERE r."connectionId" = ${p.connectionId}::uuid AND r."externalId" = i."externalId" AND r."workspaceId" = ${p.workspaceId}::uuid LIMIT 1) r)
     RETURNING id, "externalId"`,
);
