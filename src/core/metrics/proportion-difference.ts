import { differenceTest, noDifferenceTest, type DifferenceTest } from './difference-test.js';
import { isLowSample } from './low-sample.js';

export interface ProportionSide {
  /** Successes (completed responses). */
  count: number;
  /** Trials (delivered invitations). */
  total: number;
}

/** Rate of b minus rate of a, in percentage points, with its test. */
export type ProportionDifference = DifferenceTest;

/**
 * Two-proportion z-test with the pooled proportion (the usual test of an A/B response rate):
 * z = (p_b - p_a) / sqrt(p (1 - p) (1 / n_a + 1 / n_b)), p = (x_a + x_b) / (n_a + n_b).
 */
export function proportionDifference(a: ProportionSide, b: ProportionSide): ProportionDifference {
  const lowSample = { a: isLowSample('SINGLE', a.total), b: isLowSample('SINGLE', b.total) };
  if (a.total === 0 || b.total === 0) return noDifferenceTest(lowSample);
  const pooled = (a.count + b.count) / (a.total + b.total);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / a.total + 1 / b.total)) * 100;
  return differenceTest((b.count / b.total - a.count / a.total) * 100, standardError, lowSample);
}
