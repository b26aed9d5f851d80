import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { ExportCell, ResponseExport } from './response-export.js';

export const EXPORT_FORMATS = ['CSV', 'XLSX'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_MEDIA: Record<ExportFormat, { contentType: string; extension: string }> = {
  CSV: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  XLSX: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
};

/**
 * Spreadsheet programs run a CSV cell that starts with =, +, -, @, a tab or a carriage return as a
 * formula; an open answer must never do that, so such text gets a leading apostrophe (OWASP's
 * advice for CSV injection). Numbers stay numbers.
 */
export function csvSafe(cell: ExportCell): ExportCell {
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** CSV with a byte-order mark (so spreadsheet programs read it as UTF-8), one row per response, written with back-pressure. */
async function writeCsv(data: ResponseExport, out: Writable): Promise<void> {
  const stringifier = stringify({ bom: true, cast: { number: (value) => String(value) } });
  const done = pipeline(stringifier, out);
  const write = async (row: ExportCell[]) => {
    if (!stringifier.write(row.map((cell) => csvSafe(cell) ?? ''))) await once(stringifier, 'drain');
  };
  await write(data.headers);
  for await (const row of data.rows) await write(row);
  stringifier.end();
  await done;
}

/** An Excel workbook streamed row by row (no shared strings table), so memory stays flat. Text cells are text, never formulas. */
async function writeXlsx(data: ResponseExport, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Responses', { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = sheet.addRow(data.headers);
  header.font = { bold: true };
  header.commit();
  for await (const row of data.rows) sheet.addRow(row.map((cell) => cell ?? null)).commit();
  sheet.commit();
  await workbook.commit();
}

export function writeExport(format: ExportFormat, data: ResponseExport, out: Writable): Promise<void> {
  return format === 'XLSX' ? writeXlsx(data, out) : writeCsv(data, out);
}
