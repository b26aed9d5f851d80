import { z } from 'zod';
import { JOURNEY_PHASES, touchpointType } from '../commerce/touchpoint.input.js';
import { locale, text } from '../validation.js';
import { SURVEY_TEXT_FIELDS, unknownPlaceholders, PLACEHOLDERS } from './survey-texts.js';

export const SURVEY_KINDS = ['NPS', 'CSAT', 'CES', 'CUSTOM'] as const;
export const QUESTION_TYPES = ['NPS', 'CSAT', 'CES', 'RATING', 'SINGLE_CHOICE', 'MULTIPLE_CHOICE', 'OPEN_TEXT'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** Fixed scales of the standard question types; RATING brings its own. */
export const FIXED_SCALES: Partial<Record<QuestionType, { min: number; max: number }>> = {
  NPS: { min: 0, max: 10 },
  CSAT: { min: 1, max: 5 },
  CES: { min: 1, max: 7 },
};

const templated = (max: number) =>
  text(max).superRefine((value, ctx) => {
    const unknown = unknownPlaceholders(value);
    if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown placeholder {${unknown[0]}}; known: ${PLACEHOLDERS.map((name) => `{${name}}`).join(', ')}` });
  });

const surveyText = z.object({ locale, ...Object.fromEntries(SURVEY_TEXT_FIELDS.map((field) => [field, templated(field === 'signature' ? 500 : 300).optional()])) }).strict();

const uniqueLocales = <T extends { locale: string }>(items: T[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.locale)) ctx.addIssue({ code: 'custom', path: [index, 'locale'], message: 'appears twice' });
    seen.add(item.locale);
  });
};

const localizedLabel = z.object({ locale, text: text(200) }).strict();
const questionText = z.object({ locale, text: templated(500), lowLabel: text(100).nullish(), highLabel: text(100).nullish() }).strict();
const option = z
  .object({ value: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, 'must be a lower-case code'), labels: z.array(localizedLabel).min(1, 'needs at least one label').superRefine(uniqueLocales) })
  .strict();

const questionFields = z
  .object({
    type: z.enum(QUESTION_TYPES),
    texts: z.array(questionText).min(1, 'needs the text in at least one locale').superRefine(uniqueLocales),
    scaleMin: z.number().int().min(0).max(100).nullish(),
    scaleMax: z.number().int().min(1).max(100).nullish(),
    options: z.array(option).max(30).nullish(),
    required: z.boolean().nullish(),
    ownerName: text(200).nullish(),
    ownerEmail: z.email({ message: 'must be an email address' }).nullish(),
  })
  .strict();

/** The fields of updateQuestion: only those sent change (texts and option labels merge per locale). */
export const questionChangesSchema = questionFields.partial().strict();
export type QuestionChanges = z.output<typeof questionChangesSchema>;

export const questionSchema = questionFields.superRefine((question, ctx) => {
  if (question.type === 'RATING') {
    if (question.scaleMin == null) ctx.addIssue({ code: 'custom', path: ['scaleMin'], message: 'is required for RATING questions' });
    if (question.scaleMax == null) ctx.addIssue({ code: 'custom', path: ['scaleMax'], message: 'is required for RATING questions' });
    if (question.scaleMin != null && question.scaleMax != null && (question.scaleMax <= question.scaleMin || question.scaleMax - question.scaleMin > 10)) {
      ctx.addIssue({ code: 'custom', path: ['scaleMax'], message: 'must be above scaleMin, with at most 11 points' });
    }
  } else if (question.scaleMin != null || question.scaleMax != null) {
    ctx.addIssue({ code: 'custom', path: [question.scaleMin != null ? 'scaleMin' : 'scaleMax'], message: `is fixed for ${question.type} questions` });
  }
  const choice = question.type === 'SINGLE_CHOICE' || question.type === 'MULTIPLE_CHOICE';
  if (choice) {
    if (!question.options || question.options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: 'needs at least two options' });
    const values = new Set<string>();
    question.options?.forEach((entry, index) => {
      if (values.has(entry.value)) ctx.addIssue({ code: 'custom', path: ['options', index, 'value'], message: 'appears twice' });
      values.add(entry.value);
    });
  } else if (question.options?.length) {
    ctx.addIssue({ code: 'custom', path: ['options'], message: `are only for choice questions` });
  }
});

export type QuestionInput = z.output<typeof questionSchema>;

const hours = (max: number) => z.number().int().min(0).max(max);

const surveyFields = z
  .object({
    name: text(200),
    kind: z.enum(SURVEY_KINDS),
    defaultLocale: locale,
    texts: z.array(surveyText).max(20).superRefine(uniqueLocales),
    channel: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,48}[a-z0-9]$/, 'must be a channel code')
      .nullable(),
    triggerTouchpointTypes: z.array(touchpointType).max(50),
    triggerJourneyPhases: z.array(z.enum(JOURNEY_PHASES)),
    delayHours: hours(24 * 90),
    maxAgeHours: hours(24 * 365).min(1),
    reminderAfterHours: hours(24 * 60)
      .min(1)
      .nullable(),
    expiresAfterDays: z.number().int().min(1).max(365),
    embedFirstQuestionPercent: z.number().int().min(0).max(100),
    ownerName: text(200).nullable(),
    ownerEmail: z.email({ message: 'must be an email address' }).nullable(),
  })
  .partial()
  .strict();

export const createSurveySchema = surveyFields.required({ name: true, kind: true }).extend({ questions: z.array(questionSchema).max(50).optional() });
export const updateSurveySchema = surveyFields.extend({ status: z.enum(['DRAFT', 'ACTIVE', 'CLOSED']).optional() });
export type SurveyFields = z.output<typeof surveyFields>;
