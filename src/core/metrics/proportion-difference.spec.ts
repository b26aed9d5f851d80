import { describe, expect, it } from 'vitest';
import { proportionDifference } from './proportion-difference.js';

describe('proportionDifference (pooled two-proportion z-test)', () => {
  it.each([
    // a (count/total), b (count/total), difference in points, z, two-sided p, significant
    [{ count: 3, total: 10 }, { count: 7, total: 10 }, 40, 1.788854, 0.073638, false],
    [{ count: 120, total: 400 }, { count: 150, total: 400 }, 7.5, 2.243089, 0.024891, true],
    [{ count: 40, total: 200 }, { count: 38, total: 180 }, 1.111111, 0.267763, 0.788882, false],
    [{ count: 50, total: 100 }, { count: 50, total: 100 }, 0, 0, 1, false],
  ] as const)('%o vs %o', (a, b, difference, z, pValue, significant) => {
    const result = proportionDifference(a, b);
    expect(result.difference).toBeCloseTo(difference, 5);
    expect(result.z).toBeCloseTo(z, 5);
    expect(result.pValue).toBeCloseTo(pValue, 5);
    expect(result.significant).toBe(significant);
  });

  it('has no test without trials on a side, and none without variance', () => {
    expect(proportionDifference({ count: 0, total: 0 }, { count: 3, total: 10 })).toMatchObject({ difference: null, z: null, pValue: null, significant: false });
    expect(proportionDifference({ count: 10, total: 10 }, { count: 20, total: 20 })).toMatchObject({ difference: 0, z: null, pValue: 1, significant: false });
  });

  it('flags sides below 50 delivered invitations as low samples', () => {
    expect(proportionDifference({ count: 3, total: 49 }, { count: 7, total: 50 }).lowSample).toEqual({ a: true, b: false });
  });
});
