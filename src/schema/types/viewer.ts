import { builder } from '../builder.js';

export const WorkspaceRef = builder.prismaObject('Workspace', {
  description: 'The tenant: one company. Every object belongs to exactly one workspace.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    timeZone: t.exposeString('timeZone', { description: 'IANA zone used for day and month buckets.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

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
