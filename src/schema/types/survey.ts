import type { Prisma } from '../../generated/prisma/client.js';
import { createSurvey, deleteSurveyOrThrow, updateSurveyOrThrow } from '../../core/surveys/survey.service.js';
import { surveyStats } from '../../core/surveys/survey-stats.js';
import { surveyAbResults } from '../../core/surveys/ab-results.js';
import { builder, type InputFieldBuilder } from '../builder.js';
import { findPage } from '../keyset.js';
import { listReads } from '../compiled-reads.js';
import { plannedConnection } from '../planned-reads/planned-list.js';
import { checkedMaxSize } from '../connection-size.js';
import { idOfOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';
import { JourneyPhaseEnum } from './enums.js';
import { byLocale } from './localized.js';
import { QuestionInput } from './question.js';
import { SurveyStatsRef } from './survey-stats.js';
import { SurveyAbResultsRef } from './survey-ab-results.js';
import { SurveyKindEnum, SurveyStatusEnum } from './survey-enums.js';

const TEXT_FIELD_DOCS = {
  title: 'Page title.',
  whyWeAsk: 'Why we ask, in the invitation and on the first page.',
  reason: 'The concrete reason, e.g. "On {date} you bought {subject}." Falls back to a generic line when a placeholder has no value.',
  duration: 'How long it takes ("It takes about 2 minutes").',
  signature: 'Personal signature under the invitation.',
  subject: 'Subject line of the invitation.',
  reminderSubject: 'Subject line of the reminder.',
  buttonLabel: 'The one button in the invitation.',
  thankYou: 'Shown after the last question.',
} as const;
type TextShape = { locale: string } & Partial<Record<keyof typeof TEXT_FIELD_DOCS, string>>;

const SurveyTextRef = builder.objectRef<TextShape>('SurveyText').implement({
  description:
    'Texts of a survey in one locale. Placeholders: {subject}, {date}, {firstName}, {businessUnit}, {company}. Empty fields use the built-in texts of the language (nl, en, de, fr); {company} is the workspace’s companyName.',
  fields: (t) => ({
    locale: t.exposeString('locale'),
    ...Object.fromEntries(Object.entries(TEXT_FIELD_DOCS).map(([field, description]) => [field, t.exposeString(field as keyof typeof TEXT_FIELD_DOCS, { nullable: true, description })])),
  }),
});

export const SurveyTextInput = builder.inputType('SurveyTextInput', {
  fields: (t) => ({
    locale: t.string({ required: true }),
    ...Object.fromEntries(Object.entries(TEXT_FIELD_DOCS).map(([field, description]) => [field, t.string({ description })])),
  }),
});

export const SurveyRef = builder.prismaNode('Survey', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { read: 'surveys' },
  description: 'A questionnaire, when it is sent (triggers, delay, maximum age, reminder) and how.',
  fields: (t) => ({
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: SurveyKindEnum }),
    status: t.expose('status', { type: SurveyStatusEnum }),
    defaultLocale: t.exposeString('defaultLocale', { description: 'Fallback locale when the customer’s locale has no texts.' }),
    texts: t.field({ type: [SurveyTextRef], resolve: (survey) => byLocale<Omit<TextShape, 'locale'>>(survey.texts) }),
    channel: t.exposeString('channel', { nullable: true, description: 'Forced channel; null: the customer’s preferred or last-used channel.' }),
    triggerTouchpointTypes: t.exposeStringList('triggerTouchpointTypes', { description: 'New touchpoints of these types schedule an invitation.' }),
    triggerJourneyPhases: t.expose('triggerJourneyPhases', { type: [JourneyPhaseEnum], description: 'New touchpoints in these phases schedule an invitation.' }),
    delayHours: t.exposeInt('delayHours', { description: 'Time between the touchpoint and the invitation (default 72).' }),
    maxAgeHours: t.exposeInt('maxAgeHours', { description: 'Never ask about a moment older than this (default 336 = 14 days).' }),
    reminderAfterHours: t.exposeInt('reminderAfterHours', {
      nullable: true,
      description: 'One reminder this long after sending, only to those who have not completed (default 168 = 7 days); null: none.',
    }),
    expiresAfterDays: t.exposeInt('expiresAfterDays', { description: 'The personal link works this long after sending.' }),
    embedFirstQuestionPercent: t.exposeInt('embedFirstQuestionPercent', { description: 'A/B test: share of invitations (variant B) that show the first question in the message itself.' }),
    ownerName: t.exposeString('ownerName', { nullable: true, description: 'Follows up on answers to questions that name no owner of their own.' }),
    ownerEmail: t.exposeString('ownerEmail', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    questions: t.relation('questions', {
      args: { includeRetired: t.arg.boolean({ defaultValue: false }) },
      query: (args) => ({ where: args.includeRetired ? {} : { retiredAt: null }, orderBy: { position: 'asc' } }),
    }),
    invitations: t.relatedConnection('invitations', {
      cursor: 'id',
      totalCount: true,
      maxSize: checkedMaxSize,
      description: 'Invitations of this survey, newest first (use the root invitations query to filter).',
      query: () => ({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    }),
    responses: t.relatedConnection('responses', {
      cursor: 'id',
      totalCount: true,
      maxSize: checkedMaxSize,
      description: 'Responses, partial and complete, newest first.',
      query: () => ({ orderBy: [{ startedAt: 'desc' }, { id: 'desc' }] }),
    }),
    abResults: t.field({
      type: SurveyAbResultsRef,
      authScopes: { read: 'metrics' },
      description:
        'The A/B test (variant B embeds the first question in the message): per variant invitations, response and completion rates and first-question scores, with a significance test of the response-rate difference.',
      select: { workspaceId: true },
      resolve: (survey, _args, ctx) => surveyAbResults(ctx.surveys.sql, survey.workspaceId, survey.id),
    }),
    stats: t.field({
      type: SurveyStatsRef,
      authScopes: { read: 'metrics' },
      description: 'Invitations by status and skip reason, response rate (completed / delivered) and drop-off per question.',
      select: { workspaceId: true },
      resolve: (survey, _args, ctx) => surveyStats(ctx.surveys.sql, survey.workspaceId, survey.id),
    }),
  }),
});

const SurveyFilter = builder.inputType('SurveyFilter', {
  fields: (t) => ({ status: t.field({ type: SurveyStatusEnum }), kind: t.field({ type: SurveyKindEnum }) }),
});

function surveyWhere(filter: typeof SurveyFilter.$inferInput | null | undefined): Prisma.SurveyWhereInput {
  return { ...(filter?.status ? { status: filter.status } : {}), ...(filter?.kind ? { kind: filter.kind } : {}) };
}

builder.queryField('surveys', (t) =>
  plannedConnection(t)({
    type: 'Survey',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'surveys' },
    description: 'Surveys, newest first.',
    args: { filter: t.arg({ type: SurveyFilter }) },
    resolve: (query, _root, { filter }, ctx) => findPage(listReads(ctx, 'survey'), query, { where: surveyWhere(filter), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    totalCount: (_root, { filter }, ctx) => ctx.db.survey.count({ where: surveyWhere(filter) }),
  }),
);

function surveyInputFields(t: InputFieldBuilder) {
  return {
    name: t.string(),
    defaultLocale: t.string(),
    texts: t.field({ type: [SurveyTextInput] }),
    channel: t.string(),
    triggerTouchpointTypes: t.stringList(),
    triggerJourneyPhases: t.field({ type: [JourneyPhaseEnum] }),
    delayHours: t.int(),
    maxAgeHours: t.int(),
    reminderAfterHours: t.int({ description: 'null: no reminder.' }),
    expiresAfterDays: t.int(),
    embedFirstQuestionPercent: t.int(),
    ownerName: t.string({ description: 'Who follows up on answers to questions without an owner of their own (the standard question included).' }),
    ownerEmail: t.string(),
  };
}

const CreateSurveyInput = builder.inputType('CreateSurveyInput', {
  fields: (t) => ({
    ...surveyInputFields(t),
    name: t.string({ required: true }),
    kind: t.field({ type: SurveyKindEnum, required: true }),
    questions: t.field({ type: [QuestionInput], description: 'Defaults to the standard question of the kind (NPS, CSAT, CES).' }),
  }),
});
const UpdateSurveyInput = builder.inputType('UpdateSurveyInput', {
  fields: (t) => ({ id: t.id({ required: true }), status: t.field({ type: SurveyStatusEnum }), ...surveyInputFields(t) }),
});
const DeleteSurveyInput = builder.inputType('DeleteSurveyInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

/** GraphQL leaves absent fields undefined and explicit nulls null; zod sees the same. */
const withoutId = <T extends { id: unknown }>({ id: _id, ...rest }: T) => rest;

builder.mutationFields((t) => ({
  createSurvey: t.field({
    type: SurveyRef,
    authScopes: { write: 'surveys' },
    description: 'Creates a survey in DRAFT. Activate it with updateSurvey(status: ACTIVE).',
    args: { input: t.arg({ type: CreateSurveyInput, required: true }) },
    errors: mutationErrors('CreateSurvey', 'survey'),
    resolve: (_root, { input }, ctx) => createSurvey(ctx.db, input),
  }),
  updateSurvey: t.field({
    type: SurveyRef,
    authScopes: { write: 'surveys' },
    args: { input: t.arg({ type: UpdateSurveyInput, required: true }) },
    errors: mutationErrors('UpdateSurvey', 'survey'),
    resolve: (_root, { input }, ctx) => updateSurveyOrThrow(ctx.db, idOfOrThrow(String(input.id), 'Survey'), withoutId(input)),
  }),
  deleteSurvey: t.field({
    type: SurveyRef,
    authScopes: { write: 'surveys' },
    description: 'Deletes a survey without responses; close a survey with responses instead.',
    args: { input: t.arg({ type: DeleteSurveyInput, required: true }) },
    errors: mutationErrors('DeleteSurvey', 'survey'),
    resolve: (_root, { input }, ctx) => deleteSurveyOrThrow(ctx.db, idOfOrThrow(String(input.id), 'Survey')),
  }),
}));
