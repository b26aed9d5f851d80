import { isLowSample } from './low-sample.js';
import { twoSidedPValue } from './normal-distribution.js';

export interface ProportionSide {
  /** Successes (completed responses). */
  count: number;
  /** Trials (delivered invitations). */
  total: number;
}

export interface ProportionDifference {
  /** Rate of b minus rate of a, in percentage points; null when a side has no trials. */
  difference: number | null;
  z: number | null;
  /** Two-sided p-value; null when it cannot be computed. */
  pValue: number | null;
  /** p < 0.05. */
  significant: boolean;
  lowSample: { a: boolean; b: boolean };
}

/**
 * Two-proportion z-test with the pooled proportion (the usual test of an A/B response rate):
 * z = (p_b - p_a) / sqrt(p (1 - p) (1 / n_a + 1 / n_b)), p = (x_a + x_b) / (n_a + n_b).
 */
export function proportionDifference(a: ProportionSide, b: ProportionSide): ProportionDifference {
  const lowSample = { a: isLowSample('SINGLE', a.total), b: isLowSample('SINGLE', b.total) };
  if (a.total === 0 || b.total === 0) return { difference: null, z: null, pValue: null, significant: false, lowSample };
  const [rateA, rateB] = [a.count / a.total, b.count / b.total];
  const difference = (rateB - rateA) * 100;
  const pooled = (a.count + b.count) / (a.total + b.total);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / a.total + 1 / b.total));
  if (standardError === 0) return { difference, z: null, pValue: difference === 0 ? 1 : null, significant: false, lowSample };
  const z = (rateB - rateA) / standardError;
  const pValue = twoSidedPValue(z);
  return { difference, z, pValue, significant: pValue < 0.05, lowSample };
}
