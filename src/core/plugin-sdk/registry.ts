import { z } from 'zod';
import { UnknownContributionError } from '../errors.js';
import { CONTRIBUTION_CODE } from './contribution.js';
import type { PluginContributions, PluginDefinition } from './define-plugin.js';
import { REQUIRED_FUNCTIONS, REVIEW_PLATFORM_CAPABILITIES, type ReviewPlatform } from './review-platform.js';
import type { CxSchemaBuilder } from './schema-builder.js';
import { SEGMENTATION_MODEL_CAPABILITIES, type SegmentationModel } from './segmentation-model.js';
import { SURVEY_CHANNEL_CAPABILITIES, type SurveyChannel } from './survey-channel.js';

/** Boot stops with this error: it names the plugin and the field at fault. */
export class PluginLoadError extends Error {
  constructor(
    readonly plugin: string,
    readonly field: string,
    problem: string,
  ) {
    super(`Plugin "${plugin}": ${field}: ${problem}`);
    this.name = 'PluginLoadError';
  }
}

export type ContributionKind = 'REVIEW_PLATFORM' | 'SURVEY_CHANNEL' | 'SEGMENTATION_MODEL';

export interface Registered<T> {
  plugin: { name: string; version: string };
  contribution: T;
}

/** One typed registry per contribution kind. */
export class ContributionRegistry<T extends { code: string }> {
  private readonly byCode = new Map<string, Registered<T>>();
  constructor(readonly kind: ContributionKind) {}

  add(plugin: { name: string; version: string }, contribution: T, field: string) {
    const existing = this.byCode.get(contribution.code);
    if (existing) {
      throw new PluginLoadError(plugin.name, `${field}.code`, `"${contribution.code}" is already registered by plugin "${existing.plugin.name}"`);
    }
    this.byCode.set(contribution.code, { plugin, contribution });
  }

  getByCodeOrThrow(code: string): T {
    const found = this.byCode.get(code);
    if (!found) throw new UnknownContributionError(this.kind, code);
    return found.contribution;
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  list(): Registered<T>[] {
    return [...this.byCode.values()];
  }
}

const isZodSchema = (value: unknown) => value instanceof z.ZodType;
const pluginShape = z.object({
  name: z.string().regex(/^(@[a-z0-9-]+\/)?[a-z0-9][a-z0-9.-]*$/, 'must be a lower-case package-style name'),
  version: z.string().regex(/^\d+\.\d+\.\d+([-+].+)?$/, 'must be a semantic version such as 1.0.0'),
  optionsSchema: z.custom<z.ZodType>(isZodSchema, 'must be a zod schema'),
  setup: z.custom<PluginDefinition['setup']>((value) => typeof value === 'function', 'must be a function'),
});

function contributionShape(capabilities: readonly string[]) {
  return z.object({
    code: z.string().regex(CONTRIBUTION_CODE, 'must be 3-50 lower-case letters, digits or dashes'),
    description: z.string().trim().min(1, 'must not be empty'),
    settingsSchema: z.custom<z.ZodType>(isZodSchema, 'must be a zod schema'),
    capabilities: z.array(z.enum(capabilities as [string, ...string[]])),
  });
}
const channelShape = contributionShape(SURVEY_CHANNEL_CAPABILITIES).extend({
  address: z.enum(['email', 'phone']).nullable(),
  consent: z.enum(['email', 'sms', 'phone']).nullable(),
  send: z.custom((value) => typeof value === 'function', 'must be a function'),
});
const modelShape = contributionShape(SEGMENTATION_MODEL_CAPABILITIES).extend({
  membership: z.custom(
    (value) => typeof value === 'function',
    'must be a function (SDK 2.0 replaced membershipCondition, SQL over the server tables, with membership(parameters, { eb, now }) over the restricted builder)',
  ),
});
const platformShape = contributionShape(REVIEW_PLATFORM_CAPABILITIES).extend({
  displayName: z.string().trim().min(1, 'must not be empty'),
  ratingScale: z.object({ min: z.number(), max: z.number() }).refine((scale) => scale.max > scale.min, 'max must exceed min'),
  allowsSelectiveInvitations: z.boolean(),
});

function checkShape(plugin: string, field: string, schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PluginLoadError(plugin, [field, ...(issue?.path ?? []).map(String)].join('.'), issue?.message ?? 'is invalid');
  }
}

