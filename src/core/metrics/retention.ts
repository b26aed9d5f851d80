import { z } from 'zod';
import { percentage } from './ratio.js';

/** Retention by activity: the days without an order that end a relationship (the workspace setting and the metrics argument). */
export const inactiveAfterDaysSchema = z.number().int().min(1, 'must be from 1 to 3650 days').max(3650, 'must be from 1 to 3650 days');

export interface RetentionCounts {
  /** Customers whose relationship began before the start and had not ended at the start. */
  atStart: number;
  /** Customers at the end (began before the end, not ended at the end). */
  atEnd: number;
  /** Customers who began during the period and are still customers at the end. */
  acquired: number;
  /** Customers at the start whose relationship ended during the period. */
  lostFromStart: number;
}

/** Retention = (at end - acquired) / at start x 100. */
export function retentionRate(counts: RetentionCounts): number | null {
  return percentage(counts.atEnd - counts.acquired, counts.atStart);
}

/** Churn = customers at start who ended during the period / at start x 100. */
export function churnRate(counts: RetentionCounts): number | null {
  return percentage(counts.lostFromStart, counts.atStart);
}
