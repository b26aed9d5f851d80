import { builder } from '../builder.js';
import { WorkspaceRef } from './workspace.js';

const ViewerRef = builder.objectRef<{ scopes: string[]; apiKeyId: string }>('Viewer').implement({
  description: 'The caller: the API key and its workspace.',
  fields: (t) => ({
    scopes: t.exposeStringList('scopes', { description: 'What the key may do: area:read, area:write or admin.' }),
    apiKeyId: t.exposeID('apiKeyId'),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: ViewerRef,
    authScopes: { authenticated: true },
    description: 'Who is calling and what the key may do.',
    resolve: (_root, _args, ctx) => ({ scopes: [...ctx.viewer.scopes], apiKeyId: ctx.viewer.apiKeyId }),
  }),
  workspace: t.prismaField({
    type: WorkspaceRef,
    authScopes: { authenticated: true },
    description: "The caller's workspace.",
    resolve: (query, _root, _args, ctx) => ctx.db.workspace.findUniqueOrThrow({ ...query, where: { id: ctx.viewer.workspaceId } }),
  }),
}));
