import { describe, expect, it } from 'vitest';
import { npsDifference } from './nps-difference.js';

describe('npsDifference', () => {
  it('computes the z-test of two NPS values', () => {
    // a: 60% promoters, 20% detractors of 400 (NPS 40); b: 50%/30% of 400 (NPS 20).
    // var_a = .8 - .16 = .64; var_b = .8 - .04 = .76; se = sqrt(.64/400 + .76/400) = .059161; z = .2/.059161 = 3.3806
    const result = npsDifference({ responses: 400, promoters: 240, detractors: 80 }, { responses: 400, promoters: 200, detractors: 120 });
    expect(result.difference).toBeCloseTo(20, 10);
    expect(result.z).toBeCloseTo(3.3806, 4);
    expect(result.pValue).toBeCloseTo(0.000723, 5);
    expect(result.significant).toBe(true);
    expect(result.lowSample).toEqual({ a: false, b: false });
  });

  it.each([
    ['small samples are not significant', { responses: 20, promoters: 12, detractors: 4 }, { responses: 20, promoters: 10, detractors: 6 }, false, { a: true, b: true }],
    ['equal values', { responses: 200, promoters: 100, detractors: 50 }, { responses: 300, promoters: 150, detractors: 75 }, false, { a: false, b: false }],
  ] as const)('%s', (_name, a, b, significant, lowSample) => {
    const result = npsDifference(a, b);
    expect(result.significant).toBe(significant);
    expect(result.lowSample).toEqual(lowSample);
  });

  it('has no difference without answers on a side', () => {
    expect(npsDifference({ responses: 0, promoters: 0, detractors: 0 }, { responses: 10, promoters: 5, detractors: 0 })).toMatchObject({ difference: null, pValue: null, significant: false });
  });

  it('handles samples without spread', () => {
    expect(npsDifference({ responses: 150, promoters: 150, detractors: 0 }, { responses: 150, promoters: 150, detractors: 0 })).toMatchObject({ difference: 0, pValue: 1, significant: false });
  });
});
