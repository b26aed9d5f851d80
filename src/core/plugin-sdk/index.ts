/** The plugin SDK: the only module plugins import. */
// The same runtime the generated client uses, so fragments built here are the client's own Sql objects.
export { empty, join, raw, sqltag as sql, Sql } from '@prisma/client/runtime/client';
export * from './rules.js';
export { CONTRIBUTION_CODE, type Contribution } from './contribution.js';
export { definePlugin, type PluginContributions, type PluginDefinition } from './define-plugin.js';
export * from './platform-http.js';
export * from './review-platform.js';
export type { CxSchemaBuilder, CxSchemaTypes, PluginRequestContext } from './schema-builder.js';
export * from './segmentation-model.js';
export * from './survey-channel.js';
export { z } from 'zod';
export { NPS_GROUPS, NPS_GROUP_NAMES, type NpsGroup } from '../metrics/score-groups.js';
export { PYRAMID_BOUNDS, PYRAMID_TIERS, type PyramidTier } from '../metrics/pareto.js';
