import type { PluginDefinition } from '../core/plugin-sdk/index.js';
import { createLinkChannelPlugin } from './link-channel/link-channel.plugin.js';

/** Plugins that ship with cx-graph, enabled unless the configuration turns them off by name. */
export const BUILTIN_PLUGINS: Record<string, (options?: unknown) => PluginDefinition> = {
  'link-channel': createLinkChannelPlugin,
};
