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
export const PYRAMID_TIERS: readonly PyramidTier[] = ['TOP', 'LARGE', 'MEDIUM', 'SMALL', 'INACTIVE'];

/** Upper bound of each tier with revenue, as a percentage of customers ranked by revenue (inclusive). */
export const PYRAMID_BOUNDS = { TOP: 1, LARGE: 5, MEDIUM: 20 } as const;

/** The same rule in SQL: `rank` (1-based), `customers` and `revenue` are column expressions. */
export function pyramidTierSql(rank: string, customers: string, revenue: string): string {
  const percentile = `(${rank}) * 100.0 / (${customers})`;
  return `CASE WHEN ${revenue} <= 0 THEN 'INACTIVE' WHEN ${percentile} <= ${PYRAMID_BOUNDS.TOP} THEN 'TOP' WHEN ${percentile} <= ${PYRAMID_BOUNDS.LARGE} THEN 'LARGE'
               WHEN ${percentile} <= ${PYRAMID_BOUNDS.MEDIUM} THEN 'MEDIUM' ELSE 'SMALL' END`;
}

/**
 * Customer pyramid tier by rank: top 1% of customers by revenue, large (next to 5%), medium (next
 * to 20%), small (the rest with revenue), inactive (no revenue in the period).
 * `rank` is 1-based among customers sorted by revenue, high to low.
 */
export function pyramidTier(rank: number, customers: number, revenue: number): PyramidTier {
  if (revenue <= 0) return 'INACTIVE';
  const percentile = (rank / customers) * 100;
  if (percentile <= PYRAMID_BOUNDS.TOP) return 'TOP';
  if (percentile <= PYRAMID_BOUNDS.LARGE) return 'LARGE';
  if (percentile <= PYRAMID_BOUNDS.MEDIUM) return 'MEDIUM';
  return 'SMALL';
}
