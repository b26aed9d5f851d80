import type { Sql } from '../../generated/prisma/internal/prismaNamespace.js';
import type { Contribution } from './contribution.js';

export const SEGMENTATION_MODEL_CAPABILITIES = ['explain', 'incremental', 'time-travel'] as const;
export type SegmentationModelCapability = (typeof SEGMENTATION_MODEL_CAPABILITIES)[number];

/**
 * Groups customers by a rule that runs in the database.
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
  membershipCondition(parameters: Parameters, context: { workspaceId: string }): Sql;
  /** Human-readable reasons a customer matches, when the model declares `explain`. */
  explain?(parameters: Parameters, customer: Record<string, unknown>): string[];
}
