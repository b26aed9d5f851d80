import { fromPglite, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';

export const DISPATCH_QUEUE = 'survey-dispatch';

export interface JobQueue {
  /** Runs the dispatcher soon (deduplicated: many kicks within a few seconds give one run). */
  kick(): void;
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
export async function startJobQueue(database: Database, run: () => Promise<unknown>, log: Logger, options: { pollSeconds?: number } = {}): Promise<JobQueue> {
  const target = database.queueTarget;
  const boss =
    target.kind === 'postgres'
      ? new PgBoss({ connectionString: target.url, max: 3, schema: 'pgboss' })
      : new PgBoss({ db: fromPglite(target.pglite), backend: 'pglite', schema: 'pgboss' });
  boss.on('error', (error: unknown) => log.error({ err: error }, 'job queue error'));
  await boss.start();
  await boss.createQueue(DISPATCH_QUEUE, { retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 15 * 60, policy: 'singleton' }).catch(async (error: unknown) => {
    if (!(await boss.getQueue(DISPATCH_QUEUE))) throw error;
  });
  await boss.schedule(DISPATCH_QUEUE, '* * * * *', {}, { singletonKey: 'tick' });
  await boss.work(DISPATCH_QUEUE, { pollingIntervalSeconds: options.pollSeconds ?? 2, batchSize: 1 }, async () => {
    await run();
  });
  let stopped = false;
  return {
    kick() {
      if (stopped) return;
      boss.send(DISPATCH_QUEUE, {}, { singletonKey: 'kick', singletonSeconds: 2 }).catch((error: unknown) => log.warn({ err: error }, 'could not enqueue a dispatch'));
    },
    async stop() {
      stopped = true;
      await boss.stop({ graceful: true, timeout: 10_000, close: true });
    },
  };
}
