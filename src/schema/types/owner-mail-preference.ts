import { setOwnerMailPreferenceOrThrow } from '../../core/follow-ups/owner-mail-preferences.js';
import { builder } from '../builder.js';
import { mutationErrors } from '../mutation-result.js';

const OwnerMailPreferenceRef = builder.prismaObject('OwnerMailPreference', {
  description:
    'What a follow-up owner is mailed: a mail as soon as a follow-up is raised for them or handed to them (default on), and a weekly digest on Monday morning in the workspace time zone (opt-in): open and overdue follow-ups, the NPS trend of their questions, low reviews on their sources unanswered past the reply policy.',
  fields: (t) => ({
    email: t.exposeString('email'),
    followUpRaised: t.exposeBoolean('followUpRaised'),
    weeklyDigest: t.exposeBoolean('weeklyDigest'),
    locale: t.exposeString('locale', { nullable: true, description: "The mails' language (nl, en, de, fr); null: the member's locale, else English." }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const SetOwnerMailPreferenceInput = builder.inputType('SetOwnerMailPreferenceInput', {
  fields: (t) => ({
    email: t.string({ required: true, description: 'The owner, as named on questions, surveys and review sources.' }),
    followUpRaised: t.boolean(),
    weeklyDigest: t.boolean(),
    locale: t.string({ description: 'nl, en, de or fr; null: the member’s locale, else English.' }),
  }),
});

builder.queryField('ownerMailPreferences', (t) =>
  t.prismaField({
    type: [OwnerMailPreferenceRef],
    authScopes: { read: 'surveys' },
    description: 'The owners who changed their mail settings; everyone else gets the immediate mail and no digest.',
    resolve: (query, _root, _args, ctx) => ctx.db.ownerMailPreference.findMany({ ...query, orderBy: [{ email: 'asc' }], take: 1000 }),
  }),
);

builder.mutationField('setOwnerMailPreference', (t) =>
  t.field({
    type: OwnerMailPreferenceRef,
    authScopes: { write: 'follow-ups' },
    description: 'Turns the immediate follow-up mail and the weekly digest on or off for an owner. Members without the admin role change only their own.',
    args: { input: t.arg({ type: SetOwnerMailPreferenceInput, required: true }) },
    errors: mutationErrors('SetOwnerMailPreference', 'preference'),
    resolve: (_root, { input }, ctx) => setOwnerMailPreferenceOrThrow(ctx.db, ctx.viewer, input),
  }),
);
