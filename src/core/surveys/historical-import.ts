import { z } from 'zod';
import { run } from '../../db/kysely.js';
import type { SqlConnection, SqlRunner } from '../../db/sql-runner.js';
import { idsByExternalId, insertImportedAnswers, insertImportedResponses, questionColumns, surveyForImport, surveyQuestionRules } from './historical-import.queries.js';
import { JOURNEY_PHASES } from '../commerce/touchpoint.input.js';
import { BulkImportRejectedError, NotFoundError, type RecordIssue } from '../errors.js';
import { externalId } from '../validation.js';
import { validateAnswer, type AnswerInput, type CleanAnswer, type QuestionRule } from './answer-validation.js';

/** At most this many responses per call; the CLI sends larger files in batches of it. */
export const MAX_HISTORICAL_RESPONSES = 5_000;

const answerSchema = z
  .object({
    questionId: z.uuid(),
    score: z.number().int().nullish(),
    choices: z.array(z.string().max(200)).max(50).nullish(),
    text: z.string().max(20_000).nullish(),
    skipped: z.boolean().nullish(),
  })
  .strict();

/** One response from another tool, with its original times. */
export const historicalResponseSchema = z
  .object({
    externalId,
    startedAt: z.coerce.date(),
    /** Absent or null: the response was left unfinished. */
    completedAt: z.coerce.date().nullish(),
    customerExternalId: externalId.nullish(),
    businessUnitExternalId: externalId.nullish(),
    channel: z.string().trim().min(1).max(50).nullish(),
    locale: z.string().trim().min(2).max(20).nullish(),
    journeyPhase: z.enum(JOURNEY_PHASES).nullish(),
    touchpointType: z.string().trim().min(1).max(100).nullish(),
    answers: z.array(answerSchema).max(200),
  })
  .strict()
  .refine((record) => !record.completedAt || record.completedAt >= record.startedAt, { message: 'must not be before startedAt', path: ['completedAt'] });

export type HistoricalResponse = z.output<typeof historicalResponseSchema>;

export interface HistoricalImportResult {
  created: number;
  /** Responses whose external id was imported before: left as they are. */
  alreadyImported: number;
  answers: number;
}

interface QuestionRow extends QuestionRule, Record<string, unknown> {
  retiredAt: Date | null;
}

/**
 * Imports past responses to one survey, with their original times, in one transaction: every bad
 * record is reported (its index, field and message) and then nothing is written. A response whose
 * external id is already in the workspace is left as it is, so importing a file again changes
 * nothing. Imported answers raise no follow-ups, send no mail and emit no events (they are the
 * past); the score rollups take them in as they are written, so the metrics of their periods
 * include them at once.
 */
