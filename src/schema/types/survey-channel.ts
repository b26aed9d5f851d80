import { configureSurveyChannelOrThrow } from '../../core/surveys/channel-settings.service.js';
import { updateContactPolicy } from '../../core/surveys/survey.service.js';
import { builder } from '../builder.js';
import { mutationErrors } from '../mutation-result.js';
import { WorkspaceRef } from './workspace.js';

interface ChannelView {
  code: string;
  description: string;
  capabilities: readonly string[];
  plugin: string;
  enabled: boolean;
  ready: boolean;
  settingKeys: string[];
  problem: string | null;
}

const SurveyChannelRef = builder.objectRef<ChannelView>('SurveyChannel').implement({
  description: 'An installed survey channel and its state in this workspace. Setting values are never returned (they may hold secrets).',
  fields: (t) => ({
    code: t.exposeString('code'),
    description: t.exposeString('description'),
    capabilities: t.exposeStringList('capabilities'),
    plugin: t.exposeString('plugin'),
    enabled: t.exposeBoolean('enabled'),
    ready: t.exposeBoolean('ready', { description: 'Enabled and its settings pass the channel’s schema: invitations can go out through it.' }),
    settingKeys: t.exposeStringList('settingKeys', { description: 'Names of the settings stored for this workspace.' }),
    problem: t.exposeString('problem', { nullable: true, description: 'Why the channel is not ready.' }),
  }),
});

builder.queryField('surveyChannels', (t) =>
  t.field({
    type: [SurveyChannelRef],
    authScopes: { read: 'surveys' },
    resolve: async (_root, _args, ctx) => {
      const rows = await ctx.db.surveyChannelSetting.findMany({});
      const byCode = new Map(rows.map((row) => [row.code, row]));
      return ctx.registry.surveyChannels.list().map(({ plugin, contribution }) => {
        const row = byCode.get(contribution.code);
        const parsed = contribution.settingsSchema.safeParse(row?.settings ?? {});
        const enabled = row?.enabled ?? true;
        return {
          code: contribution.code,
          description: contribution.description,
          capabilities: contribution.capabilities,
          plugin: plugin.name,
          enabled,
          ready: enabled && parsed.success,
          settingKeys: Object.keys((row?.settings ?? {}) as object),
          problem: !enabled ? 'switched off' : parsed.success ? null : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`).join('; '),
        };
      });
    },
  }),
);

const ConfigureSurveyChannelInput = builder.inputType('ConfigureSurveyChannelInput', {
  fields: (t) => ({
    code: t.string({ required: true }),
    enabled: t.boolean(),
    settings: t.field({ type: 'JSONObject', description: 'Validated by the channel’s settings schema; omitted: keep the stored settings.' }),
  }),
});

const ConfiguredChannelRef = builder.objectRef<{ code: string; enabled: boolean }>('ConfiguredSurveyChannel').implement({
  fields: (t) => ({ code: t.exposeString('code'), enabled: t.exposeBoolean('enabled') }),
});

const ContactPolicyInput = builder.inputType('UpdateContactPolicyInput', {
  fields: (t) => ({
    cap: t.int({ description: 'Invitations per customer per period, all surveys together (reminders excluded).' }),
    periodDays: t.int({ description: 'Rolling period in days.' }),
  }),
});

builder.objectFields(WorkspaceRef, (t) => ({
  contactCap: t.exposeInt('contactCap', { description: 'Contact pressure: at most this many survey invitations per customer per period (default 2).' }),
  contactPeriodDays: t.exposeInt('contactPeriodDays', { description: 'The rolling period of the cap, in days (default 365).' }),
}));

builder.mutationFields((t) => ({
  configureSurveyChannel: t.field({
    type: ConfiguredChannelRef,
    authScopes: { admin: true },
    description: 'Stores a channel’s settings for this workspace (SMTP server, SMS provider ...), validated by the channel.',
    args: { input: t.arg({ type: ConfigureSurveyChannelInput, required: true }) },
    errors: mutationErrors('ConfigureSurveyChannel', 'channel'),
    resolve: (_root, { input }, ctx) => configureSurveyChannelOrThrow(ctx.db, ctx.registry, input),
  }),
  updateContactPolicy: t.field({
    type: WorkspaceRef,
    authScopes: { admin: true },
    args: { input: t.arg({ type: ContactPolicyInput, required: true }) },
    errors: mutationErrors('UpdateContactPolicy', 'workspace'),
    resolve: (_root, { input }, ctx) => updateContactPolicy(ctx.db, input),
  }),
}));
