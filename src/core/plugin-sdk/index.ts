/** The plugin SDK: the only module plugins import. */
/** The SDK's version: 2.0 replaced segmentation models' SQL text (`membershipCondition`) with the restricted builder (`membership`). */
export const SDK_VERSION = '2.0.0';
export type { Expression, SqlBool } from 'kysely';
export * from './rules.js';
export { CONTRIBUTION_CODE, type Contribution } from './contribution.js';
export { definePlugin, type PluginContributions, type PluginDefinition } from './define-plugin.js';
export * from './platform-http.js';
export * from './review-platform.js';
export type { CxSchemaBuilder, CxSchemaTypes, PluginRequestContext } from './schema-builder.js';
export * from './segmentation-model.js';
export * from './segmentation-tables.js';
export * from './survey-channel.js';
export { z } from 'zod';
export { NPS_GROUPS, NPS_GROUP_NAMES, type NpsGroup } from '../metrics/score-groups.js';
export { PYRAMID_BOUNDS, PYRAMID_TIERS, type PyramidTier } from '../metrics/pareto.js';
