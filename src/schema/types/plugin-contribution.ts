import { builder } from '../builder.js';

const ContributionKindEnum = builder.enumType('ContributionKind', {
  values: ['REVIEW_PLATFORM', 'SURVEY_CHANNEL', 'SEGMENTATION_MODEL'] as const,
});

builder.prismaObject('PluginContribution', {
  description: 'A review platform, survey channel or segmentation model a plugin provides. Removed ones stay, disabled.',
  fields: (t) => ({
    kind: t.expose('kind', { type: ContributionKindEnum }),
    code: t.exposeString('code'),
    pluginName: t.exposeString('pluginName'),
    pluginVersion: t.exposeString('pluginVersion'),
    description: t.exposeString('description'),
    capabilities: t.exposeStringList('capabilities'),
    enabled: t.exposeBoolean('enabled'),
    firstSeenAt: t.expose('firstSeenAt', { type: 'DateTime' }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('pluginContributions', (t) =>
  t.prismaField({
    type: ['PluginContribution'],
    authScopes: { authenticated: true },
    description: 'Everything plugins contribute to this server, enabled first.',
    args: { kind: t.arg({ type: ContributionKindEnum }) },
    resolve: (query, _root, { kind }, ctx) => ctx.db.pluginContribution.findMany({ ...query, where: kind ? { kind } : {}, orderBy: [{ enabled: 'desc' }, { kind: 'asc' }, { code: 'asc' }] }),
  }),
);
