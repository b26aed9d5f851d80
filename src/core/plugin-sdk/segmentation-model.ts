import type { Sql } from '@prisma/client/runtime/client';
import type { Contribution } from './contribution.js';

export const SEGMENTATION_MODEL_CAPABILITIES = ['explain', 'incremental', 'time-travel'] as const;
export type SegmentationModelCapability = (typeof SEGMENTATION_MODEL_CAPABILITIES)[number];

/** What a model's condition may refer to besides the customer row `c`. */
export interface SegmentationContext {
  workspaceId: string;
  /** The moment of the computation: windows such as "the last 90 days" end here. */
  now: Date;
}

/**
 * Groups customers by a rule that runs in the database. `settingsSchema` is the model's parameter
 * schema: a segment's parameters are validated by it, and it is published as JSON Schema so a
 * frontend can render an editor.
 *
 * @example
 * const country: SegmentationModel<{ country: string }> = {
 *   code: 'country', description: 'Customers in one country', capabilities: [],
 *   settingsSchema: z.object({ country: z.string().length(2) }),
 *   membershipCondition: ({ country }) => sql`c."country" = ${country}`,
 * };
 */
export interface SegmentationModel<Parameters = unknown> extends Contribution<SegmentationModelCapability, Parameters> {
  /**
   * A condition over the customer row aliased `c` (and the workspace in `$workspaceId`), built with
   * the `sql` tag so every parameter is bound, never spliced into the text.
   */
  membershipCondition(parameters: Parameters, context: SegmentationContext): Sql;
  /** Why a customer is in the segment, in words, from the parameters (and the customer row). */
  explain?(parameters: Parameters, customer: Record<string, unknown>): string[];
}
