import { ValidationError } from '../errors.js';
import { EXPORT_COLUMNS } from '../exports/response-export.js';

/** Wall-clock time in a zone (YYYY-MM-DD HH:MM[:SS]) as an instant; the earlier one when a DST change repeats the hour. */
export function zonedTimeToUtc(local: string, zone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const naive = Date.UTC(year, month - 1, day, hour, minute, second);
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const offset = (instant: number) => {
    const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
    return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - instant;
  };
  // The offsets in force a day before and a day after: the wall-clock time exists with one of them,
  // both (the repeated hour: the earlier instant), or neither (the skipped hour: read with the earlier offset).
  const before = offset(naive - 86_400_000);
  const after = offset(naive + 86_400_000);
  const fits = [naive - before, naive - after].filter((instant) => offset(instant) === naive - instant).sort((x, y) => x - y);
  return new Date(fits[0] ?? naive - before);
}

interface QuestionColumn {
  id: string;
  position: number;
  type: string;
}

/** Column names this importer reads (lower case), and the response export's names for the same fields. */
const FIELD_COLUMNS: Record<string, string> = {
  externalid: 'externalId',
  [EXPORT_COLUMNS.responseId]: 'externalId',
  startedat: 'startedAt',
  completedat: 'completedAt',
  customerexternalid: 'customerExternalId',
  [EXPORT_COLUMNS.customerExternalId]: 'customerExternalId',
  businessunitexternalid: 'businessUnitExternalId',
  [EXPORT_COLUMNS.channel]: 'channel',
  locale: 'locale',
  [EXPORT_COLUMNS.language]: 'locale',
  journeyphase: 'journeyPhase',
  [EXPORT_COLUMNS.journeyPhase]: 'journeyPhase',
  touchpointtype: 'touchpointType',
  [EXPORT_COLUMNS.touchpointType]: 'touchpointType',
};

export interface HistoricalCsv {
  /** The record (as importResponses takes it) of one CSV row, keyed by header. */
  toRecord(row: Record<string, string>): Record<string, unknown>;
  /** Columns read as nothing (survey, variant, recorded by, business unit names ...). */
  ignored: string[];
}

/**
 * Reads a responses CSV: this importer's own column names, or the headers of a response export
 * (`response id`, `started (Europe/Amsterdam)`, `Q1 ...`), so an export of one workspace imports
 * into another. Question columns are `Q<n>` (the n-th question of the survey), optionally followed
 * by its text: a score, options joined by `|`, or the text. Times with an offset or Z are taken as
 * they are; times without one are in the zone the header names, else `defaultZone`.
 */
export function historicalCsv(headers: string[], questions: QuestionColumn[], defaultZone: string): HistoricalCsv {
  const byPosition = new Map(questions.map((question) => [question.position + 1, question]));
  const columns: Array<{ header: string; field?: string; zone?: string; question?: QuestionColumn }> = [];
  const ignored: string[] = [];
  const issues: Array<{ path: string[]; message: string }> = [];
  for (const header of headers) {
    const name = header.trim();
    const time = /^(started|completed)(?:at)?(?: \(([^)]+)\))?$/i.exec(name);
    const question = /^Q(\d+)(?:\s|$)/.exec(name);
    if (time) columns.push({ header, field: time[1]!.toLowerCase() === 'started' ? 'startedAt' : 'completedAt', zone: time[2] ?? defaultZone });
    else if (question) {
      const found = byPosition.get(Number(question[1]));
      if (!found) issues.push({ path: [header], message: `the survey has no question ${question[1]}` });
      else columns.push({ header, question: found });
    } else if (FIELD_COLUMNS[name.toLowerCase()]) columns.push({ header, field: FIELD_COLUMNS[name.toLowerCase()]! });
    else ignored.push(header);
  }
  for (const column of columns) {
    if (column.zone) {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: column.zone });
      } catch {
        issues.push({ path: [column.header], message: `"${column.zone}" is not a time zone` });
      }
    }
  }
  if (!columns.some((column) => column.field === 'externalId')) issues.push({ path: ['externalId'], message: 'a column externalId (or "response id") is required' });
  if (!columns.some((column) => column.field === 'startedAt')) issues.push({ path: ['startedAt'], message: 'a column startedAt (or "started (<time zone>)") is required' });
  if (issues.length > 0) throw new ValidationError(issues);

  const instant = (value: string, zone: string): unknown => (/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : (zonedTimeToUtc(value, zone)?.toISOString() ?? value));
  return {
    ignored,
    toRecord(row) {
      const record: Record<string, unknown> = {};
      const answers: Array<Record<string, unknown>> = [];
      for (const column of columns) {
        const value = (row[column.header] ?? '').trim();
        if (value === '') continue;
        if (column.question) {
          const { id, type } = column.question;
          if (type === 'SINGLE_CHOICE' || type === 'MULTIPLE_CHOICE')
            answers.push({
              questionId: id,
              choices: value
                .split('|')
                .map((choice) => choice.trim())
                .filter(Boolean),
            });
          else if (type === 'OPEN_TEXT') answers.push({ questionId: id, text: value });
          else answers.push({ questionId: id, score: /^-?\d+$/.test(value) ? Number(value) : value });
        } else if (column.zone) record[column.field!] = instant(value, column.zone);
        else record[column.field!] = value;
      }
      record.answers = answers;
      return record;
    },
  };
}
