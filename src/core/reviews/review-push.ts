import { timingSafeEqual } from 'node:crypto';
import { PlatformError, type PlatformReview, type RawPushRequest } from '../plugin-sdk/index.js';
import type DataLoader from 'dataloader';
import { coalescingLoader } from '../../db/coalescing-loader.js';
import type { SqlConnection, SqlRunner } from '../../db/sql-runner.js';
import { ingestReviewOutcomes, ingestReviews, markReviewsDeleted, type IngestCounts, type IngestTarget } from './review-ingest.js';
import type { ReviewRuntime } from './review-runtime.js';
import { sourcesForPush } from './reviews.queries.js';

export interface PushOutcome {
  status: number;
  body: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type PushSource = Awaited<ReturnType<typeof sourcesForPush>>[number];

/** What one push writes: its source and reviews (no deletions, nothing to read back). */
interface PushWrite {
  target: IngestTarget;
  reviews: PlatformReview[];
  now: Date;
}

interface PushLoaders {
  sources: DataLoader<string, PushSource | null>;
  writes: DataLoader<PushWrite, IngestCounts>;
  /** Sources found lately, by id, with the time (clock ms) they are kept until. */
  found: Map<string, { source: PushSource; until: number }>;
}

/** Sources kept at most, the oldest forgotten first. */
const MAX_CACHED_SOURCES = 10_000;

const loaders = new WeakMap<ReviewRuntime, PushLoaders>();

/**
 * Pushes arrive one review per request, many at once. Source lookups made while others run share
 * one statement, and so do the writes: pushes gathered while earlier ones were written go out as one
 * ingest statement per source (see ingestTogether). A lone push waits for nothing. One batch of each
 * at a time: a push's cost is mostly per statement, so larger batches serve more pushes per second
 * (review bench, 8 senders: one slot each 1,592 pushes/s, two 1,307).
 */
function loadersFor(rt: ReviewRuntime): PushLoaders {
  let found = loaders.get(rt);
  if (!found) {
    found = {
      sources: coalescingLoader(
        async (ids) => {
          const rows = await rt.sql.session((conn) => sourcesForPush(conn, { connectionIds: ids }));
          const byId = new Map(rows.map((row) => [row.id, row]));
          return ids.map((id) => byId.get(id) ?? null);
        },
        { maxInFlight: 1 },
      ),
      writes: coalescingLoader((writes) => ingestTogether(rt.sql, writes), { maxInFlight: 1 }),
      found: new Map(),
    };
    loaders.set(rt, found);
  }
  return found;
}

/**
 * The source a push names. A source found is kept for `pushSourceCacheMs` (a platform pushes to
 * the same few sources all day): most pushes then cost one statement, the write. Unknown ids are
 * never kept (a guessed URL costs what it cost before); a source changed or removed through this
 * instance is forgotten at once (forgetPushSource), through another one within the cache time; a
 * write that fails forgets its source, so the next push reads it again.
 */
async function pushSource(rt: ReviewRuntime, push: PushLoaders, connectionId: string): Promise<PushSource | null> {
  const ttl = rt.pushSourceCacheMs ?? 5000;
  const now = rt.clock.now().getTime();
  const hit = push.found.get(connectionId);
  if (hit && hit.until > now) return hit.source;
  push.found.delete(connectionId);
  const source = await push.sources.load(connectionId);
  if (source && ttl > 0) {
    if (push.found.size >= MAX_CACHED_SOURCES) push.found.delete(push.found.keys().next().value!);
    push.found.set(connectionId, { source, until: now + ttl });
  }
  return source;
}

/** A source was changed or removed: the next push reads it again (in this instance at once). */
export function forgetPushSource(rt: ReviewRuntime, connectionId: string): void {
  loaders.get(rt)?.found.delete(connectionId);
}

/**
 * Writes pushes together, each with its own outcome: one ingest statement per source and round,
 * where a push naming a review that an earlier push of the round names waits for the next round (so
 * each push's counts are its own and the later push is applied last). When a statement fails, its
 * pushes are written one by one: one push's fault is not the others'.
 */
async function ingestTogether(sql: SqlRunner, writes: readonly PushWrite[]): Promise<Array<IngestCounts | Error>> {
  const results: Array<IngestCounts | Error> = writes.map(() => new Error('not written'));
  let pending = writes.map((write, index) => ({ write, index }));
  await sql.session(async (conn) => {
    while (pending.length > 0) {
      const named = new Map<string, Set<string>>();
      const groups = new Map<string, typeof pending>();
      const later: typeof pending = [];
      for (const entry of pending) {
        const ids = named.get(entry.write.target.connectionId) ?? new Set<string>();
        if (entry.write.reviews.some((review) => ids.has(review.externalId))) {
          later.push(entry);
          continue;
        }
        for (const review of entry.write.reviews) ids.add(review.externalId);
        named.set(entry.write.target.connectionId, ids);
        const group = groups.get(entry.write.target.connectionId);
        if (group) group.push(entry);
        else groups.set(entry.write.target.connectionId, [entry]);
      }
      for (const group of groups.values()) {
        const { target, now } = group[0]!.write;
        try {
          const outcomes = await ingestReviewOutcomes(
            conn,
            target,
            group.flatMap((entry) => entry.write.reviews),
            now,
          );
          for (const entry of group) results[entry.index] = countsOf(entry.write.reviews, outcomes);
        } catch {
          for (const entry of group) results[entry.index] = await ingestReviews(conn, entry.write.target, entry.write.reviews, entry.write.now).catch((error: unknown) => error as Error);
        }
      }
      pending = later;
    }
  });
  return results;
}

function countsOf(reviews: readonly PlatformReview[], outcomes: Map<string, 'created' | 'updated'>): IngestCounts {
  const ids = new Set(reviews.map((review) => review.externalId));
  const mine = [...ids].map((id) => outcomes.get(id));
  const created = mine.filter((outcome) => outcome === 'created').length;
  const updated = mine.filter((outcome) => outcome === 'updated').length;
  return { created, updated, unchanged: ids.size - created - updated };
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A platform pushed something to /hooks/reviews/<source id>/<secret>. The secret in the URL
 * identifies the source; the platform plugin then verifies what its platform signs. Reviews that
 * arrive as ids only are read back through the platform's API. Redeliveries are harmless: the
 * ingest is idempotent by external id.
 */
export async function receiveReviewPush(rt: ReviewRuntime, connectionId: string, secret: string, request: RawPushRequest): Promise<PushOutcome> {
  const notFound = { status: 404, body: { error: 'No such push endpoint' } };
  if (!UUID.test(connectionId)) return notFound;
  const push = loadersFor(rt);
  const connection = await pushSource(rt, push, connectionId);
  if (!connection || !sameSecret(connection.pushSecret, secret)) return notFound;
  const gone = { status: 410, body: { error: 'This source is disabled' } };
  if (connection.status === 'DISABLED') return gone;
  const { platform, call } = rt.calls.forConnection(connection);
  if (!platform.parsePush) return { status: 405, body: { error: `${platform.displayName} does not push reviews` } };
  try {
    const pushed = await platform.parsePush(call, request);
    const fetched: PlatformReview[] = [];
    for (const externalId of pushed.refetchExternalIds) {
      if (!platform.fetchReview) throw new Error(`${platform.code} pushed ids but cannot fetch a review`);
      const review = await platform.fetchReview(call, externalId);
      if (review) fetched.push(review);
      else pushed.deletedExternalIds.push(externalId);
    }
    const target = { workspaceId: connection.workspaceId, connectionId, platformCode: platform.code, scale: platform.ratingScale };
    const now = rt.clock.now();
    if (pushed.deletedExternalIds.length === 0) {
      // The ingest is one statement: written together with the pushes arriving beside it.
      const counts = await push.writes.load({ target, reviews: [...pushed.reviews, ...fetched], now }).catch(async (error: unknown) => {
        // A kept source may have been removed meanwhile (through another instance, or with its workspace): read it again.
        forgetPushSource(rt, connectionId);
        const current = await pushSource(rt, push, connectionId);
        if (!current || !sameSecret(current.pushSecret, secret)) return notFound;
        if (current.status === 'DISABLED') return gone;
        throw error;
      });
      if ('status' in counts) return counts;
      return { status: 200, body: { ok: true, ...counts, deleted: 0 } };
    }
    const write = async (conn: SqlConnection) => {
      const counts = await ingestReviews(conn, target, [...pushed.reviews, ...fetched], now);
      const deleted = await markReviewsDeleted(conn, target, pushed.deletedExternalIds, now);
      return { ...counts, deleted };
    };
    const result = await rt.sql.transaction(write);
    return { status: 200, body: { ok: true, ...result } };
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    rt.log.warn({ connectionId, kind: error.kind, message: error.message }, 'review push refused');
    if (error.kind === 'rejected') return { status: 401, body: { error: error.message } };
    if (error.kind === 'malformed') return { status: 400, body: { error: error.message } };
    // The platform's API failed while re-reading: ask the sender to retry later.
    return { status: 503, body: { error: error.message } };
  }
}
