import { describe, expect, it } from 'vitest';
import { ces } from './ces.js';
import { csat } from './csat.js';

describe('csat', () => {
  it.each([
    ['no answers', [0, 0, 0, 0, 0], null, null],
    ['all 5', [0, 0, 0, 0, 10], 100, 5],
    ['boundary 3 is not satisfied', [0, 0, 1, 0, 0], 0, 3],
    ['boundary 4 is satisfied', [0, 0, 0, 1, 0], 100, 4],
    ['mixed', [1, 1, 2, 3, 3], 60, 3.6],
  ] as const)('%s', (_name, counts, share, mean) => {
    const result = csat(counts);
    expect(result.goodShare === null ? null : Number(result.goodShare.toFixed(10))).toBe(share);
    expect(result.mean === null ? null : Number(result.mean.toFixed(10))).toBe(mean);
  });

  it('flags fewer than 50 answers', () => {
    expect(csat([0, 0, 0, 0, 49]).lowSample).toBe(true);
    expect(csat([0, 0, 0, 0, 50]).lowSample).toBe(false);
  });
});

describe('ces', () => {
  it.each([
    ['no answers', [0, 0, 0, 0, 0, 0, 0], null, null],
    ['boundary 4 does not agree', [0, 0, 0, 1, 0, 0, 0], 0, 4],
    ['boundary 5 agrees', [0, 0, 0, 0, 1, 0, 0], 100, 5],
    ['mixed', [1, 0, 0, 1, 1, 1, 1], 60, 4.6],
  ] as const)('%s', (_name, counts, share, mean) => {
    const result = ces(counts);
    expect(result.goodShare === null ? null : Number(result.goodShare.toFixed(10))).toBe(share);
    expect(result.mean === null ? null : Number(result.mean.toFixed(10))).toBe(mean);
  });
});
