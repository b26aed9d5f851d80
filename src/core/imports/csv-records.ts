import { parse } from 'csv-parse/sync';

export type CsvCollection = 'customers' | 'orders' | 'touchpoints';

const LIST_FIELDS = new Set(['devices', 'apps']);
const BOOLEAN_FIELDS = new Set(['consentEmail', 'consentSms', 'consentPhone', 'consentSurveys']);
const JSON_FIELDS = new Set(['attributes', 'lines']);
const NUMBER_FIELDS = new Set<string>();

function convert(field: string, raw: string): unknown {
  if (LIST_FIELDS.has(field)) return raw.split('|').map((item) => item.trim()).filter(Boolean);
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

/**
 * Turns a CSV file (header row with field names, as in the bulk import records) into records and
 * their line numbers. Empty cells are left out; `attributes.<name>` columns build the attributes
 * object; list fields use `|` between items; JSON fields hold JSON.
 */
export function parseCsvRecords(content: string): { records: Record<string, unknown>[]; lines: number[] } {
  const rows = parse(content, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: false }) as Array<{
    record: Record<string, string>;
    info: { lines: number };
  }>;
  const records = rows.map(({ record }) => {
    const out: Record<string, unknown> = {};
    for (const [column, raw] of Object.entries(record)) {
      if (raw === '') continue;
      if (column.startsWith('attributes.')) {
        const attributes = (out.attributes ??= {}) as Record<string, unknown>;
        attributes[column.slice('attributes.'.length)] = raw;
        continue;
      }
      out[column] = convert(column, raw);
    }
    return out;
  });
  return { records, lines: rows.map(({ info }) => info.lines) };
}
