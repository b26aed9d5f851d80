import { describe, expect, it } from 'vitest';
import { averageOrderValue, customerValue, periodUnits, purchaseFrequency, repeatCustomerRate, shareOfWallet, walletShares } from './commerce.js';
import { dropOff } from './drop-off.js';
import { responseRate } from './response-rate.js';
import { churnRate, retentionRate } from './retention.js';

describe('survey rates', () => {
  it.each([
    [30, 100, 30],
    [0, 100, 0],
    [0, 0, null],
  ] as const)('response rate %d / %d', (completed, delivered, expected) => {
    expect(responseRate(completed, delivered)).toBe(expected);
  });

  it.each([
    [10, 2, 20],
    [0, 0, null],
  ] as const)('drop-off %d reached, %d abandoned', (reached, abandoned, expected) => {
    expect(dropOff(reached, abandoned)).toBe(expected);
  });
});

describe('retention and churn', () => {
  it.each([
    // 200 at start, 20 lost, 50 acquired: 230 at end; retention (230 - 50) / 200 = 90%, churn 10%.
    ['typical', { atStart: 200, atEnd: 230, acquired: 50, lostFromStart: 20 }, 90, 10],
    ['nobody at start', { atStart: 0, atEnd: 10, acquired: 10, lostFromStart: 0 }, null, null],
    ['everyone left', { atStart: 10, atEnd: 0, acquired: 0, lostFromStart: 10 }, 0, 100],
    ['all kept, none acquired', { atStart: 10, atEnd: 10, acquired: 0, lostFromStart: 0 }, 100, 0],
  ] as const)('%s', (_name, counts, retention, churn) => {
    expect(retentionRate(counts)).toBe(retention);
    expect(churnRate(counts)).toBe(churn);
  });
});

describe('commerce', () => {
  const counts = { orders: 150, orderingCustomers: 100, repeatCustomers: 30, revenue: 7500 };
  it('repeat rate, frequency, AOV and customer value', () => {
    expect(repeatCustomerRate(counts)).toBe(30);
    expect(purchaseFrequency(counts)).toBe(1.5);
    expect(averageOrderValue(counts)).toBe(50);
    expect(customerValue(counts)).toBe(75);
  });

  it('has no value without orders', () => {
    const none = { orders: 0, orderingCustomers: 0, repeatCustomers: 0, revenue: 0 };
    expect([repeatCustomerRate(none), purchaseFrequency(none), averageOrderValue(none), customerValue(none)]).toEqual([null, null, null, null]);
  });

  it.each([
    [120, 150, 80],
    [120, null, null],
    [10, 0, null],
  ] as const)('share of wallet %d of %s', (us, total, expected) => {
    expect(shareOfWallet(us, total)).toBe(expected);
  });
});

describe('share of wallet over a period', () => {
  it.each([
    ['2026-01-01', '2026-02-01', 'MONTH', 1],
    ['2026-02-01', '2026-03-01', 'MONTH', 1],
    ['2026-01-01', '2027-01-01', 'MONTH', 12],
    ['2026-01-01', '2027-01-01', 'YEAR', 1],
    ['2026-04-01', '2026-07-01', 'YEAR', 0.25],
    ['2026-03-02', '2026-03-09', 'WEEK', 1],
    ['2026-01-01', '2026-02-01', 'WEEK', 31 / 7],
    ['2026-03-15', '2026-04-15', 'MONTH', 31 / 30.4375],
    ['2026-03-15', '2027-03-15', 'YEAR', 365 / 365.25],
  ] as const)('%s to %s in %s: %d', (from, to, per, expected) => {
    expect(periodUnits(from, to, per)).toBeCloseTo(expected, 10);
  });

  it.each([
    ['none known', [], { share: null, meanShare: null, overTotal: 0 }],
    ['120 of 150', [{ spendWithUs: 120, categorySpend: 150 }], { share: 80, meanShare: 80, overTotal: 0 }],
    [
      'pooled vs mean, one over its stated total (capped at 100 in the mean)',
      [
        { spendWithUs: 120, categorySpend: 150 },
        { spendWithUs: 0, categorySpend: 50 },
        { spendWithUs: 300, categorySpend: 200 },
      ],
      { share: 105, meanShare: (80 + 0 + 100) / 3, overTotal: 1 },
    ],
  ] as const)('%s', (_name, rows, expected) => {
    const result = walletShares(rows);
    expect(result.share).toBe(expected.share);
    if (expected.meanShare === null) expect(result.meanShare).toBeNull();
    else expect(result.meanShare).toBeCloseTo(expected.meanShare, 10);
    expect(result.overTotal).toBe(expected.overTotal);
  });
});
