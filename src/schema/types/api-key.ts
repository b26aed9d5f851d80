import { createApiKey, revokeApiKeyOrThrow } from '../../core/auth/api-key.service.js';
import { findPage } from '../keyset.js';
import { ALL_SCOPES } from '../../core/auth/scopes.js';
import { builder } from '../builder.js';
import { checkedMaxSize } from '../connection-size.js';
import { idOfOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';

export const ApiKeyRef = builder.prismaNode('ApiKey', {
  id: { field: 'id' },
  // node(id) with a missing or foreign id resolves to null instead of failing.
  nullable: true,
  authScopes: { admin: true },
  description: 'A key for the API. Only its prefix is kept; the secret is shown once, at creation.',
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'Public part of the key, to recognise it.' }),
    scopes: t.exposeStringList('scopes'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'Accurate to about a minute.' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('apiKeys', (t) =>
  t.prismaConnection({
    type: 'ApiKey',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { admin: true },
    description: 'API keys of this workspace, newest first.',
    resolve: (query, _root, _args, ctx) => findPage(ctx.db.apiKey, query, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    totalCount: (_root, _args, ctx) => ctx.db.apiKey.count(),
  }),
);

interface CreatedApiKeyShape {
  secret: string;
  apiKey: typeof ApiKeyRef.$inferType;
}
const CreatedApiKeyRef = builder.objectRef<CreatedApiKeyShape>('CreatedApiKey').implement({
  description: 'A new key. `secret` is the full key: store it now, it cannot be shown again.',
  fields: (t) => ({ secret: t.exposeString('secret'), apiKey: t.field({ type: ApiKeyRef, resolve: (created) => created.apiKey }) }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    scopes: t.stringList({ required: true, description: `Any of: ${ALL_SCOPES.join(', ')}. write implies read; admin implies all.` }),
  }),
});
const RevokeApiKeyInput = builder.inputType('RevokeApiKeyInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKeyRef,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    errors: mutationErrors('CreateApiKey', 'created'),
    resolve: async (_root, { input }, ctx) => {
      const created = await createApiKey(ctx.db, ctx.viewer.workspaceId, input);
      const apiKey = await ctx.db.apiKey.findFirstOrThrow({ where: { id: created.id } });
      return { secret: created.plaintext, apiKey };
    },
  }),
  revokeApiKey: t.field({
    type: ApiKeyRef,
    authScopes: { admin: true },
    description: 'Revokes a key at once; requests with it fail from then on.',
    args: { input: t.arg({ type: RevokeApiKeyInput, required: true }) },
    errors: mutationErrors('RevokeApiKey', 'apiKey'),
    resolve: async (_root, { input }, ctx) => {
      const revoked = await revokeApiKeyOrThrow(ctx.db, ctx.viewer.workspaceId, idOfOrThrow(String(input.id), 'ApiKey'));
      ctx.apiKeys.forget(revoked.id);
      return revoked;
    },
  }),
}));
