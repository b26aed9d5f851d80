import type { z } from 'zod';
import type { ReviewPlatform } from './review-platform.js';
import type { CxSchemaBuilder } from './schema-builder.js';
import type { SegmentationModel } from './segmentation-model.js';
import type { SurveyChannel } from './survey-channel.js';

/** What a plugin adds once its options are parsed. */
export interface PluginContributions {
  reviewPlatforms?: ReviewPlatform<unknown>[];
  surveyChannels?: SurveyChannel<unknown>[];
  segmentationModels?: SegmentationModel<unknown>[];
  /** Adds types or fields to the GraphQL schema through the shared builder. */
  registerSchema?(builder: CxSchemaBuilder): void;
}

export interface PluginDefinition<Schema extends z.ZodType = z.ZodType> {
  /** npm-style name, unique among loaded plugins. */
  name: string;
  /** Semantic version, recorded with what the plugin contributes. */
  version: string;
  /** Options are parsed with this schema at boot; a bad option stops the server. */
  optionsSchema: Schema;
  /** The raw options as written in the configuration. */
  options: unknown;
  setup(options: z.output<Schema>): PluginContributions;
}

/**
 * Declares a plugin. Plugins are plain objects made by a factory that receives the options:
 *
 * @example
 * export function createLinkChannelPlugin(options: unknown = {}) {
 *   return definePlugin({
 *     name: 'link-channel', version: '1.0.0', options,
 *     optionsSchema: z.object({}),
 *     setup: () => ({ surveyChannels: [linkChannel] }),
 *   });
 * }
 */
export function definePlugin<Schema extends z.ZodType>(definition: PluginDefinition<Schema>): PluginDefinition<Schema> {
  return definition;
}
