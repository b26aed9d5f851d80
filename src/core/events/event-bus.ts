import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { RelayedEvent } from './event-relay.js';

/** Events as live subscribers receive them (over Redis, dates arrive as strings). */
export type LiveEvent = Omit<RelayedEvent, 'occurredAt'> & { occurredAt: Date | string };

export type EventPubSub = ReturnType<typeof createPubSub<{ events: [workspaceId: string, event: LiveEvent] }>>;

/**
 * Fan-out of relayed events to GraphQL subscriptions, one topic per workspace. With Redis every
 * instance's subscribers get every event, whichever instance relayed it; without, in-process.
 */
export function createEventBus(redisUrl: string | null): { pubSub: EventPubSub; close(): Promise<void> } {
  if (!redisUrl) return { pubSub: createPubSub<{ events: [workspaceId: string, event: LiveEvent] }>(), close: async () => {} };
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const eventTarget = createRedisEventTarget<never>({ publishClient, subscribeClient });
  return {
    pubSub: createPubSub<{ events: [workspaceId: string, event: LiveEvent] }>({ eventTarget }),
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}
