export const PARETO_TOPS = [1, 5, 10, 20] as const;

/**
 * Share of revenue (0-100) brought by the top x% of customers, from revenues sorted high to low.
 * The top x% is ceil(x/100 * customers) customers, at least one.
 */
export function paretoShares(revenuesDescending: readonly number[]): Array<{ topPercent: number; customers: number; revenueShare: number | null }> {
  const total = revenuesDescending.reduce((sum, revenue) => sum + revenue, 0);
  return PARETO_TOPS.map((topPercent) => {
    const customers = revenuesDescending.length === 0 ? 0 : Math.max(1, Math.ceil((topPercent / 100) * revenuesDescending.length));
    const top = revenuesDescending.slice(0, customers).reduce((sum, revenue) => sum + revenue, 0);
    return { topPercent, customers, revenueShare: total > 0 ? (top / total) * 100 : null };
  });
}

export type PyramidTier = 'TOP' | 'LARGE' | 'MEDIUM' | 'SMALL' | 'INACTIVE';

/**
 * Customer pyramid tier by rank: top 1% of customers by revenue, large (next to 5%), medium (next
 * to 20%), small (the rest with revenue), inactive (no revenue in the period).
 * `rank` is 1-based among customers sorted by revenue, high to low.
 */
export function pyramidTier(rank: number, customers: number, revenue: number): PyramidTier {
  if (revenue <= 0) return 'INACTIVE';
  const percentile = (rank / customers) * 100;
  if (percentile <= 1) return 'TOP';
  if (percentile <= 5) return 'LARGE';
  if (percentile <= 20) return 'MEDIUM';
  return 'SMALL';
}
