import { timingSafeEqual } from 'node:crypto';
import { PlatformError, type PlatformReview, type RawPushRequest } from '../plugin-sdk/index.js';
import { run } from '../../db/kysely.js';
import type { SqlConnection } from '../../db/sql-runner.js';
import { ingestReviews, markReviewsDeleted } from './review-ingest.js';
import type { ReviewRuntime } from './review-runtime.js';
import { sourceForPush } from './reviews.queries.js';

export interface PushOutcome {
  status: number;
  body: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  const [connection] = await rt.sql.session((conn) => run(conn, sourceForPush(connectionId)));
  if (!connection || !sameSecret(connection.pushSecret, secret)) return notFound;
  if (connection.status === 'DISABLED') return { status: 410, body: { error: 'This source is disabled' } };
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
    const write = async (conn: SqlConnection) => {
      const counts = await ingestReviews(conn, target, [...pushed.reviews, ...fetched], now);
      const deleted = await markReviewsDeleted(conn, target, pushed.deletedExternalIds, now);
      return { ...counts, deleted };
    };
    // The ingest is one statement: a push that deletes nothing needs no transaction around it.
    const result = pushed.deletedExternalIds.length === 0 ? await rt.sql.session(write) : await rt.sql.transaction(write);
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
