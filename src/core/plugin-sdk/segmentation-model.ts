import type { Contribution } from './contribution.js';
import type { SegmentationExpressionBuilder, SegmentCondition } from './segmentation-tables.js';

export const SEGMENTATION_MODEL_CAPABILITIES = ['explain', 'incremental', 'time-travel'] as const;
export type SegmentationModelCapability = (typeof SEGMENTATION_MODEL_CAPABILITIES)[number];

/** What a model's condition is built with. */
export interface SegmentationContext {
  /**
   * The restricted, workspace-scoped builder: the customer row `customer`, and `orders`,
   * `touchpoints` and `answers` of the same workspace (see `SegmentationTables`).
   */
  eb: SegmentationExpressionBuilder;
  /** The moment of the computation: windows such as "the last 90 days" end here. */
  now: Date;
}

/**
 * Groups customers by a rule that runs in the database. `settingsSchema` is the model's parameter
 * schema: a segment's parameters are validated by it, and it is published as JSON Schema so a
 * frontend can render an editor.
 *
 * Since SDK 2.0 a model builds its condition with the builder it is given (`membership`), not as SQL
 * text over the server's tables (`membershipCondition`, removed): values are always bound
 * parameters, only the workspace's rows are visible, and the server checks the condition (tables,
 * functions, casts) before running it.
 *
 * @example
 * const country: SegmentationModel<{ country: string }> = {
 *   code: 'country', description: 'Customers in one country', capabilities: [],
 *   settingsSchema: z.object({ country: z.string().length(2) }),
 *   membership: ({ country }, { eb }) => eb('customer.country', '=', country),
 * };
 */
export interface SegmentationModel<Parameters = unknown> extends Contribution<SegmentationModelCapability, Parameters> {
  /** The condition over the customer row `customer` that holds for the segment's members. */
  membership(parameters: Parameters, context: SegmentationContext): SegmentCondition;
  /** Why a customer is in the segment, in words, from the parameters (and the customer row). */
  explain?(parameters: Parameters, customer: Record<string, unknown>): string[];
}
