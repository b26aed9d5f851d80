import { describe, expect, it } from 'vitest';
import { definePlugin, z, type PluginDefinition } from '../src/core/plugin-sdk/index.js';
import { createRegistryOrThrow, PluginLoadError } from '../src/core/plugin-sdk/registry.js';
import { UnknownContributionError } from '../src/core/errors.js';
import { createLinkChannelPlugin } from '../src/plugins/link-channel/link-channel.plugin.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { createEchoPlugin } from './fixtures/echo-plugin.js';

const channel = (code: string) => ({
  code,
  description: 'x',
  settingsSchema: z.object({}),
  capabilities: ['link-only'] as const,
  address: null,
  consent: null,
  send: async () => ({ ok: true as const, status: 'SENT' as const }),
});
const plugin = (name: string, setup: PluginDefinition['setup'], extra: Partial<PluginDefinition> = {}) =>
  definePlugin({ name, version: '1.0.0', options: {}, optionsSchema: z.object({}), setup, ...extra });

describe('plugin registry', () => {
  it.each([
    ['a bad option', [createEchoPlugin({ greeting: '' })], 'Plugin "echo-plugin": options.greeting'],
    ['an unknown option', [createEchoPlugin({ greeting: 'hi', colour: 'red' })], 'Plugin "echo-plugin": options'],
    ['a malformed version', [plugin('p', () => ({}), { version: 'one' })], 'Plugin "p": plugin.version'],
    ['a missing setup', [{ name: 'p', version: '1.0.0', options: {}, optionsSchema: z.object({}) } as unknown as PluginDefinition], 'Plugin "p": plugin.setup'],
    ['a bad contribution code', [plugin('p', () => ({ surveyChannels: [channel('Bad Code')] }))], 'Plugin "p": surveyChannels[0].code'],
    ['an unknown capability', [plugin('p', () => ({ surveyChannels: [{ ...channel('abc'), capabilities: ['teleport'] as never }] }))], 'Plugin "p": surveyChannels[0].capabilities.0'],
    ['a missing function', [plugin('p', () => ({ surveyChannels: [{ ...channel('abc'), send: undefined as never }] }))], 'Plugin "p": surveyChannels[0].send'],
    [
      'a review platform without the function its capability needs',
      [
        plugin('p', () => ({
          reviewPlatforms: [
            {
              code: 'rev',
              displayName: 'Rev',
              description: 'x',
              settingsSchema: z.object({}),
              capabilities: ['reply'],
              ratingScale: { min: 1, max: 5 },
              allowsSelectiveInvitations: false,
              publishReply: async () => ({ publishedAt: new Date() }),
            },
          ],
        })),
      ],
      'Plugin "p": reviewPlatforms[0].deleteReply: is required by capability "reply"',
    ],
    [
      'two plugins claiming one code',
      [createLinkChannelPlugin(), plugin('other', () => ({ surveyChannels: [channel('link')] }))],
      'Plugin "other": surveyChannels[0].code: "link" is already registered by plugin "link-channel"',
    ],
    ['the same plugin twice', [createLinkChannelPlugin(), createLinkChannelPlugin()], 'Plugin "link-channel": name: is loaded twice'],
  ])('stops boot on %s, naming plugin and field', (_label, plugins, message) => {
    expect(() => createRegistryOrThrow(plugins)).toThrow(PluginLoadError);
    expect(() => createRegistryOrThrow(plugins)).toThrow(message);
  });

  it('looks contributions up by code; an unknown code is a typed error', () => {
    const registry = createRegistryOrThrow(resolvePlugins({ plugins: [createEchoPlugin()] }));
    expect(registry.surveyChannels.getByCodeOrThrow('link').code).toBe('link');
    expect(registry.segmentationModels.getByCodeOrThrow('echo-country').description).toBe('Customers in one country');
    expect(() => registry.surveyChannels.getByCodeOrThrow('pigeon')).toThrow(UnknownContributionError);
  });

  it('turns built-ins off by name and refuses unknown names', () => {
    expect(resolvePlugins({}).map((plugin) => plugin.name)).toContain('link-channel');
    expect(resolvePlugins({ builtins: { 'link-channel': false } }).map((plugin) => plugin.name)).not.toContain('link-channel');
    expect(() => resolvePlugins({ builtins: { nope: false } })).toThrow('builtins.nope');
  });
});
