import { npsVariance } from './nps.js';
import { twoSidedPValue } from './normal-distribution.js';
import { isLowSample } from './low-sample.js';

export interface NpsSide {
  responses: number;
  promoters: number;
  detractors: number;
}

export interface NpsDifference {
  /** NPS of a minus NPS of b, in points; null when a side has no answers. */
  difference: number | null;
  z: number | null;
  /** Two-sided p-value of the z-test; null when it cannot be computed. */
  pValue: number | null;
  /** p < 0.05. */
  significant: boolean;
  lowSample: { a: boolean; b: boolean };
}

/**
 * Difference of two independent NPS values and its z-test:
 * z = (NPS_a - NPS_b) / sqrt(var_a / n_a + var_b / n_b), with var = p + d - (p - d)^2.
 */
export function npsDifference(a: NpsSide, b: NpsSide): NpsDifference {
  const lowSample = { a: isLowSample('NPS', a.responses), b: isLowSample('NPS', b.responses) };
  if (a.responses === 0 || b.responses === 0) return { difference: null, z: null, pValue: null, significant: false, lowSample };
  const [pa, da, pb, db] = [a.promoters / a.responses, a.detractors / a.responses, b.promoters / b.responses, b.detractors / b.responses];
  const difference = (pa - da - (pb - db)) * 100;
  const standardError = Math.sqrt(npsVariance(pa, da) / a.responses + npsVariance(pb, db) / b.responses) * 100;
  if (standardError === 0) {
    return { difference, z: null, pValue: difference === 0 ? 1 : null, significant: false, lowSample };
  }
  const z = difference / standardError;
  const pValue = twoSidedPValue(z);
  return { difference, z, pValue, significant: pValue < 0.05, lowSample };
}
