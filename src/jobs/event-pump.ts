import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { relayEvents, type RelayedEvent } from '../core/events/event-relay.js';
import type { WebhookDeliverer } from '../core/events/webhook-deliverer.js';
import type { SqlRunner } from '../db/sql-runner.js';

export interface EventPump {
  /** Relays and delivers now instead of at the next tick. */
  kick(): void;
  /** Runs one relay-and-deliver round to the end (tests drive the pump by hand with this). */
  runOnce(): Promise<{ relayed: number; delivered: number }>;
  /** Stops the loop and waits for webhook sends in progress. */
  stop(): Promise<void>;
}

/**
 * The loop behind events: relay the outbox (webhook deliveries, owner mails, live subscribers), then
 * send due deliveries and owner mails, every `pollMs` or at once when kicked. Every instance runs one; SKIP LOCKED claims
 * keep them from doing the same work twice.
 */
export function startEventPump(deps: {
  sql: SqlRunner;
  clock: Clock;
  log: Logger;
  deliverer: WebhookDeliverer;
  ownerMail?: { sendDue(): Promise<number> };
  publish(event: RelayedEvent): void;
  pollMs: number;
  loop: boolean;
}): EventPump {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let again = false;

  const round = async () => {
    let relayed = 0;
    let delivered = 0;
    for (;;) {
      const events = await relayEvents(deps.sql, deps.clock.now());
      for (const event of events) deps.publish(event);
      relayed += events.length;
      if (events.length < 500) break;
    }
    for (;;) {
      const sent = await deps.deliverer.deliverDue();
      delivered += sent;
      if (sent === 0 || stopped) break;
    }
    if (deps.ownerMail && !stopped) {
      for (;;) {
        const sent = await deps.ownerMail.sendDue();
        if (sent === 0 || stopped) break;
      }
    }
    return { relayed, delivered };
  };

  const tick = () => {
    if (stopped) return;
    clearTimeout(timer);
    running = running
      .then(round)
      .catch((error: unknown) => deps.log.error({ err: error }, 'event pump round failed'))
      .finally(() => {
        if (stopped || !deps.loop) return;
        const delay = again ? 0 : deps.pollMs;
        again = false;
        timer = setTimeout(tick, delay);
      });
  };
  if (deps.loop) timer = setTimeout(tick, deps.pollMs);

  return {
    kick() {
      if (!deps.loop) return;
      again = true;
      if (timer) {
        clearTimeout(timer);
        timer = setTimeout(tick, 0);
      }
    },
    async runOnce() {
      const result = running.then(round);
      running = result.catch(() => undefined);
      return result;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running.catch(() => undefined);
      await deps.deliverer.drain();
    },
  };
}
