import { parse as parseStream } from 'csv-parse';
import { parse } from 'csv-parse/sync';

export type CsvCollection = 'customers' | 'orders' | 'touchpoints';

const LIST_FIELDS = new Set(['devices', 'apps']);
const BOOLEAN_FIELDS = new Set(['consentEmail', 'consentSms', 'consentPhone', 'consentSurveys']);
const JSON_FIELDS = new Set(['attributes', 'lines']);
const NUMBER_FIELDS = new Set<string>();

function convert(field: string, raw: string): unknown {
  if (LIST_FIELDS.has(field))
    return raw
      .split('|')
      .map((item) => item.trim())
      .filter(Boolean);
  if (BOOLEAN_FIELDS.has(field)) {
    const value = raw.trim().toLowerCase();
    if (['true', '1', 'yes', 'y', 'ja'].includes(value)) return true;
    if (['false', '0', 'no', 'n', 'nee'].includes(value)) return false;
    return raw;
  }
  if (JSON_FIELDS.has(field)) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  if (NUMBER_FIELDS.has(field)) return Number(raw);
  return raw;
}

/** One CSV row (header names as keys) as an import record. */
function toImportRecord(row: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(row)) {
    if (raw === '') continue;
    if (column.startsWith('attributes.')) {
      const attributes = (out.attributes ??= {}) as Record<string, unknown>;
      attributes[column.slice('attributes.'.length)] = raw;
      continue;
    }
    out[column] = convert(column, raw);
  }
  return out;
}

const OPTIONS = { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: false } as const;

/**
 * Turns a CSV file (header row with field names, as in the bulk import records) into records and
 * their line numbers. Empty cells are left out; `attributes.<name>` columns build the attributes
 * object; list fields use `|` between items; JSON fields hold JSON.
 */
export function parseCsvRecords(content: string): { records: Record<string, unknown>[]; lines: number[] } {
  const rows = parse(content, OPTIONS) as Array<{ record: Record<string, string>; info: { lines: number } }>;
  return { records: rows.map(({ record }) => toImportRecord(record)), lines: rows.map(({ info }) => info.lines) };
}

/** The same, read as a stream: one record at a time with its line, whatever the size of the file. */
export async function* csvRecordStream(input: NodeJS.ReadableStream): AsyncGenerator<{ record: Record<string, unknown>; line: number }> {
  const parser = input.pipe(parseStream(OPTIONS));
  for await (const row of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield { record: toImportRecord(row.record), line: row.info.lines };
  }
}

/** A CSV file as rows keyed by their header, as written (no conversion), with the header and each row's line. */
export async function* csvRows(input: NodeJS.ReadableStream): AsyncGenerator<{ headers: string[]; row: Record<string, string>; line: number }> {
  let headers: string[] = [];
  const parser = input.pipe(
    parseStream({
      ...OPTIONS,
      trim: false,
      columns: (header: string[]) => {
        headers = header;
        return header;
      },
    }),
  );
  for await (const entry of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) yield { headers, row: entry.record, line: entry.info.lines };
}
