import type { z } from 'zod';

/**
 * What every contribution point shares: a stable code (stored with the rows it produces), a zod
 * schema for its per-workspace settings, a description for people, and declared capabilities.
 */
export interface Contribution<Capability extends string, Settings> {
  /** Lower-case, stable, unique per kind across all plugins: `trustpilot`, `email`, `rfm`. */
  code: string;
  description: string;
  settingsSchema: z.ZodType<Settings>;
  capabilities: readonly Capability[];
}

export const CONTRIBUTION_CODE = /^[a-z][a-z0-9-]{1,48}[a-z0-9]$/;
