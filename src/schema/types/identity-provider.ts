import { configureIdentityProvider, removeIdentityProvider } from '../../core/auth/identity-provider.js';
import { TOKEN_ALGORITHMS } from '../../core/auth/token-verifier.js';
import { builder } from '../builder.js';
import { mutationErrors } from '../mutation-result.js';

const IdentityProviderRef = builder.prismaObject('IdentityProvider', {
  description: `The OpenID Connect provider whose tokens sign members in. Tokens must be signed with ${TOKEN_ALGORITHMS.join(', ')}.`,
  fields: (t) => ({
    issuer: t.exposeString('issuer', { description: "The tokens' iss; discovery at <issuer>/.well-known/openid-configuration." }),
    audience: t.exposeString('audience', { description: 'The aud tokens must carry.' }),
    jwksUrl: t.exposeString('jwksUrl', { nullable: true, description: "Where the signing keys are; null: the discovery document's jwks_uri." }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryField('identityProvider', (t) =>
  t.prismaField({
    type: IdentityProviderRef,
    nullable: true,
    authScopes: { admin: true },
    description: "The workspace's identity provider, or null when members cannot sign in yet (admins only).",
    // The spread is typed loosely: comparing the scoped client's select type here exceeds the compiler's depth limit.
    resolve: (query, _root, _args, ctx) => ctx.db.identityProvider.findFirst({ ...(query as object), where: {} }),
  }),
);

const ConfigureIdentityProviderInput = builder.inputType('ConfigureIdentityProviderInput', {
  fields: (t) => ({
    issuer: t.string({ required: true, description: 'An https URL, exactly as the tokens name it in iss.' }),
    audience: t.string({ required: true, description: "The aud the provider puts in tokens for this API (often the API's identifier or the client id)." }),
    jwksUrl: t.string({ description: 'Only when the provider publishes no discovery document.' }),
  }),
});
const RemoveIdentityProviderInput = builder.inputType('RemoveIdentityProviderInput', { fields: (t) => ({ confirm: t.boolean({ required: true, description: 'Must be true.' }) }) });

builder.mutationFields((t) => ({
  configureIdentityProvider: t.field({
    type: IdentityProviderRef,
    authScopes: { admin: true },
    description: "Sets the OpenID Connect provider whose tokens sign this workspace's members in (admins).",
    args: { input: t.arg({ type: ConfigureIdentityProviderInput, required: true }) },
    errors: mutationErrors('ConfigureIdentityProvider', 'identityProvider'),
    resolve: async (_root, { input }, ctx) => {
      const row = await configureIdentityProvider(ctx.surveys.sql, ctx.viewer.workspaceId, input, ctx.identity.allowLoopbackHttp, ctx.surveys.clock.now());
      ctx.identity.invalidate();
      return row;
    },
  }),
  removeIdentityProvider: t.boolean({
    authScopes: { admin: true },
    description: 'Stops members signing in with tokens (API keys keep working). True when there was a provider.',
    args: { input: t.arg({ type: RemoveIdentityProviderInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      if (input.confirm !== true) return false;
      const removed = await removeIdentityProvider(ctx.surveys.sql, ctx.viewer.workspaceId);
      ctx.identity.invalidate();
      return removed;
    },
  }),
}));
