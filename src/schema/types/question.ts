import { addQuestionOrThrow, removeQuestionOrThrow, updateQuestionOrThrow } from '../../core/surveys/survey.service.js';
import { builder, type InputFieldBuilder } from '../builder.js';
import { idOfOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';
import { byLocale, LocalizedTextInput, LocalizedTextRef } from './localized.js';
import { QuestionTypeEnum } from './survey-enums.js';

interface QuestionTextShape {
  locale: string;
  text: string;
  lowLabel?: string | null;
  highLabel?: string | null;
}

const QuestionTextRef = builder.objectRef<QuestionTextShape>('QuestionText').implement({
  description: 'The question in one locale. Placeholders such as {subject} are filled per invitation.',
  fields: (t) => ({
    locale: t.exposeString('locale'),
    text: t.exposeString('text'),
    lowLabel: t.exposeString('lowLabel', { nullable: true, description: 'Label of the lowest score ("Not at all likely").' }),
    highLabel: t.exposeString('highLabel', { nullable: true }),
  }),
});

const QuestionOptionRef = builder.objectRef<{ value: string; labels: Record<string, string> }>('QuestionOption').implement({
  fields: (t) => ({
    value: t.exposeString('value', { description: 'Stable code stored with each answer.' }),
    labels: t.field({ type: [LocalizedTextRef], resolve: (option) => Object.entries(option.labels).map(([locale, text]) => ({ locale, text })) }),
  }),
});

export const QuestionRef = builder.prismaNode('Question', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { read: 'surveys' },
  description: 'One question of a survey, with its owner who follows up on the answers.',
  fields: (t) => ({
    position: t.exposeInt('position', { description: '0-based order in the survey.' }),
    type: t.expose('type', { type: QuestionTypeEnum }),
    texts: t.field({ type: [QuestionTextRef], resolve: (question) => byLocale<Omit<QuestionTextShape, 'locale'>>(question.texts) }),
    scaleMin: t.exposeInt('scaleMin', { nullable: true }),
    scaleMax: t.exposeInt('scaleMax', { nullable: true }),
    options: t.field({ type: [QuestionOptionRef], resolve: (question) => question.options as Array<{ value: string; labels: Record<string, string> }> }),
    required: t.exposeBoolean('required'),
    ownerName: t.exposeString('ownerName', { nullable: true, description: 'Person or team responsible for following up on answers.' }),
    ownerEmail: t.exposeString('ownerEmail', { nullable: true }),
    retiredAt: t.expose('retiredAt', { type: 'DateTime', nullable: true, description: 'Set when a question with answers was removed: kept for its answers, no longer asked.' }),
    survey: t.relation('survey'),
  }),
});

export const QuestionTextInput = builder.inputType('QuestionTextInput', {
  fields: (t) => ({ locale: t.string({ required: true }), text: t.string({ required: true }), lowLabel: t.string(), highLabel: t.string() }),
});

export const QuestionOptionInput = builder.inputType('QuestionOptionInput', {
  fields: (t) => ({ value: t.string({ required: true }), labels: t.field({ type: [LocalizedTextInput], required: true }) }),
});

/** The fields of a question; `whole` makes type and texts required (a new question), else every field is optional (changes). */
function questionFields(t: InputFieldBuilder, whole: boolean) {
  return {
    type: t.field({ type: QuestionTypeEnum, required: whole }),
    texts: t.field({ type: [QuestionTextInput], required: whole, description: whole ? undefined : 'Replaces the texts of the locales sent only.' }),
    scaleMin: t.int(),
    scaleMax: t.int(),
    options: t.field({ type: [QuestionOptionInput], description: whole ? undefined : 'Replaces the option list; labels of locales not sent are kept per option value.' }),
    required: t.boolean(),
    ownerName: t.string(),
    ownerEmail: t.string(),
  };
}

export const QuestionInput = builder.inputType('QuestionInput', {
  description: 'A question. NPS, CSAT and CES have fixed scales; RATING needs scaleMin and scaleMax; choice questions need options.',
  fields: (t) => questionFields(t, true),
});

const AddQuestionInput = builder.inputType('AddQuestionInput', {
  fields: (t) => ({ surveyId: t.id({ required: true }), position: t.int({ description: 'Defaults to the end.' }), question: t.field({ type: QuestionInput, required: true }) }),
});
export const QuestionChangesInput = builder.inputType('QuestionChangesInput', {
  description: 'The fields of a question to change; those left out stay. Texts and option labels merge per locale: a locale not sent keeps its text.',
  fields: (t) => questionFields(t, false),
});

const UpdateQuestionInput = builder.inputType('UpdateQuestionInput', {
  description: 'Changes only the fields sent. Once the question has answers, its type, scale and existing option values cannot change.',
  fields: (t) => ({ id: t.id({ required: true }), question: t.field({ type: QuestionChangesInput, required: true }) }),
});
const RemoveQuestionInput = builder.inputType('RemoveQuestionInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

builder.mutationFields((t) => ({
  addQuestion: t.field({
    type: QuestionRef,
    authScopes: { write: 'surveys' },
    args: { input: t.arg({ type: AddQuestionInput, required: true }) },
    errors: mutationErrors('AddQuestion', 'question'),
    resolve: (_root, { input }, ctx) => addQuestionOrThrow(ctx.db, idOfOrThrow(String(input.surveyId), 'Survey'), input.question, input.position),
  }),
  updateQuestion: t.field({
    type: QuestionRef,
    authScopes: { write: 'surveys' },
    args: { input: t.arg({ type: UpdateQuestionInput, required: true }) },
    errors: mutationErrors('UpdateQuestion', 'question'),
    resolve: (_root, { input }, ctx) => updateQuestionOrThrow(ctx.db, idOfOrThrow(String(input.id), 'Question'), input.question),
  }),
  removeQuestion: t.field({
    type: QuestionRef,
    authScopes: { write: 'surveys' },
    description: 'Deletes an unanswered question; a question with answers is retired instead (kept for its answers, no longer asked).',
    args: { input: t.arg({ type: RemoveQuestionInput, required: true }) },
    errors: mutationErrors('RemoveQuestion', 'question'),
    resolve: (_root, { input }, ctx) => removeQuestionOrThrow(ctx.db, idOfOrThrow(String(input.id), 'Question'), ctx.surveys.clock.now()),
  }),
}));
