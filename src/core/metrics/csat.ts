import { scaleSummary, type ScaleSummary } from './scale-summary.js';

/** CSAT on 1-5: share of 4 and 5 (x 100) as `goodShare`, and the mean. Counts for scores 1..5. */
export function csat(countsByScore1to5: readonly number[]): ScaleSummary {
  if (countsByScore1to5.length !== 5) throw new RangeError('CSAT needs 5 counts, for the scores 1 to 5');
  return scaleSummary(countsByScore1to5, 1, 4);
}
