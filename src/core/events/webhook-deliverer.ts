import type { Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import type { WebhookDeliveryStatus } from '../../generated/kysely/database.js';
import type { Clock } from '../clock.js';
import { claimDueDeliveries, disableSubscription, finishDelivery } from './events.queries.js';
import { postWebhook, type PostOutcome } from './webhook-post.js';
import { nextAttemptDelayMs } from './webhook-schedule.js';

export interface DelivererOptions {
  sql: SqlRunner;
  clock: Clock;
  log: Logger;
  /** Tests and local development deliver to loopback; production never does. */
  allowLoopback: boolean;
  batchSize?: number;
  timeoutMs?: number;
  /** Each attempt's outcome (SUCCEEDED, RETRYING, DEAD), for /metrics. */
  onOutcome?(status: string): void;
}

interface ClaimedDelivery extends Record<string, unknown> {
  id: string;
  workspaceId: string;
  subscriptionId: string;
  attempts: number;
  url: string;
  secrets: string[];
  subscriptionStatus: string;
  eventId: string;
  type: string;
  subjectId: string | null;
  data: unknown;
  occurredAt: Date;
}

/** A claimed delivery not finished within this time (a crashed instance) is claimed again. */
const LEASE_SECONDS = 60;

/**
 * Sends due webhook deliveries, signed per Standard Webhooks: `webhook-id` is the delivery id (the
 * same on every retry, so receivers can drop repeats), `webhook-timestamp` the send time, and
 * `webhook-signature` an HMAC-SHA256 over id.timestamp.body with every secret of the subscription
 * (several while the receiver rotates). Success on 2xx; 410 Gone disables the subscription; any
 * other answer or a network failure is retried on the schedule in webhook-schedule.ts and then
 * dead-lettered. Claims use SKIP LOCKED, so several instances share the work.
 */
export class WebhookDeliverer {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: DelivererOptions) {}

  async deliverDue(): Promise<number> {
    const now = this.options.clock.now();
    const claimed: ClaimedDelivery[] = await this.options.sql.session((conn) => run(conn, claimDueDeliveries(now, this.options.batchSize ?? 100, LEASE_SECONDS)));
    await Promise.all(claimed.map((delivery) => this.track(this.deliver(delivery))));
    return claimed.length;
  }

  /** Waits for the sends in progress (a graceful stop does not leave them to be repeated). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    return promise.finally(() => this.inFlight.delete(promise));
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    if (delivery.subscriptionStatus !== 'ACTIVE') {
      await this.finish(delivery, 'DEAD', null, 'The subscription is disabled');
      return;
    }
    // The signature's timestamp is the real send time: receivers check it against their own clocks.
    const sentAt = new Date();
    const body = JSON.stringify({ id: delivery.eventId, type: delivery.type, timestamp: delivery.occurredAt.toISOString(), subjectId: delivery.subjectId, data: delivery.data });
    const signature = delivery.secrets.map((secret) => new Webhook(secret).sign(delivery.id, sentAt, body)).join(' ');
    let outcome: PostOutcome;
    try {
      outcome = await postWebhook(delivery.url, { 'webhook-id': delivery.id, 'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)), 'webhook-signature': signature }, body, {
        allowLoopback: this.options.allowLoopback,
        timeoutMs: this.options.timeoutMs ?? 10_000,
      });
    } catch (error) {
      outcome = { error: (error as Error).message };
    }
    if ('status' in outcome && outcome.status >= 200 && outcome.status < 300) {
      await this.finish(delivery, 'SUCCEEDED', outcome.status, null);
      return;
    }
    if ('status' in outcome && outcome.status === 410) {
      await this.finish(delivery, 'DEAD', 410, 'The endpoint answered 410 Gone: the subscription was disabled');
      await this.options.sql.session((conn) =>
        run(conn, disableSubscription({ id: delivery.subscriptionId, workspaceId: delivery.workspaceId }, 'The endpoint answered 410 Gone', this.options.clock.now())),
      );
      return;
    }
    const error = 'status' in outcome ? `The endpoint answered ${outcome.status}` : outcome.error;
    const delay = nextAttemptDelayMs(delivery.attempts);
    if (delay === null) await this.finish(delivery, 'DEAD', 'status' in outcome ? outcome.status : null, `${error}; gave up after ${delivery.attempts} attempts`);
    else await this.finish(delivery, 'RETRYING', 'status' in outcome ? outcome.status : null, error, new Date(this.options.clock.now().getTime() + delay));
  }

  private async finish(delivery: ClaimedDelivery, status: WebhookDeliveryStatus, statusCode: number | null, error: string | null, nextAttemptAt?: Date) {
    const now = this.options.clock.now();
    this.options.onOutcome?.(status);
    await this.options.sql.session((conn) => run(conn, finishDelivery(delivery, { status, statusCode, error, nextAttemptAt }, now)));
  }
}
