import { describe, expect, it } from 'vitest';
import { isLowSample } from './low-sample.js';

describe('isLowSample', () => {
  it.each([
    ['NPS', 0, true],
    ['NPS', 99, true],
    ['NPS', 100, false],
    ['SINGLE', 49, true],
    ['SINGLE', 50, false],
  ] as const)('%s with %d answers -> %s', (kind, n, expected) => {
    expect(isLowSample(kind, n)).toBe(expected);
  });
});
