import type { PluginDefinition } from '../core/plugin-sdk/index.js';
import { createEmailChannelPlugin } from './email-channel/email-channel.plugin.js';
import { createInAppChannelPlugin } from './in-app-channel/in-app-channel.plugin.js';
import { createLinkChannelPlugin } from './link-channel/link-channel.plugin.js';
import { createPhoneChannelPlugin } from './phone-channel/phone-channel.plugin.js';
import { createSmsChannelPlugin } from './sms-channel/sms-channel.plugin.js';
import { createWidgetChannelPlugin } from './widget-channel/widget-channel.plugin.js';
import { createAttributeModelsPlugin } from './attribute-models/attribute-models.plugin.js';
import { createBehaviourModelPlugin } from './behaviour-model/behaviour-model.plugin.js';
import { createNeedsModelPlugin } from './needs-model/needs-model.plugin.js';
import { createNpsGroupModelPlugin } from './nps-group-model/nps-group-model.plugin.js';
import { createValueModelsPlugin } from './value-models/value-models.plugin.js';
import { createTrustpilotPlugin } from './trustpilot/trustpilot.plugin.js';
import { createGooglePlugin } from './google/google.plugin.js';
import { createKiyohPlugin } from './kiyoh/kiyoh.plugin.js';
import { createGenericReviewsPlugin } from './generic-reviews/generic-reviews.plugin.js';

/** Plugins that ship with cx-graph, enabled unless the configuration turns them off by name. */
export const BUILTIN_PLUGINS: Record<string, (options?: unknown) => PluginDefinition> = {
  'link-channel': createLinkChannelPlugin,
  'email-channel': createEmailChannelPlugin,
  'sms-channel': createSmsChannelPlugin,
  'widget-channel': createWidgetChannelPlugin,
  'in-app-channel': createInAppChannelPlugin,
  'phone-channel': createPhoneChannelPlugin,
  'attribute-models': createAttributeModelsPlugin,
  'behaviour-model': createBehaviourModelPlugin,
  'value-models': createValueModelsPlugin,
  'needs-model': createNeedsModelPlugin,
  'nps-group-model': createNpsGroupModelPlugin,
  trustpilot: createTrustpilotPlugin,
  google: createGooglePlugin,
  kiyoh: createKiyohPlugin,
  'generic-reviews': createGenericReviewsPlugin,
};
