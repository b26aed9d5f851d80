import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { globalId } from '../events/global-id.js';
import type { MetricsFilter } from '../metrics/queries/metrics-filter.js';
import { exportQuestions, exportResponsePage, type QuestionRow, type ResponseRow } from './exports.queries.js';

/** One cell: text, a number, or empty. */
export type ExportCell = string | number | null;

export interface ResponseExport {
  /** Column headers; the question columns follow the fixed ones. */
  headers: string[];
  /** One row per response, read from the database a page at a time. */
  rows: AsyncIterable<ExportCell[]>;
}

/** The export's column headers (the historical import reads them back). Times add the zone: `started (Europe/Amsterdam)`. */
export const EXPORT_COLUMNS = {
  responseId: 'response id',
  survey: 'survey',
  started: 'started',
  completed: 'completed',
  channel: 'channel',
  language: 'language',
  businessUnit: 'business unit',
  journeyPhase: 'journey phase',
  touchpointType: 'touchpoint type',
  variant: 'variant',
  recordedBy: 'recorded by',
  customerExternalId: 'customer external id',
} as const;

/** Open answers are what the person wrote: personal, like the customer's external id. */
const PERSONAL_QUESTION_TYPES = new Set(['OPEN_TEXT']);

function questionText(question: QuestionRow): string {
  const texts = question.texts ?? {};
  return texts[question.defaultLocale]?.text ?? Object.values(texts).find((entry) => entry?.text)?.text ?? question.type;
}

/** The answer to one question as a cell: the score, the ticked options joined by `|`, or the text; empty when skipped or not reached. */
export function answerCell(type: string, answer: { s: number | null; c: string[] | null; t: string | null; k: boolean } | undefined): ExportCell {
  if (!answer || answer.k) return null;
  if (type === 'SINGLE_CHOICE' || type === 'MULTIPLE_CHOICE') return answer.c && answer.c.length > 0 ? answer.c.join('|') : null;
  if (type === 'OPEN_TEXT') return answer.t ?? null;
  return answer.s ?? null;
}

/**
 * The responses the metrics filter selects (started within the period, in the workspace's time
 * zone; the same survey, unit, channel, journey phase, touchpoint type, customer and segment
 * filters), one row each with a column per question. Without personal-data access the customer
 * column and open answers are left out. Rows are read in pages of `pageSize` by keyset on
 * (startedAt, id), so memory stays flat whatever the number of responses.
 */
export async function responseExport(
  sql: SqlRunner,
  workspace: { id: string; timeZone: string },
  filter: MetricsFilter,
  options: { personalData: boolean; pageSize?: number },
): Promise<ResponseExport> {
  const pageSize = options.pageSize ?? 1_000;
  const questions = (await sql.session((conn) => run(conn, exportQuestions(workspace, filter)))).filter((question) => options.personalData || !PERSONAL_QUESTION_TYPES.has(question.type));
  const manySurveys = new Set(questions.map((question) => question.surveyName)).size > 1;

  const zone = workspace.timeZone;
  const headers = [
    EXPORT_COLUMNS.responseId,
    EXPORT_COLUMNS.survey,
    `${EXPORT_COLUMNS.started} (${zone})`,
    `${EXPORT_COLUMNS.completed} (${zone})`,
    EXPORT_COLUMNS.channel,
    EXPORT_COLUMNS.language,
    EXPORT_COLUMNS.businessUnit,
    EXPORT_COLUMNS.journeyPhase,
    EXPORT_COLUMNS.touchpointType,
    EXPORT_COLUMNS.variant,
    EXPORT_COLUMNS.recordedBy,
    ...(options.personalData ? [EXPORT_COLUMNS.customerExternalId] : []),
    ...questions.map((question) => `${manySurveys ? `${question.surveyName} · ` : ''}Q${question.position + 1} ${questionText(question)}`),
  ];

  async function* rows(): AsyncGenerator<ExportCell[]> {
    let after: { startedAt: Date | string; id: string } | null = null;
    for (;;) {
      const page: ResponseRow[] = await sql.session((conn) => run(conn, exportResponsePage(workspace, filter, after, Math.max(1, Math.floor(pageSize)))));
      for (const row of page) {
        const answers = row.answers ?? {};
        yield [
          globalId('SurveyResponse', row.id),
          row.surveyName,
          row.startedLocal,
          row.completedLocal,
          row.channel,
          row.locale,
          row.unit,
          row.journeyPhase,
          row.touchpointType,
          row.variant,
          row.recordedBy,
          ...(options.personalData ? [row.customerExternalId] : []),
          ...questions.map((question) => answerCell(question.type, answers[question.id])),
        ];
      }
      if (page.length < pageSize) return;
      const last: ResponseRow = page[page.length - 1]!;
      after = { startedAt: last.startedAt, id: last.id };
    }
  }
  return { headers, rows: rows() };
}
