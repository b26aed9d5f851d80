import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PublicLimits } from '../../config.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** What the public surfaces count, each per minute: page and widget requests per address, answer posts per link, review pushes per address. */
export type PublicLimitKind = 'address' | 'answerPost' | 'push';

export interface PublicLimiter {
  /** Counts one request; returns the seconds to wait when over the limit, else null. */
  retryAfter(kind: PublicLimitKind, key: string): Promise<number | null>;
}

/**
 * Per-address and per-link limits of the public surfaces. With Redis every instance counts
 * together; if Redis is unreachable each instance falls back to counting alone (the library's
 * insurance limiter) rather than refusing or waving everyone through.
 */
export function createPublicLimiter(redis: Redis | null, limits: PublicLimits, log: Logger): PublicLimiter {
  const make = (name: string, points: number): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix: `cx:public:${name}`, points, duration: 60 });
    return redis ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `cx:public:${name}`, points, duration: 60, insuranceLimiter: memory }) : memory;
  };
  const limiters: Record<PublicLimitKind, RateLimiterAbstract> = {
    address: make('address', limits.perIp),
    answerPost: make('post', limits.postsPerToken),
    push: make('push', limits.pushesPerMinute),
  };
  return {
    async retryAfter(kind, key) {
      try {
        await limiters[kind].consume(key);
        return null;
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes) return Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
        log.warn({ err: outcome }, 'public rate limiter failed; request not limited');
        return null;
      }
    },
  };
}
