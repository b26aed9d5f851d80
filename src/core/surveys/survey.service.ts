import { inWriteTransaction } from '../../db/write-transaction.js';
import type { ScopedPrisma } from '../../db/workspace-scope.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { findOrThrow } from '../commerce/references.js';
import { ConflictError, InUseError, ValidationError } from '../errors.js';
import { parseOrThrow } from '../validation.js';
import { DEFAULT_QUESTIONS } from './default-questions.js';
import { createSurveySchema, FIXED_SCALES, questionChangesSchema, questionSchema, updateSurveySchema, type QuestionInput, type SurveyFields } from './survey.input.js';

function textsRecord(texts: Array<{ locale: string } & Record<string, unknown>>): Prisma.InputJsonObject {
  return Object.fromEntries(texts.map(({ locale, ...rest }) => [locale, rest as Prisma.InputJsonObject]));
}

function surveyData(fields: SurveyFields) {
  const { texts, ...rest } = fields;
  return { ...rest, ...(texts ? { texts: textsRecord(texts) } : {}) };
}

/** Row data of a question: texts keyed by locale, options with labels keyed by locale. */
export function questionData(question: QuestionInput) {
  const scale = FIXED_SCALES[question.type];
  return {
    type: question.type,
    texts: textsRecord(question.texts),
    scaleMin: scale ? scale.min : question.type === 'RATING' ? question.scaleMin : null,
    scaleMax: scale ? scale.max : question.type === 'RATING' ? question.scaleMax : null,
    options: (question.options ?? []).map((entry) => ({ value: entry.value, labels: Object.fromEntries(entry.labels.map((label) => [label.locale, label.text])) })),
    required: question.required ?? false,
    ownerName: question.ownerName ?? null,
    ownerEmail: question.ownerEmail ?? null,
  };
}

export async function createSurvey(db: ScopedPrisma, input: unknown) {
  const { questions, ...fields } = parseOrThrow(createSurveySchema, input);
  // The standard question of the kind takes the survey's owner: its follow-ups go to someone.
  const list = questions?.length ? questions : fields.kind === 'CUSTOM' ? [] : [{ ...DEFAULT_QUESTIONS[fields.kind], ownerName: fields.ownerName ?? null, ownerEmail: fields.ownerEmail ?? null }];
  return inWriteTransaction(db, async ({ prisma: tx }) => {
    const survey = await tx.survey.create({ data: surveyData(fields) as Prisma.SurveyUncheckedCreateInput });
    if (list.length > 0) {
      await tx.question.createMany({ data: list.map((question, position) => ({ ...questionData(question), position, surveyId: survey.id, workspaceId: survey.workspaceId })) });
    }
    return survey;
  });
}

export async function updateSurveyOrThrow(db: ScopedPrisma, id: string, input: unknown) {
  const { status, ...fields } = parseOrThrow(updateSurveySchema, input);
  const survey = await findOrThrow(db.survey.findFirst({ where: { id } }), 'Survey', id);
  if (status && status !== survey.status) {
    if (status === 'ACTIVE' && (await db.question.count({ where: { surveyId: id, retiredAt: null } })) === 0) {
      throw new ValidationError([{ path: ['input', 'status'], message: 'a survey needs at least one question before it can be activated' }]);
    }
    if (status === 'DRAFT' && (await db.invitation.count({ where: { surveyId: id } })) > 0) {
      throw new ValidationError([{ path: ['input', 'status'], message: 'a survey that has sent invitations cannot go back to draft; close it instead' }]);
    }
  }
  return db.survey.update({ where: { id }, data: { ...surveyData(fields), ...(status ? { status } : {}) } as Prisma.SurveyUpdateInput });
}

export async function deleteSurveyOrThrow(db: ScopedPrisma, id: string) {
  const survey = await findOrThrow(db.survey.findFirst({ where: { id } }), 'Survey', id);
  if ((await db.surveyResponse.count({ where: { surveyId: id } })) > 0) {
    throw new InUseError('Survey', 'This survey has responses; close it instead of deleting it, so its results stay.');
  }
  await db.survey.delete({ where: { id } });
  return survey;
}

export async function addQuestionOrThrow(db: ScopedPrisma, surveyId: string, input: unknown, position?: number | null) {
  const question = parseOrThrow(questionSchema, input, ['input', 'question']);
  await findOrThrow(db.survey.findFirst({ where: { id: surveyId }, select: { id: true } }), 'Survey', surveyId);
  return inWriteTransaction(db, async ({ prisma: tx }) => {
    const count = await tx.question.count({ where: { surveyId } });
    const at = position == null ? count : Math.max(0, Math.min(position, count));
    await tx.question.updateMany({ where: { surveyId, position: { gte: at } }, data: { position: { increment: 1 } } });
    return tx.question.create({ data: { ...questionData(question), position: at, surveyId } as unknown as Prisma.QuestionUncheckedCreateInput });
  });
}

