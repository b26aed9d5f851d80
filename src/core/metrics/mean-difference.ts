import { isLowSample } from './low-sample.js';
import { studentTwoSidedPValue } from './student-t.js';

export interface MeanSide {
  responses: number;
  mean: number | null;
  /** Sample variance (n - 1 in the denominator); null below 2 answers. */
  variance: number | null;
}

export interface MeanDifference {
  /** Mean of a minus mean of b; null when a side has no answers. */
  difference: number | null;
  t: number | null;
  /** Welch-Satterthwaite degrees of freedom. */
  degreesOfFreedom: number | null;
  /** Two-sided p-value; null when it cannot be computed (fewer than 2 answers on a side, or no variance). */
  pValue: number | null;
  /** p < 0.05. */
  significant: boolean;
  lowSample: { a: boolean; b: boolean };
}

/** Mean and sample variance of a scale from its counts per score (index 0 = min). */
export function meanAndVariance(countsFromMin: readonly number[], min: number): MeanSide {
  const n = countsFromMin.reduce((sum, count) => sum + count, 0);
  if (n === 0) return { responses: 0, mean: null, variance: null };
  const mean = countsFromMin.reduce((sum, count, index) => sum + count * (min + index), 0) / n;
  const squares = countsFromMin.reduce((sum, count, index) => sum + count * (min + index - mean) ** 2, 0);
  return { responses: n, mean, variance: n > 1 ? squares / (n - 1) : null };
}

/**
 * Welch's t-test of two means (unequal variances): t = (m_a - m_b) / sqrt(v_a/n_a + v_b/n_b),
 * df = (v_a/n_a + v_b/n_b)^2 / ((v_a/n_a)^2/(n_a - 1) + (v_b/n_b)^2/(n_b - 1)).
 */
export function meanDifference(a: MeanSide, b: MeanSide): MeanDifference {
  const lowSample = { a: isLowSample('SINGLE', a.responses), b: isLowSample('SINGLE', b.responses) };
  if (a.mean === null || b.mean === null) return { difference: null, t: null, degreesOfFreedom: null, pValue: null, significant: false, lowSample };
  const difference = a.mean - b.mean;
  if (a.variance === null || b.variance === null) return { difference, t: null, degreesOfFreedom: null, pValue: null, significant: false, lowSample };
  const [sa, sb] = [a.variance / a.responses, b.variance / b.responses];
  if (sa + sb === 0) return { difference, t: null, degreesOfFreedom: null, pValue: difference === 0 ? 1 : null, significant: false, lowSample };
  const t = difference / Math.sqrt(sa + sb);
  const df = (sa + sb) ** 2 / (sa ** 2 / (a.responses - 1) + sb ** 2 / (b.responses - 1));
  const pValue = studentTwoSidedPValue(t, df);
  return { difference, t, degreesOfFreedom: df, pValue, significant: pValue < 0.05, lowSample };
}
