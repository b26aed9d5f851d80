import { describe, expect, it } from 'vitest';
import { paretoShares, pyramidTier } from './pareto.js';

describe('paretoShares', () => {
  it('reports the share of the top 1/5/10/20%', () => {
    // 100 customers: one brings 500, four bring 100 each, the rest 5 each (95 x 5 = 475).
    const revenues = [500, 100, 100, 100, 100, ...Array(95).fill(5)];
    const shares = paretoShares(revenues);
    const total = 500 + 400 + 475;
    expect(shares.map((s) => s.customers)).toEqual([1, 5, 10, 20]);
    expect(shares[0]!.revenueShare).toBeCloseTo((500 / total) * 100, 10);
    expect(shares[1]!.revenueShare).toBeCloseTo((900 / total) * 100, 10);
    expect(shares[3]!.revenueShare).toBeCloseTo(((900 + 15 * 5) / total) * 100, 10);
  });

  it('rounds the top group up to at least one customer', () => {
    expect(paretoShares([10, 5, 5]).map((s) => s.customers)).toEqual([1, 1, 1, 1]);
  });

  it('has no shares without revenue', () => {
    expect(paretoShares([]).every((s) => s.revenueShare === null)).toBe(true);
    expect(paretoShares([0, 0]).every((s) => s.revenueShare === null)).toBe(true);
  });
});

describe('pyramidTier', () => {
  it.each([
    [1, 100, 50, 'TOP'],
    [2, 100, 50, 'LARGE'],
    [5, 100, 50, 'LARGE'],
    [6, 100, 50, 'MEDIUM'],
    [20, 100, 50, 'MEDIUM'],
    [21, 100, 50, 'SMALL'],
    [100, 100, 1, 'SMALL'],
    [3, 100, 0, 'INACTIVE'],
  ] as const)('rank %d of %d with revenue %d -> %s', (rank, customers, revenue, tier) => {
    expect(pyramidTier(rank, customers, revenue)).toBe(tier);
  });
});
