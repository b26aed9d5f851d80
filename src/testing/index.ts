/**
 * cx-graph/testing: what a plugin author needs to test a plugin the way the built-in ones are
 * tested. The contract suites use vitest (a peer dependency of this entry point).
 */
import type { PluginContributions, PluginDefinition } from '../core/plugin-sdk/index.js';

export { createFakeChannel } from './fake-channel.js';
export { createFakeReviewPlugin, fakeReviewPlatform, fakeReviewStore, fakeStrictReviewPlatform, FakeReviewStore } from './fake-review-platform.js';
export { fakeSegmentationModel, fakeSegmentationPlugin } from './fake-segmentation-model.js';
export { sampleInvitation, surveyChannelContract, type SurveyChannelCase } from './survey-channel-contract.js';

/** What a plugin contributes, after its options are validated as the server does at boot. */
export function contributionsOf(plugin: PluginDefinition): PluginContributions {
  const parsed = plugin.optionsSchema.safeParse(plugin.options);
  if (!parsed.success) throw new Error(`Plugin "${plugin.name}": ${parsed.error.issues.map((issue) => `options.${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return plugin.setup(parsed.data);
}
