import { describe, expect, it } from 'vitest';
import { nextAttemptDelayMs, RETRY_DELAYS_SECONDS } from './webhook-schedule.js';

describe('webhook retry schedule', () => {
  it.each([
    [1, 0, 5_000],
    [1, 1, 6_000],
    [2, 0, 30_000],
    [7, 0.5, 7_920_000],
    [13, 0, 43_200_000],
    [14, 0, null],
  ])('after attempt %d (jitter %d): %d ms', (attempts, jitter, expected) => {
    expect(nextAttemptDelayMs(attempts, () => jitter)).toBe(expected);
  });

  it('spans about three days before the delivery is dead-lettered', () => {
    const total = RETRY_DELAYS_SECONDS.reduce((sum, seconds) => sum + seconds, 0) / 86_400;
    expect(total).toBeGreaterThan(2.5);
    expect(total).toBeLessThan(3.5);
  });
});