/** A stored question back in input form, so that changes can be merged onto it and validated as a whole. */
function questionInputOf(row: {
  type: string;
  texts: unknown;
  scaleMin: number | null;
  scaleMax: number | null;
  options: unknown;
  required: boolean;
  ownerName: string | null;
  ownerEmail: string | null;
}) {
  return {
    type: row.type as QuestionInput['type'],
    texts: Object.entries((row.texts ?? {}) as Record<string, object>).map(([locale, texts]) => ({ locale, ...texts })),
    scaleMin: row.type === 'RATING' ? row.scaleMin : null,
    scaleMax: row.type === 'RATING' ? row.scaleMax : null,
    options: (row.options as Array<{ value: string; labels?: Record<string, string> }>).map((entry) => ({
      value: entry.value,
      labels: Object.entries(entry.labels ?? {}).map(([locale, text]) => ({ locale, text })),
    })),
    required: row.required,
    ownerName: row.ownerName,
    ownerEmail: row.ownerEmail,
  };
}

/** Merges entries by key: those sent replace the stored one with the same key, the rest stay. */
const mergeBy = <T>(stored: T[], sent: T[], key: (item: T) => string) => {
  const sentKeys = new Set(sent.map(key));
  return [...stored.filter((item) => !sentKeys.has(key(item))), ...sent];
};

/**
 * Changes only the fields sent. Texts merge per locale and option labels per locale (a language not
 * sent is kept); options sent replace the list, keeping earlier labels. Once a question has answers,
 * its type, scale and existing option values are frozen: answers keep meaning what they meant.
 */
export async function updateQuestionOrThrow(db: ScopedPrisma, id: string, input: unknown) {
  const changes = parseOrThrow(questionChangesSchema, input, ['input', 'question']);
  const existing = await findOrThrow(db.question.findFirst({ where: { id } }), 'Question', id);
  const stored = questionInputOf(existing);
  const storedLabels = new Map(stored.options.map((entry) => [entry.value, entry.labels]));
  const merged = {
    ...stored,
    ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
    // A scale belongs to its type: changing the type drops a scale that was not sent again.
    ...(changes.type && changes.type !== stored.type ? { scaleMin: changes.scaleMin ?? null, scaleMax: changes.scaleMax ?? null } : {}),
    texts: mergeBy(stored.texts, changes.texts ?? [], (text) => text.locale),
    options: changes.options == null ? stored.options : changes.options.map((entry) => ({ ...entry, labels: mergeBy(storedLabels.get(entry.value) ?? [], entry.labels, (label) => label.locale) })),
  };
  const question = parseOrThrow(questionSchema, merged, ['input', 'question']);
  const data = questionData(question);
  const answered = (await db.answer.count({ where: { questionId: id } })) > 0;
  if (answered) {
    if (data.type !== existing.type) throw new ConflictError('type', 'This question has answers: its type cannot change. Add a new question and remove this one.');
    if (data.scaleMin !== existing.scaleMin || data.scaleMax !== existing.scaleMax)
      throw new ConflictError('scaleMax', 'This question has answers: its scale cannot change. Add a new question and remove this one.');
    const before = (existing.options as Array<{ value: string }>).map((entry) => entry.value);
    const after = new Set(data.options.map((entry) => entry.value));
    const dropped = before.filter((value) => !after.has(value));
    if (dropped.length > 0) throw new ConflictError('options', `This question has answers: option "${dropped[0]}" cannot be removed or renamed, only new options added.`);
  }
  return db.question.update({ where: { id }, data: data as Prisma.QuestionUpdateInput });
}

/** Deletes an unanswered question; a question with answers is retired (hidden from new respondents) instead. */
export async function removeQuestionOrThrow(db: ScopedPrisma, id: string, now: Date) {
  const existing = await findOrThrow(db.question.findFirst({ where: { id } }), 'Question', id);
  if ((await db.answer.count({ where: { questionId: id } })) > 0) {
    return db.question.update({ where: { id }, data: { retiredAt: existing.retiredAt ?? now } });
  }
  await db.question.delete({ where: { id } });
  return existing;
}

export async function updateContactPolicy(db: ScopedPrisma, input: { cap?: number | null; periodDays?: number | null }) {
  const issues = [];
  if (input.cap != null && (input.cap < 0 || input.cap > 100)) issues.push({ path: ['input', 'cap'], message: 'must be between 0 and 100' });
  if (input.periodDays != null && (input.periodDays < 1 || input.periodDays > 3650)) issues.push({ path: ['input', 'periodDays'], message: 'must be between 1 and 3650 days' });
  if (issues.length) throw new ValidationError(issues);
  return db.workspace.update({
    where: { id: '' },
    data: { ...(input.cap != null ? { contactCap: input.cap } : {}), ...(input.periodDays != null ? { contactPeriodDays: input.periodDays } : {}) },
  });
}