export async function importHistoricalResponsesOrThrow(sql: SqlRunner, workspaceId: string, surveyId: string, records: unknown[], now: Date): Promise<HistoricalImportResult> {
  const issues: RecordIssue[] = [];
  const add = (index: number, field: string, message: string) => issues.push({ collection: 'responses', index, field, message });
  if (records.length > MAX_HISTORICAL_RESPONSES) {
    throw new BulkImportRejectedError([{ collection: 'responses', index: -1, field: '(batch)', message: `a batch holds at most ${MAX_HISTORICAL_RESPONSES} responses, got ${records.length}` }]);
  }
  const parsed: Array<HistoricalResponse | null> = records.map((record, index) => {
    const result = historicalResponseSchema.safeParse(record);
    if (!result.success) {
      for (const issue of result.error.issues) add(index, issue.path.join('.') || '(record)', issue.message);
      return null;
    }
    if (result.data.startedAt > now) add(index, 'startedAt', 'is in the future');
    return result.data;
  });
  const seen = new Map<string, number>();
  parsed.forEach((record, index) => {
    if (!record) return;
    const first = seen.get(record.externalId);
    if (first !== undefined) add(index, 'externalId', `duplicates record ${first} of this import`);
    else seen.set(record.externalId, index);
  });

  return sql.transaction(async (tx: SqlConnection) => {
    const [survey] = await run(tx, surveyForImport(workspaceId, surveyId));
    if (!survey) throw new NotFoundError('Survey', surveyId);
    const questions: QuestionRow[] = await run(tx, surveyQuestionRules(workspaceId, surveyId));
    const byId = new Map(questions.map((question) => [question.id, question]));
    const references = async (table: 'Customer' | 'BusinessUnit', ids: string[]) => {
      if (ids.length === 0) return new Map<string, string>();
      const rows = await run(tx, idsByExternalId(table, workspaceId, [...new Set(ids)]));
      return new Map(rows.map((row) => [row.externalId, row.id]));
    };
    const valid = parsed.filter((record): record is HistoricalResponse => record !== null);
    const customers = await references(
      'Customer',
      valid.flatMap((record) => (record.customerExternalId ? [record.customerExternalId] : [])),
    );
    const units = await references(
      'BusinessUnit',
      valid.flatMap((record) => (record.businessUnitExternalId ? [record.businessUnitExternalId] : [])),
    );

    const clean: Array<{ record: HistoricalResponse; answers: CleanAnswer[] }> = [];
    parsed.forEach((record, index) => {
      if (!record) return;
      if (record.customerExternalId && !customers.has(record.customerExternalId)) add(index, 'customerExternalId', `no customer with external id "${record.customerExternalId}" in this workspace`);
      if (record.businessUnitExternalId && !units.has(record.businessUnitExternalId))
        add(index, 'businessUnitExternalId', `no business unit with external id "${record.businessUnitExternalId}" in this workspace`);
      const answers: CleanAnswer[] = [];
      const answered = new Set<string>();
      record.answers.forEach((answer, position) => {
        const question = byId.get(answer.questionId);
        const at = `answers.${position}`;
        if (!question) return add(index, `${at}.questionId`, 'is not a question of this survey');
        if (answered.has(question.id)) return add(index, `${at}.questionId`, 'is answered twice in this response');
        answered.add(question.id);
        // A past response may lack a required answer (the other tool allowed it): only the answer itself is checked.
        const result = validateAnswer({ ...question, required: false }, answer as AnswerInput, []);
        if ('issues' in result) for (const issue of result.issues) add(index, `${at}.${issue.path.join('.')}`, issue.message);
        else answers.push(result.answer);
      });
      clean.push({ record, answers });
    });
    if (issues.length > 0) throw new BulkImportRejectedError(issues);

    // One statement for the responses (existing external ids left alone), one for their answers.
    const inserted = await run(
      tx,
      insertImportedResponses(
        workspaceId,
        surveyId,
        JSON.stringify(
          clean.map(({ record }) => ({
            externalId: record.externalId,
            channel: record.channel ?? null,
            locale: record.locale ?? survey.defaultLocale,
            customerId: record.customerExternalId ? customers.get(record.customerExternalId) : null,
            businessUnitId: record.businessUnitExternalId ? units.get(record.businessUnitExternalId) : null,
            journeyPhase: record.journeyPhase ?? null,
            touchpointType: record.touchpointType ?? null,
            startedAt: record.startedAt.toISOString(),
            completedAt: record.completedAt ? record.completedAt.toISOString() : null,
          })),
        ),
        now,
      ),
    );
    const responseIds = new Map(inserted.map((row) => [row.externalId, row.id]));
    const answerRows = clean.flatMap(({ record, answers }) => {
      const responseId = responseIds.get(record.externalId);
      if (!responseId) return [];
      const answeredAt = (record.completedAt ?? record.startedAt).toISOString();
      return answers.map((answer) => ({ responseId, questionId: answer.questionId, score: answer.score, choices: answer.choices, text: answer.text, skipped: answer.skipped, answeredAt }));
    });
    if (answerRows.length > 0) {
      await run(tx, insertImportedAnswers(workspaceId, JSON.stringify(answerRows), now));
    }
    return { created: inserted.length, alreadyImported: clean.length - inserted.length, answers: answerRows.length };
  });
}

/** The questions of a survey in order, for reading question columns (`Q1` is position 0). */
export async function surveyQuestionColumns(sql: SqlRunner, workspaceId: string, surveyId: string): Promise<Array<{ id: string; position: number; type: string }>> {
  const rows = await sql.session((conn) => run(conn, questionColumns(workspaceId, surveyId)));
  if (rows.length === 0) {
    const [survey] = await sql.session((conn) => run(conn, surveyForImport(workspaceId, surveyId)));
    if (!survey) throw new NotFoundError('Survey', surveyId);
  }
  return rows;
}
