import { z } from 'zod';
import { builder } from '../builder.js';

interface PlatformView {
  code: string;
  displayName: string;
  description: string;
  plugin: string;
  capabilities: readonly string[];
  ratingScale: { min: number; max: number };
  allowsSelectiveInvitations: boolean;
  settingsSchema: Record<string, unknown>;
}

const RatingScaleRef = builder.objectRef<{ min: number; max: number }>('RatingScale').implement({
  description: "A platform's own rating scale.",
  fields: (t) => ({ min: t.exposeFloat('min'), max: t.exposeFloat('max') }),
});

export const ReviewPlatformRef = builder.objectRef<PlatformView>('ReviewPlatform').implement({
  description: 'An installed review platform plugin.',
  fields: (t) => ({
    code: t.exposeString('code'),
    displayName: t.exposeString('displayName'),
    description: t.exposeString('description'),
    plugin: t.exposeString('plugin'),
    capabilities: t.exposeStringList('capabilities', { description: 'list, reply, invite, push, aggregates-only.' }),
    ratingScale: t.field({ type: RatingScaleRef, resolve: (p) => p.ratingScale }),
    allowsSelectiveInvitations: t.exposeBoolean('allowsSelectiveInvitations', { description: 'False where inviting only selected (happy) customers is forbidden.' }),
    settingsSchema: t.expose('settingsSchema', { type: 'JSONObject', description: 'JSON Schema of the settings a source of this platform needs.' }),
  }),
});

builder.queryField('reviewPlatforms', (t) =>
  t.field({
    type: [ReviewPlatformRef],
    authScopes: { read: 'reviews' },
    resolve: (_root, _args, ctx) =>
      ctx.registry.reviewPlatforms.list().map(({ plugin, contribution }) => ({
        code: contribution.code,
        displayName: contribution.displayName,
        description: contribution.description,
        plugin: plugin.name,
        capabilities: contribution.capabilities,
        ratingScale: contribution.ratingScale,
        allowsSelectiveInvitations: contribution.allowsSelectiveInvitations,
        settingsSchema: z.toJSONSchema(contribution.settingsSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
      })),
  }),
);
