import { twoSidedPValue } from './normal-distribution.js';

/** A difference between two independent groups with its two-sided z-test. */
export interface DifferenceTest {
  /** b minus a (or a minus b, as the caller defines), in points; null when a side has no data. */
  difference: number | null;
  z: number | null;
  /** Two-sided p-value; null when it cannot be computed. */
  pValue: number | null;
  /** p < 0.05. */
  significant: boolean;
  lowSample: { a: boolean; b: boolean };
}

/** The z-test of a difference and its standard error (same unit); no test without variance. */
export function differenceTest(difference: number, standardError: number, lowSample: DifferenceTest['lowSample']): DifferenceTest {
  if (standardError === 0) return { difference, z: null, pValue: difference === 0 ? 1 : null, significant: false, lowSample };
  const z = difference / standardError;
  const pValue = twoSidedPValue(z);
  return { difference, z, pValue, significant: pValue < 0.05, lowSample };
}

/** The result when a side has nothing to compare. */
export const noDifferenceTest = (lowSample: DifferenceTest['lowSample']): DifferenceTest => ({ difference: null, z: null, pValue: null, significant: false, lowSample });
