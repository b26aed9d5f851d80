import { access } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PluginDefinition } from '../core/plugin-sdk/index.js';
import { BUILTIN_PLUGINS } from './builtins.js';

/** `cx-graph.config.ts` (or the file in CX_CONFIG): the plugins this server runs. */
export interface CxGraphConfigFile {
  /** Plugins to load in addition to the built-ins, in order. */
  plugins?: PluginDefinition[];
  /** Built-ins: `false` turns one off, an object passes options to it. */
  builtins?: Record<string, false | { options: unknown }>;
}

export function defineConfig(config: CxGraphConfigFile): CxGraphConfigFile {
  return config;
}

export async function readConfigFile(file = process.env.CX_CONFIG ?? 'cx-graph.config.ts'): Promise<CxGraphConfigFile> {
  const absolute = path.resolve(file);
  try {
    await access(absolute);
  } catch {
    if (process.env.CX_CONFIG) throw new Error(`CX_CONFIG points at ${absolute}, which does not exist`);
    return {};
  }
  const loaded = (await import(pathToFileURL(absolute).href)) as { default?: CxGraphConfigFile };
  if (!loaded.default || typeof loaded.default !== 'object') throw new Error(`${file} must export a default configuration (defineConfig({...}))`);
  return loaded.default;
}

/** The explicit plugin list: built-ins (unless turned off) followed by configured plugins. */
export function resolvePlugins(config: CxGraphConfigFile): PluginDefinition[] {
  for (const name of Object.keys(config.builtins ?? {})) {
    if (!(name in BUILTIN_PLUGINS)) throw new Error(`builtins.${name}: no built-in plugin has this name (known: ${Object.keys(BUILTIN_PLUGINS).join(', ')})`);
  }
  const builtins = Object.entries(BUILTIN_PLUGINS).flatMap(([name, factory]) => {
    const setting = config.builtins?.[name];
    if (setting === false) return [];
    return [factory(setting?.options)];
  });
  return [...builtins, ...(config.plugins ?? [])];
}
