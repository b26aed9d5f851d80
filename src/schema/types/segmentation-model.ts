import { z } from 'zod';
import { builder } from '../builder.js';

interface ModelView {
  code: string;
  description: string;
  plugin: string;
  capabilities: readonly string[];
  parametersSchema: Record<string, unknown>;
}

const SegmentationModelRef = builder.objectRef<ModelView>('SegmentationModel').implement({
  description: 'An installed way to compute segment membership.',
  fields: (t) => ({
    code: t.exposeString('code'),
    description: t.exposeString('description'),
    plugin: t.exposeString('plugin'),
    capabilities: t.exposeStringList('capabilities'),
    parametersSchema: t.expose('parametersSchema', { type: 'JSONObject', description: 'JSON Schema of the parameters, for rendering an editor.' }),
  }),
});

builder.queryField('segmentationModels', (t) =>
  t.field({
    type: [SegmentationModelRef],
    authScopes: { read: 'segments' },
    resolve: (_root, _args, ctx) =>
      ctx.registry.segmentationModels.list().map(({ plugin, contribution }) => ({
        code: contribution.code,
        description: contribution.description,
        plugin: plugin.name,
        capabilities: contribution.capabilities,
        parametersSchema: z.toJSONSchema(contribution.settingsSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
      })),
  }),
);