export class PluginRegistry {
  readonly surveyChannels = new ContributionRegistry<SurveyChannel<unknown>>('SURVEY_CHANNEL');
  readonly segmentationModels = new ContributionRegistry<SegmentationModel<unknown>>('SEGMENTATION_MODEL');
  readonly reviewPlatforms = new ContributionRegistry<ReviewPlatform<unknown>>('REVIEW_PLATFORM');
  readonly plugins: Array<{ name: string; version: string }> = [];
  private readonly schemaExtensions: Array<{ plugin: string; register: (builder: CxSchemaBuilder) => void }> = [];

  /** Applies every plugin's schema extension; called once by the schema module. */
  extendSchema(builder: CxSchemaBuilder) {
    for (const extension of this.schemaExtensions) {
      try {
        extension.register(builder);
      } catch (error) {
        throw new PluginLoadError(extension.plugin, 'registerSchema', error instanceof Error ? error.message : String(error));
      }
    }
  }

  allContributions(): Array<Registered<{ code: string; description: string; capabilities: readonly string[] }> & { kind: ContributionKind }> {
    return [
      ...this.reviewPlatforms.list().map((entry) => ({ ...entry, kind: 'REVIEW_PLATFORM' as const })),
      ...this.surveyChannels.list().map((entry) => ({ ...entry, kind: 'SURVEY_CHANNEL' as const })),
      ...this.segmentationModels.list().map((entry) => ({ ...entry, kind: 'SEGMENTATION_MODEL' as const })),
    ];
  }

  /** Validates and registers one plugin; throws PluginLoadError naming the plugin and field. */
  load(definition: PluginDefinition) {
    const name = typeof definition?.name === 'string' ? definition.name : '(unnamed plugin)';
    checkShape(name, 'plugin', pluginShape, definition);
    if (this.plugins.some((plugin) => plugin.name === name)) throw new PluginLoadError(name, 'name', 'is loaded twice');
    const options = definition.optionsSchema.safeParse(definition.options ?? {});
    if (!options.success) {
      const issue = options.error.issues[0];
      throw new PluginLoadError(name, ['options', ...(issue?.path ?? []).map(String)].join('.'), issue?.message ?? 'is invalid');
    }
    let contributions: PluginContributions;
    try {
      contributions = definition.setup(options.data);
    } catch (error) {
      throw new PluginLoadError(name, 'setup', error instanceof Error ? error.message : String(error));
    }
    const plugin = { name, version: definition.version };
    (contributions.surveyChannels ?? []).forEach((channel, index) => {
      checkShape(name, `surveyChannels[${index}]`, channelShape, channel);
      this.surveyChannels.add(plugin, channel, `surveyChannels[${index}]`);
    });
    (contributions.segmentationModels ?? []).forEach((model, index) => {
      checkShape(name, `segmentationModels[${index}]`, modelShape, model);
      this.segmentationModels.add(plugin, model, `segmentationModels[${index}]`);
    });
    (contributions.reviewPlatforms ?? []).forEach((platform, index) => {
      const field = `reviewPlatforms[${index}]`;
      checkShape(name, field, platformShape, platform);
      for (const capability of platform.capabilities) {
        for (const fn of REQUIRED_FUNCTIONS[capability]) {
          if (typeof platform[fn] !== 'function') throw new PluginLoadError(name, `${field}.${String(fn)}`, `is required by capability "${capability}"`);
        }
      }
      this.reviewPlatforms.add(plugin, platform, field);
    });
    if (contributions.registerSchema) {
      if (typeof contributions.registerSchema !== 'function') throw new PluginLoadError(name, 'registerSchema', 'must be a function');
      this.schemaExtensions.push({ plugin: name, register: contributions.registerSchema });
    }
    this.plugins.push(plugin);
  }
}

/** Loads plugins in order; the first bad one stops everything. */
export function createRegistryOrThrow(plugins: PluginDefinition[]): PluginRegistry {
  const registry = new PluginRegistry();
  for (const plugin of plugins) registry.load(plugin);
  return registry;
}
