import { fromPglite, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';

export const DISPATCH_QUEUE = 'survey-dispatch';
export const SEGMENTS_QUEUE = 'segments-recompute';
export const REVIEWS_QUEUE = 'reviews-sync';
export const RETENTION_QUEUE = 'retention';
export const DIGEST_QUEUE = 'owner-digests';
export const TOTALS_QUEUE = 'score-totals';
const QUEUES = [DISPATCH_QUEUE, SEGMENTS_QUEUE, REVIEWS_QUEUE, RETENTION_QUEUE, DIGEST_QUEUE, TOTALS_QUEUE];

export interface JobHandlers {
  dispatch(): Promise<unknown>;
  /** Recomputes dynamic segments of one workspace, or of all when none is given. */
  recomputeSegments(workspaceId: string | null): Promise<unknown>;
  /** Syncs one review source, or every source that lists reviews when none is given. */
  syncReviews(source: { workspaceId: string; connectionId: string } | null): Promise<unknown>;
  /** Applies every workspace's retention policy. */
  applyRetention(): Promise<unknown>;
  /** Queues the weekly owner digests that are due (the event pump sends them). */
  queueDigests(): Promise<unknown>;
  /** Folds the score deltas the answer path appended into the rollups and monthly totals. */
  foldScoreTotals(): Promise<unknown>;
}

export interface JobQueue {
  /** Runs the dispatcher soon (deduplicated: many kicks within a few seconds give one run). */
  kick(): void;
  /** Data of a workspace changed: its dynamic segments are recomputed about a minute later, once for a burst of changes. */
  dataChanged(workspaceId: string): void;
  /** Syncs one review source soon (one queued sync per source at a time). */
  syncReviewSource(workspaceId: string, connectionId: string): void;
  /** Jobs per queue: ready to run, deferred (scheduled later), active, and recently failed (for /metrics). */
  depth(): Promise<Array<{ queue: string; ready: number; deferred: number; active: number; failed: number }>>;
  stop(): Promise<void>;
}

/**
 * Durable scheduling on pg-boss. A cron schedule enqueues a dispatch every minute (pg-boss makes
 * it one job per minute however many instances run) and sends can kick an extra run. The
 * invitation rows hold the real state, so a lost or repeated job changes nothing: the dispatcher
 * claims each invitation with a conditional update.
 *
 * Embedded mode (PGlite) runs pg-boss on the same in-process engine through its PGlite adapter:
 * durable across restarts of the single process, without multi-instance concerns.
 */
export async function startJobQueue(database: Database, handlers: JobHandlers, log: Logger, options: { pollSeconds?: number; segmentDelaySeconds?: number } = {}): Promise<JobQueue> {
  const target = database.queueTarget;
  const boss = target.kind === 'postgres' ? new PgBoss({ connectionString: target.url, max: 3, schema: 'pgboss' }) : new PgBoss({ db: fromPglite(target.pglite), backend: 'pglite', schema: 'pgboss' });
  boss.on('error', (error: unknown) => log.error({ err: error }, 'job queue error'));
  await boss.start();
  for (const name of QUEUES) {
    await boss.createQueue(name, { retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 15 * 60, policy: 'singleton' }).catch(async (error: unknown) => {
      if (!(await boss.getQueue(name))) throw error;
    });
  }
  await boss.schedule(DISPATCH_QUEUE, '* * * * *', {}, { singletonKey: 'tick' });
  // Every dynamic segment is recomputed hourly, besides the recomputes after data changes.
  await boss.schedule(SEGMENTS_QUEUE, '7 * * * *', {}, { singletonKey: 'hourly' });
  // Review sources are polled every 15 minutes; each sync resumes from its persisted cursor.
  await boss.schedule(REVIEWS_QUEUE, '*/15 * * * *', {}, { singletonKey: 'all' });
  // Retention policies run once a day, at night in Europe.
  await boss.schedule(RETENTION_QUEUE, '17 2 * * *', {}, { singletonKey: 'daily' });
  // Weekly digests go out from Monday 08:00 in each workspace's time zone: hourly catches every zone.
  await boss.schedule(DIGEST_QUEUE, '3 * * * *', {}, { singletonKey: 'hourly' });
  // Score deltas are folded into the rollups and monthly totals every minute (readers add what is not folded yet).
  await boss.schedule(TOTALS_QUEUE, '* * * * *', {}, { singletonKey: 'tick' });
  await boss.work(TOTALS_QUEUE, { pollingIntervalSeconds: options.pollSeconds ?? 2, batchSize: 1 }, async () => {
    await handlers.foldScoreTotals();
  });
  await boss.work(DIGEST_QUEUE, { pollingIntervalSeconds: options.pollSeconds ?? 2, batchSize: 1 }, async () => {
    await handlers.queueDigests();
  });
  await boss.work(RETENTION_QUEUE, { pollingIntervalSeconds: options.pollSeconds ?? 2, batchSize: 1 }, async () => {
    await handlers.applyRetention();
  });
  await boss.work<{ workspaceId?: string; connectionId?: string }>(REVIEWS_QUEUE, { pollingIntervalSeconds: options.pollSeconds ?? 2, batchSize: 1 }, async ([job]) => {
    const data = job?.data ?? {};
    await handlers.syncReviews(data.workspaceId && data.connectionId ? { workspaceId: data.workspaceId, connectionId: data.connectionId } : null);
  });
  await boss.work(DISPATCH_QUEUE, { pollingIntervalSeconds: options.pollSeconds ?? 2, batchSize: 1 }, async () => {
    await handlers.dispatch();
  });
  await boss.work<{ workspaceId?: string }>(SEGMENTS_QUEUE, { pollingIntervalSeconds: options.pollSeconds ?? 2, batchSize: 1 }, async ([job]) => {
    await handlers.recomputeSegments(job?.data?.workspaceId ?? null);
  });
  let stopped = false;
  // Per workspace, the last time a recompute was requested: a burst of mutations sends one job,
  // not one enqueue attempt each (pg-boss would drop the duplicates, but only after a round trip).
  const requested = new Map<string, number>();
  const delayMs = Math.max(1, options.segmentDelaySeconds ?? 30) * 1000;
  return {
    kick() {
      if (stopped) return;
      // Debounced, not throttled: a kick within the slot of an earlier one (which may already be
      // running, before the new invitations existed) runs in the next slot instead of being dropped
      // until the minute's cron run.
      boss.sendDebounced(DISPATCH_QUEUE, {}, null, 2, 'kick').catch((error: unknown) => log.warn({ err: error }, 'could not enqueue a dispatch'));
    },
    dataChanged(workspaceId) {
      if (stopped) return;
      const now = Date.now();
      if (now - (requested.get(workspaceId) ?? 0) < delayMs) return;
      if (requested.size > 10_000) requested.clear();
      requested.set(workspaceId, now);
      boss
        .send(SEGMENTS_QUEUE, { workspaceId }, { singletonKey: `ws:${workspaceId}`, singletonSeconds: Math.max(1, options.segmentDelaySeconds ?? 30), startAfter: options.segmentDelaySeconds ?? 30 })
        .catch((error: unknown) => log.warn({ err: error }, 'could not enqueue a segment recompute'));
    },
    syncReviewSource(workspaceId, connectionId) {
      if (stopped) return;
      boss
        .send(REVIEWS_QUEUE, { workspaceId, connectionId }, { singletonKey: `source:${connectionId}`, singletonSeconds: 60 })
        .catch((error: unknown) => log.warn({ err: error }, 'could not enqueue a review sync'));
    },
    async depth() {
      const queues = await boss.getQueues(QUEUES);
      return queues.map((queue) => ({ queue: queue.name, ready: queue.readyCount, deferred: queue.deferredCount, active: queue.activeCount, failed: queue.failedCount }));
    },
    async stop() {
      stopped = true;
      await boss.stop({ graceful: true, timeout: 10_000, close: true });
    },
  };
}
