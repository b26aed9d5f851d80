import { describe, expect, it } from 'vitest';
import { meanAndVariance, meanDifference } from './mean-difference.js';
import { studentTwoSidedPValue } from './student-t.js';

describe('studentTwoSidedPValue', () => {
  // Two-sided 5% and 1% critical values from the t table.
  it.each([
    [12.706, 1, 0.05],
    [4.303, 2, 0.05],
    [2.228, 10, 0.05],
    [2.042, 30, 0.05],
    [3.169, 10, 0.01],
    [2.75, 30, 0.01],
    [1.96, 1e7, 0.05],
    [0, 5, 1],
  ])('t = %d, df = %d -> p = %d', (t, df, expected) => {
    expect(studentTwoSidedPValue(t, df)).toBeCloseTo(expected, 3);
  });
});

describe('meanDifference (Welch)', () => {
  it('matches a hand computation', () => {
    // a: scores 5, 6, 7 (mean 6, variance 1); b: scores 3, 5, 7 (mean 5, variance 4), as counts on a 1-7 scale.
    const a = meanAndVariance([0, 0, 0, 0, 1, 1, 1], 1);
    const b = meanAndVariance([0, 0, 1, 0, 1, 0, 1], 1);
    expect(a).toEqual({ responses: 3, mean: 6, variance: 1 });
    expect(b).toEqual({ responses: 3, mean: 5, variance: 4 });
    const result = meanDifference(a, b);
    // t = 1 / sqrt(1/3 + 4/3) = 0.774597; df = (5/3)^2 / ((1/3)^2/2 + (4/3)^2/2) = 2.941176.
    expect(result.difference).toBe(1);
    expect(result.t).toBeCloseTo(0.774597, 5);
    expect(result.degreesOfFreedom).toBeCloseTo(2.941176, 5);
    // By numerical integration of the t density: 0.496055.
    expect(result.pValue).toBeCloseTo(0.496055, 4);
    expect(result.significant).toBe(false);
  });

  it('has no test without answers or without variance', () => {
    expect(meanDifference(meanAndVariance([0, 0], 1), meanAndVariance([1, 1], 1))).toMatchObject({ difference: null, pValue: null });
    expect(meanDifference(meanAndVariance([2, 0], 1), meanAndVariance([0, 3], 1))).toMatchObject({ difference: -1, t: null, pValue: null });
    expect(meanDifference(meanAndVariance([1, 0], 1), meanAndVariance([0, 3], 1))).toMatchObject({ difference: -1, t: null, pValue: null });
  });
});
