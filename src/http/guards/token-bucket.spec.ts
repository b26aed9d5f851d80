import { describe, expect, it } from 'vitest';
import { memoryBucketStore, takeFromBucket } from './token-bucket.js';

const policy = { capacity: 100, refillPerSecond: 10 };

describe('takeFromBucket', () => {
  it.each([
    ['a new bucket is full', null, 0, 30, { allowed: true, remaining: 70 }],
    ['takes what it holds', { tokens: 30, at: 0 }, 0, 30, { allowed: true, remaining: 0 }],
    ['refuses more than it holds, taking nothing', { tokens: 20, at: 0 }, 0, 30, { allowed: false, remaining: 20, retryAfterSeconds: 1 }],
    ['refills with time', { tokens: 0, at: 0 }, 2_000, 15, { allowed: true, remaining: 5 }],
    ['never above capacity', { tokens: 90, at: 0 }, 60_000, 1, { allowed: true, remaining: 99 }],
    ['says how long to wait', { tokens: 0, at: 0 }, 0, 50, { allowed: false, retryAfterSeconds: 5 }],
    ['a cost above capacity never passes', null, 0, 101, { allowed: false, remaining: 100, retryAfterSeconds: 10 }],
    ['a clock going back does not refill', { tokens: 10, at: 5_000 }, 0, 11, { allowed: false, remaining: 10 }],
  ])('%s', (_name, state, now, cost, expected) => {
    expect(takeFromBucket(state, now, cost, policy).result).toMatchObject(expected);
  });

  it('reports when the bucket is full again', () => {
    expect(takeFromBucket(null, 0, 50, policy).result.resetSeconds).toBe(5);
  });
});

describe('memoryBucketStore', () => {
  it('keeps one bucket per key', async () => {
    let now = 0;
    const store = memoryBucketStore(() => now);
    expect((await store.take('a', 100, policy)).allowed).toBe(true);
    expect((await store.take('a', 1, policy)).allowed).toBe(false);
    expect((await store.take('b', 1, policy)).allowed).toBe(true);
    now = 1_000;
    expect((await store.take('a', 10, policy)).allowed).toBe(true);
  });
});
