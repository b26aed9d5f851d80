import { isLowSample } from './low-sample.js';

export interface ScaleSummary {
  responses: number;
  /** Mean score; null without answers. */
  mean: number | null;
  /** Share (0-100) of answers from `goodFrom` up; null without answers. */
  goodShare: number | null;
  distribution: Array<{ score: number; count: number; share: number }>;
  lowSample: boolean;
}

/** Mean, share of good answers and distribution of a scale, from counts per score (index 0 = min). */
export function scaleSummary(countsFromMin: readonly number[], min: number, goodFrom: number): ScaleSummary {
  const n = countsFromMin.reduce((sum, count) => sum + count, 0);
  const total = countsFromMin.reduce((sum, count, index) => sum + count * (min + index), 0);
  const good = countsFromMin.reduce((sum, count, index) => sum + (min + index >= goodFrom ? count : 0), 0);
  return {
    responses: n,
    mean: n === 0 ? null : total / n,
    goodShare: n === 0 ? null : (good / n) * 100,
    distribution: countsFromMin.map((count, index) => ({ score: min + index, count, share: n === 0 ? 0 : (count / n) * 100 })),
    lowSample: isLowSample('SINGLE', n),
  };
}
