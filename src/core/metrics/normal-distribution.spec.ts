import { describe, expect, it } from 'vitest';
import { erfc, twoSidedPValue } from './normal-distribution.js';

describe('normal distribution', () => {
  it.each([
    [0, 1],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047266],
    [-1, 1.8427007929497148],
  ])('erfc(%d)', (x, expected) => {
    expect(erfc(x)).toBeCloseTo(expected, 6);
  });

  it.each([
    [0, 1],
    [1.959963984540054, 0.05],
    [2.5758293035489, 0.01],
    [-1.6448536269514722, 0.1],
    [10, 0],
  ])('p(|Z| > %d)', (z, p) => {
    expect(twoSidedPValue(z)).toBeCloseTo(p, 6);
  });
});
