import { percentage, quotient } from './ratio.js';

export interface OrderCounts {
  orders: number;
  /** Unique customers with at least one order in the period. */
  orderingCustomers: number;
  /** Customers with more than one order in the period. */
  repeatCustomers: number;
  revenue: number;
}

/** Customers with more than one order / unique ordering customers x 100. */
export function repeatCustomerRate(counts: OrderCounts): number | null {
  return percentage(counts.repeatCustomers, counts.orderingCustomers);
}

/** Orders / unique ordering customers. */
export function purchaseFrequency(counts: OrderCounts): number | null {
  return quotient(counts.orders, counts.orderingCustomers);
}

/** Average order value: revenue / orders. */
export function averageOrderValue(counts: OrderCounts): number | null {
  return quotient(counts.revenue, counts.orders);
}

/** Customer value per period: purchase frequency x AOV (= revenue / ordering customers). */
export function customerValue(counts: OrderCounts): number | null {
  const frequency = purchaseFrequency(counts);
  const aov = averageOrderValue(counts);
  return frequency === null || aov === null ? null : frequency * aov;
}

/** Share of wallet: spend with us / the customer's total spend in the category x 100 (e.g. 120 of 150 = 80). */
export function shareOfWallet(spendWithUs: number, totalCategorySpend: number | null): number | null {
  return totalCategorySpend === null || totalCategorySpend <= 0 ? null : (spendWithUs / totalCategorySpend) * 100;
}

export const WALLET_PERIODS = ['WEEK', 'MONTH', 'YEAR'] as const;
export type WalletPeriod = (typeof WALLET_PERIODS)[number];

/**
 * How many weeks, months or years a period of calendar days (`to` exclusive) spans, to scale a
 * customer's stated spend per week/month/year to the period: whole calendar months and years
 * count exactly (February is one month); other spans count by days (30.4375 a month, 365.25 a year).
 */
export function periodUnits(from: string, to: string, per: WalletPeriod): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const days = (Date.UTC(ty, tm - 1, td) - Date.UTC(fy, fm - 1, fd)) / 86_400_000;
  if (per === 'WEEK') return days / 7;
  if (fd === 1 && td === 1) {
    const months = (ty - fy) * 12 + (tm - fm);
    if (per === 'MONTH') return months;
    if (fm === 1 && tm === 1) return ty - fy;
    return months / 12;
  }
  return per === 'MONTH' ? days / 30.4375 : days / 365.25;
}

/** Share of wallet over customers with a known category spend: the pooled share (sum with us / sum of their totals) and the mean of each customer's share, capped at 100. */
export function walletShares(rows: ReadonlyArray<{ spendWithUs: number; categorySpend: number }>): { share: number | null; meanShare: number | null; overTotal: number } {
  const known = rows.filter((row) => row.categorySpend > 0);
  if (known.length === 0) return { share: null, meanShare: null, overTotal: 0 };
  const us = known.reduce((sum, row) => sum + row.spendWithUs, 0);
  const total = known.reduce((sum, row) => sum + row.categorySpend, 0);
  const mean = known.reduce((sum, row) => sum + Math.min(100, shareOfWallet(row.spendWithUs, row.categorySpend)!), 0) / known.length;
  return { share: shareOfWallet(us, total), meanShare: mean, overTotal: known.filter((row) => row.spendWithUs > row.categorySpend).length };
}
