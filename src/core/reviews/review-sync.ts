import { run } from '../../db/kysely.js';
import type { ReviewConnectionStatus } from '../../generated/kysely/database.js';
import { NotFoundError } from '../errors.js';
import { PlatformError, type PlatformErrorKind } from '../plugin-sdk/index.js';
import { ingestReviews, type IngestCounts } from './review-ingest.js';
import type { ReviewRuntime } from './review-runtime.js';
import { advanceSyncCursor, claimSourceForSync, finishSync } from './reviews.queries.js';

export interface SyncOutcome extends IngestCounts {
  pages: number;
  fetched: number;
  /** True when the platform had nothing more; false when stopped by the page limit or an error. */
  complete: boolean;
  /** Why nothing ran: another sync holds the source, or it is disabled. */
  skipped: string | null;
  error: { kind: PlatformErrorKind | 'internal'; message: string } | null;
}

/** A sync that has not reported for this long is taken to have died; another may take over. */
const STALE_SYNC_MINUTES = 15;

const STATUS_BY_ERROR: Record<PlatformErrorKind, ReviewConnectionStatus> = {
  auth: 'AUTH_FAILED',
  'rate-limited': 'RATE_LIMITED',
  unavailable: 'FAILING',
  malformed: 'FAILING',
  'not-found': 'FAILING',
  rejected: 'FAILING',
  redirect: 'FAILING',
};

/**
 * Pulls new and changed reviews of one source, page by page. Each page and the cursor after it
 * are written in one transaction, so a sync stopped anywhere (crash, rate limit, deploy) resumes
 * at the next page and never skips one. One sync per source at a time, across instances: the
 * source row is claimed with a conditional update.
 */
export async function syncReviewSource(rt: ReviewRuntime, workspaceId: string, connectionId: string, options: { maxPages?: number } = {}): Promise<SyncOutcome> {
  const now = rt.clock.now();
  const outcome: SyncOutcome = { pages: 0, fetched: 0, created: 0, updated: 0, unchanged: 0, complete: false, skipped: null, error: null };
  const staleBefore = new Date(now.getTime() - STALE_SYNC_MINUTES * 60_000);
  const claimed = await rt.sql.session((conn) => run(conn, claimSourceForSync(connectionId, workspaceId, now, staleBefore)));
  const connection = claimed[0];
  if (!connection) {
    const existing = await rt.prisma.reviewConnection.findFirst({ where: { id: connectionId, workspaceId }, select: { status: true } });
    if (!existing) throw new NotFoundError('ReviewSource', connectionId);
    return { ...outcome, skipped: existing.status === 'DISABLED' ? 'the source is disabled' : 'a sync of this source is already running' };
  }
  const finish = (status: ReviewConnectionStatus, error: SyncOutcome['error']) =>
    rt.sql.session((conn) => run(conn, finishSync(connectionId, workspaceId, status, error?.message ?? null, rt.clock.now())));
  try {
    const { platform, call } = rt.calls.forConnection(connection);
    if (!platform.fetchReviews) {
      await finish('ACTIVE', null);
      return { ...outcome, complete: true, skipped: `${platform.displayName} does not list reviews (it pushes them)` };
    }
    const target = { workspaceId, connectionId, platformCode: platform.code, scale: platform.ratingScale };
    let cursor = connection.syncCursor;
    const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
    while (outcome.pages < maxPages) {
      const page = await platform.fetchReviews(call, cursor);
      const counts = await rt.sql.transaction(async (conn) => {
        const written = await ingestReviews(conn, target, page.reviews, rt.clock.now());
        await run(conn, advanceSyncCursor(connectionId, workspaceId, page.cursor, rt.clock.now()));
        return written;
      });
      cursor = page.cursor;
      outcome.pages += 1;
      outcome.fetched += page.reviews.length;
      outcome.created += counts.created;
      outcome.updated += counts.updated;
      outcome.unchanged += counts.unchanged;
      if (!page.hasMore) {
        outcome.complete = true;
        break;
      }
    }
    await finish('ACTIVE', null);
    return outcome;
  } catch (error) {
    if (error instanceof PlatformError) {
      await finish(STATUS_BY_ERROR[error.kind], { kind: error.kind, message: error.message });
      rt.log.warn({ connectionId, kind: error.kind, err: error }, 'review sync stopped by the platform');
      return { ...outcome, error: { kind: error.kind, message: error.message } };
    }
    await finish('FAILING', { kind: 'internal', message: 'The sync failed unexpectedly; see the server log' });
    throw error;
  }
}

/** Every enabled source that lists reviews, oldest sync first: what the scheduled job walks. */
export async function syncAllReviewSources(rt: ReviewRuntime): Promise<number> {
  const sources = await rt.prisma.reviewConnection.findMany({
    where: { status: { not: 'DISABLED' } },
    orderBy: { lastSyncedAt: { sort: 'asc', nulls: 'first' } },
    select: { id: true, workspaceId: true, platformCode: true },
  });
  let synced = 0;
  for (const source of sources) {
    if (!rt.registry.reviewPlatforms.has(source.platformCode)) continue;
    if (!rt.registry.reviewPlatforms.getByCodeOrThrow(source.platformCode).capabilities.includes('list')) continue;
    try {
      await syncReviewSource(rt, source.workspaceId, source.id);
      synced += 1;
    } catch (error) {
      rt.log.error({ err: error, connectionId: source.id }, 'review sync failed');
    }
  }
  return synced;
}
