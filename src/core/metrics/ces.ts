import { scaleSummary, type ScaleSummary } from './scale-summary.js';

/** CES on 1-7: the mean (above 5 is good) and the share agreeing, 5-7, as `goodShare`. Counts for 1..7. */
export function ces(countsByScore1to7: readonly number[]): ScaleSummary {
  if (countsByScore1to7.length !== 7) throw new RangeError('CES needs 7 counts, for the scores 1 to 7');
  return scaleSummary(countsByScore1to7, 1, 5);
}
