/**
 * When to try a failed webhook delivery again: after 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h,
 * 4 h, 8 h, 12 h, 12 h, 12 h, 12 h (about 3 days in all), each with up to 20% random jitter so a
 * recovering receiver is not hit by every retry at once. Null: give up (dead-letter).
 */
export const RETRY_DELAYS_SECONDS = [5, 30, 120, 600, 1800, 3600, 7200, 14_400, 28_800, 43_200, 43_200, 43_200, 43_200] as const;

export function nextAttemptDelayMs(attemptsSoFar: number, random: () => number = Math.random): number | null {
  const base = RETRY_DELAYS_SECONDS[attemptsSoFar - 1];
  if (base === undefined) return null;
  return Math.round(base * 1000 * (1 + 0.2 * random()));
}
