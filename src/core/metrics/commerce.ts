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
