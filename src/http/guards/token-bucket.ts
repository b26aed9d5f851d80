import type { Redis } from 'ioredis';

/** A token bucket: `capacity` points, refilled continuously at `refillPerSecond`. */
export interface BucketPolicy {
  capacity: number;
  refillPerSecond: number;
}

export interface BucketState {
  tokens: number;
  /** Milliseconds since the epoch when `tokens` was last computed. */
  at: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Points left after this request (whole points, rounded down). */
  remaining: number;
  /** Seconds until the bucket holds `cost` points again (0 when allowed). */
  retryAfterSeconds: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
}

/**
 * Takes `cost` points when the bucket holds them; otherwise takes nothing. A cost above the
 * capacity can never pass. Pure: the same arithmetic runs in memory and, as Lua, in Redis.
 */
export function takeFromBucket(state: BucketState | null, now: number, cost: number, policy: BucketPolicy): { state: BucketState; result: TakeResult } {
  const elapsed = state ? Math.max(0, now - state.at) / 1000 : 0;
  const available = state ? Math.min(policy.capacity, state.tokens + elapsed * policy.refillPerSecond) : policy.capacity;
  const allowed = cost <= available;
  const tokens = allowed ? available - cost : available;
  return { state: { tokens, at: now }, result: outcome(allowed, tokens, cost, policy) };
}

/** What a take reports, from the tokens left after it (the same for memory and Redis). */
function outcome(allowed: boolean, tokens: number, cost: number, policy: BucketPolicy): TakeResult {
  const missing = allowed ? 0 : cost - tokens;
  return {
    allowed,
    remaining: Math.floor(tokens),
    retryAfterSeconds: allowed ? 0 : cost > policy.capacity ? Math.ceil(policy.capacity / policy.refillPerSecond) : Math.max(1, Math.ceil(missing / policy.refillPerSecond)),
    resetSeconds: Math.ceil((policy.capacity - tokens) / policy.refillPerSecond),
  };
}

/** Where buckets live: in this process, or in Redis so every instance shares them. */
export interface BucketStore {
  take(key: string, cost: number, policy: BucketPolicy): Promise<TakeResult>;
  close(): Promise<void>;
}

export function memoryBucketStore(now: () => number = Date.now): BucketStore {
  const buckets = new Map<string, BucketState>();
  return {
    async take(key, cost, policy) {
      const { state, result } = takeFromBucket(buckets.get(key) ?? null, now(), cost, policy);
      // Full buckets carry no information: forget them, so the map stays as small as the active keys.
      if (state.tokens >= policy.capacity) buckets.delete(key);
      else buckets.set(key, state);
      if (buckets.size > 100_000) buckets.clear();
      return result;
    },
    async close() {},
  };
}

// The same arithmetic as takeFromBucket, atomically in Redis (one round trip, no race between instances).
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = capacity
if state[1] then
  local elapsed = math.max(0, now - tonumber(state[2])) / 1000
  tokens = math.min(capacity, tonumber(state[1]) + elapsed * rate)
end
local allowed = 0
if cost <= tokens then
  tokens = tokens - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return { allowed, tostring(tokens) }
`;

export function redisBucketStore(redis: Redis, prefix = 'cx:rate:'): BucketStore {
  return {
    async take(key, cost, policy) {
      // Redis' clock is not used: instances agree closely enough on wall time for a rate limit.
      const now = Date.now();
      const [allowed, tokensText] = (await redis.eval(TAKE_SCRIPT, 1, `${prefix}${key}`, policy.capacity, policy.refillPerSecond, now, cost)) as [number, string];
      return outcome(allowed === 1, Number(tokensText), cost, policy);
    },
    async close() {
      await redis.quit().catch(() => undefined);
    },
  };
}
