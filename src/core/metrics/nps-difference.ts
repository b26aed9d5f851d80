import { npsVariance } from './nps.js';
import { differenceTest, noDifferenceTest, type DifferenceTest } from './difference-test.js';
import { isLowSample } from './low-sample.js';

export interface NpsSide {
  responses: number;
  promoters: number;
  detractors: number;
}

/** NPS of a minus NPS of b, in points, with its test. */
export type NpsDifference = DifferenceTest;

/**
 * Difference of two independent NPS values and its z-test:
 * z = (NPS_a - NPS_b) / sqrt(var_a / n_a + var_b / n_b), with var = p + d - (p - d)^2.
 */
export function npsDifference(a: NpsSide, b: NpsSide): NpsDifference {
  const lowSample = { a: isLowSample('NPS', a.responses), b: isLowSample('NPS', b.responses) };
  if (a.responses === 0 || b.responses === 0) return noDifferenceTest(lowSample);
  const [pa, da, pb, db] = [a.promoters / a.responses, a.detractors / a.responses, b.promoters / b.responses, b.detractors / b.responses];
  const standardError = Math.sqrt(npsVariance(pa, da) / a.responses + npsVariance(pb, db) / b.responses) * 100;
  return differenceTest((pa - da - (pb - db)) * 100, standardError, lowSample);
}
