import type { z } from 'zod';
import { sql } from 'kysely';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { run } from '../../db/kysely.js';
import { inWriteTransaction } from '../../db/write-transaction.js';
import type { SqlConnection } from '../../db/sql-runner.js';
import { scheduleTriggeredInvitations } from '../surveys/invitation-scheduler.js';
import { BulkImportRejectedError, type RecordIssue } from '../errors.js';
import { customerRecordSchema, MAX_IMPORT_RECORDS, orderRecordSchema, touchpointRecordSchema, type ImportBatch } from './import-records.js';
import { upsertStatements, type ColumnSpec } from './imports.queries.js';

type Collection = 'customers' | 'orders' | 'touchpoints';
const COLLECTIONS: readonly Collection[] = ['customers', 'orders', 'touchpoints'];

const text = (column: string): ColumnSpec => ({ column, kind: 'text' });
const CUSTOMER_COLUMNS: ColumnSpec[] = [
  { column: 'businessUnitId', key: 'businessUnitExternalId', kind: 'text', reference: { table: 'BusinessUnit' } },
  ...['firstName', 'infix', 'lastName', 'email', 'phone', 'locale', 'ageBand', 'gender', 'incomeBand', 'education', 'maritalStatus', 'country', 'province', 'city', 'postcode', 'preferredChannel'].map(
    text,
  ),
  { column: 'salutation', kind: { enum: 'Salutation' }, insertDefault: `'NONE'` },
  { column: 'devices', kind: 'textArray', insertDefault: `'{}'` },
  { column: 'apps', kind: 'textArray', insertDefault: `'{}'` },
  { column: 'attributes', kind: 'jsonb', insertDefault: `'{}'::jsonb` },
  { column: 'consentEmail', kind: 'boolean', insertDefault: 'false' },
  { column: 'consentSms', kind: 'boolean', insertDefault: 'false' },
  { column: 'consentPhone', kind: 'boolean', insertDefault: 'false' },
  { column: 'consentSurveys', kind: 'boolean', insertDefault: 'true' },
  { column: 'unsubscribedAt', kind: 'timestamptz' },
  { column: 'customerSince', kind: 'timestamptz', insertDefault: 'now()' },
  { column: 'churnedAt', kind: 'timestamptz' },
];
const ORDER_COLUMNS: ColumnSpec[] = [
  { column: 'customerId', key: 'customerExternalId', kind: 'text', reference: { table: 'Customer' } },
  { column: 'businessUnitId', key: 'businessUnitExternalId', kind: 'text', reference: { table: 'BusinessUnit' } },
  { column: 'amount', kind: 'numeric' },
  text('currency'),
  { column: 'orderedAt', kind: 'timestamptz' },
  text('channel'),
  { column: 'lines', kind: 'jsonb', insertDefault: `'[]'::jsonb` },
];
const TOUCHPOINT_COLUMNS: ColumnSpec[] = [
  { column: 'customerId', key: 'customerExternalId', kind: 'text', reference: { table: 'Customer' } },
  { column: 'orderId', key: 'orderExternalId', kind: 'text', reference: { table: 'Order' } },
  { column: 'businessUnitId', key: 'businessUnitExternalId', kind: 'text', reference: { table: 'BusinessUnit' } },
  text('type'),
  { column: 'journeyPhase', kind: { enum: 'JourneyPhase' } },
  { column: 'occurredAt', kind: 'timestamptz' },
  text('channel'),
  text('subject'),
  { column: 'attributes', kind: 'jsonb', insertDefault: `'{}'::jsonb` },
];

const SQL = {
  customers: { table: 'Customer', ...upsertStatements('Customer', CUSTOMER_COLUMNS) },
  orders: { table: 'Order', ...upsertStatements('Order', ORDER_COLUMNS) },
  touchpoints: { table: 'Touchpoint', ...upsertStatements('Touchpoint', TOUCHPOINT_COLUMNS) },
} as const;

export interface ImportCounts {
  created: number;
  /** Existing records whose stored values changed. */
  updated: number;
  /** Existing records sent again with the values already stored: nothing was written for them. */
  unchanged: number;
}
export type ImportResult = Record<Collection, ImportCounts>;

type Rec = Record<string, unknown> & { externalId: string };

/** Collects every bad record with its collection, index, source line and field. */
class IssueCollector {
  readonly issues: RecordIssue[] = [];
  /** Issues beyond the ones kept are only counted, so a broken million-line file cannot fill memory. */
  dropped = 0;
  constructor(private readonly lines?: ImportBatch['lines']) {}
  add(collection: Collection, index: number, field: string, message: string, line?: number) {
    if (this.issues.length >= MAX_REPORTED_ISSUES) {
      this.dropped += 1;
      return;
    }
    const at = line ?? this.lines?.[collection]?.[index];
    this.issues.push({ collection, index, field, message, ...(at === undefined ? {} : { line: at }) });
  }
  throwIfAny() {
    if (this.issues.length === 0) return;
    const more = this.dropped ? [{ collection: this.issues[0]!.collection, index: -1, field: '(batch)', message: `and ${this.dropped} more problems` }] : [];
    throw new BulkImportRejectedError([...this.issues, ...more]);
  }
}

/** At most this many problems are listed; the rest are counted. */
const MAX_REPORTED_ISSUES = 1_000;

const SCHEMAS: Record<Collection, z.ZodType> = { customers: customerRecordSchema, orders: orderRecordSchema, touchpoints: touchpointRecordSchema };

/** Validates one record; a repeated external id within one import is a problem too. */
function validateRecord(collection: Collection, record: unknown, index: number, seen: Map<string, number>, issues: IssueCollector, line?: number): Rec | null {
  const result = SCHEMAS[collection].safeParse(record);
  if (!result.success) {
    for (const issue of result.error.issues) issues.add(collection, index, issue.path.join('.') || '(record)', issue.message, line);
    return null;
  }
  const parsed = result.data as Rec;
  const first = seen.get(parsed.externalId);
  if (first !== undefined) issues.add(collection, index, 'externalId', `duplicates record ${first} of this import`, line);
  else seen.set(parsed.externalId, index);
  return parsed;
}

function validate(collection: Collection, records: unknown[], issues: IssueCollector): Rec[] {
  const seen = new Map<string, number>();
  return records.map((record, index) => validateRecord(collection, record, index, seen, issues) ?? { externalId: '' });
}

/** Dates become ISO strings so the database reads them exactly. */
function toJson(records: Rec[]): string {
  return JSON.stringify(records, (_key, value: unknown) => value);
}

type Tx = SqlConnection;

async function missingExternalIds(tx: Tx, workspaceId: string, table: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await run(
    tx,
    sql<{ id: string }>`SELECT n.id FROM jsonb_array_elements_text(${JSON.stringify([...new Set(ids)])}::jsonb) AS n(id)
      WHERE NOT EXISTS (SELECT 1 FROM ${sql.table(table)} r WHERE r."workspaceId" = ${workspaceId}::uuid AND r."externalId" = n.id)`,
  );
  return new Set(rows.map((row) => row.id));
}

/** One slice of records written together, with their positions in the import for error reports. */
interface Slice {
  collection: Collection;
  records: Rec[];
  /** Index in the whole import of records[0]. */
  offset: number;
  lines?: number[];
}

async function checkReference(tx: Tx, workspaceId: string, issues: IssueCollector, slice: Slice, field: string, table: string, inBatch: ReadonlySet<string>) {
  const wanted = slice.records.map((record) => record[field]).filter((value): value is string => typeof value === 'string' && !inBatch.has(value));
  const missing = await missingExternalIds(tx, workspaceId, table, wanted);
  slice.records.forEach((record, index) => {
    const value = record[field];
    if (typeof value === 'string' && missing.has(value))
      issues.add(slice.collection, slice.offset + index, field, `no ${table} with external id "${value}" in this import or workspace`, slice.lines?.[index]);
  });
}

const NONE: ReadonlySet<string> = new Set();
/** The references of each collection: field, table, and which ids of the same write may satisfy it. */
function checkReferences(tx: Tx, workspaceId: string, issues: IssueCollector, slice: Slice, sameWrite: { customers: ReadonlySet<string>; orders: ReadonlySet<string> }) {
  switch (slice.collection) {
    case 'customers':
      return checkReference(tx, workspaceId, issues, slice, 'businessUnitExternalId', 'BusinessUnit', NONE);
    case 'orders':
      return checkReference(tx, workspaceId, issues, slice, 'customerExternalId', 'Customer', sameWrite.customers).then(() =>
        checkReference(tx, workspaceId, issues, slice, 'businessUnitExternalId', 'BusinessUnit', NONE),
      );
    case 'touchpoints':
      return checkReference(tx, workspaceId, issues, slice, 'customerExternalId', 'Customer', sameWrite.customers)
        .then(() => checkReference(tx, workspaceId, issues, slice, 'orderExternalId', 'Order', sameWrite.orders))
        .then(() => checkReference(tx, workspaceId, issues, slice, 'businessUnitExternalId', 'BusinessUnit', NONE));
  }
}

async function write(tx: Tx, workspaceId: string, collection: Collection, records: Rec[]): Promise<ImportCounts> {
  if (records.length === 0) return { created: 0, updated: 0, unchanged: 0 };
  const json = toJson(records);
  const inserted = await SQL[collection].insert(tx, { workspaceId, records: json });
  const insertedIds = JSON.stringify(inserted.map((row) => row.externalId));
  const [updated] = await SQL[collection].update(tx, { workspaceId, records: json, insertedIds });
  return { created: inserted.length, updated: updated?.n ?? 0, unchanged: records.length - inserted.length - (updated?.n ?? 0) };
}

const add = (a: ImportCounts, b: ImportCounts): ImportCounts => ({ created: a.created + b.created, updated: a.updated + b.updated, unchanged: a.unchanged + b.unchanged });
const zero = (): ImportCounts => ({ created: 0, updated: 0, unchanged: 0 });

/**
 * Imports customers, orders and touchpoints in one transaction. Every bad record is reported with
 * its collection, index (and source line) and field; when any record is bad nothing is written.
 * Records are upserts by external id, so sending the same batch twice leaves the same state.
 */
export async function importBatchOrThrow(prisma: PrismaClient, workspaceId: string, batch: ImportBatch, now: Date = new Date()): Promise<ImportResult> {
  const issues = new IssueCollector(batch.lines);
  const total = (batch.customers?.length ?? 0) + (batch.orders?.length ?? 0) + (batch.touchpoints?.length ?? 0);
  if (total > MAX_IMPORT_RECORDS) {
    throw new BulkImportRejectedError([{ collection: 'customers', index: -1, field: '(batch)', message: `a batch holds at most ${MAX_IMPORT_RECORDS} records, got ${total}` }]);
  }
  const slices: Slice[] = COLLECTIONS.map((collection) => ({
    collection,
    records: validate(collection, batch[collection] ?? [], issues),
    offset: 0,
    ...(batch.lines?.[collection] ? { lines: batch.lines[collection] } : {}),
  }));
  issues.throwIfAny();

  return inWriteTransaction(
    prisma,
    async ({ conn: tx }) => {
      const sameWrite = { customers: new Set(slices[0]!.records.map((record) => record.externalId)), orders: new Set(slices[1]!.records.map((record) => record.externalId)) };
      for (const slice of slices) await checkReferences(tx, workspaceId, issues, slice, sameWrite);
      issues.throwIfAny();
      const result = { customers: zero(), orders: zero(), touchpoints: zero() };
      for (const slice of slices) result[slice.collection] = await write(tx, workspaceId, slice.collection, slice.records);
      // Surveys subscribed to these touchpoints are scheduled in the same transaction.
      await scheduleTriggeredInvitations(tx, workspaceId, { externalIds: slices[2]!.records.map((record) => record.externalId) }, now);
      return result;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** Where a streamed import reads one collection from: a fresh pass over the records each time it is called. */
export type RecordStream = () => AsyncIterable<{ record: Record<string, unknown>; line?: number }>;

export interface ImportProgress {
  collection: Collection;
  /** Records of this collection written so far, and in all. */
  done: number;
  total: number;
  counts: ImportCounts;
}

export interface StreamImportOptions {
  /** Records per statement pair; memory stays flat whatever the size of the files. */
  batchSize?: number;
  onValidated?(totals: Record<Collection, number>): void;
  onProgress?(progress: ImportProgress): void;
  now?: Date;
  /** How long the one transaction may take (a large import on a slow disk takes minutes). */
  timeoutMs?: number;
}

/**
 * Imports files of any size: a first pass validates every record (nothing is written when any is
 * bad: every problem is listed with its line, up to 1,000); a second pass writes them in batches
 * inside one transaction, so an import is all or nothing, and reports progress per batch. Counts
 * only real changes: a record sent again with the stored values is `unchanged`.
 */
export async function importStreamsOrThrow(prisma: PrismaClient, workspaceId: string, sources: Partial<Record<Collection, RecordStream>>, options: StreamImportOptions = {}): Promise<ImportResult> {
  const batchSize = options.batchSize ?? 1_000;
  const issues = new IssueCollector();
  const totals: Record<Collection, number> = { customers: 0, orders: 0, touchpoints: 0 };
  for (const collection of COLLECTIONS) {
    const source = sources[collection];
    if (!source) continue;
    const seen = new Map<string, number>();
    for await (const { record, line } of source()) {
      validateRecord(collection, record, totals[collection], seen, issues, line);
      totals[collection] += 1;
    }
  }
  issues.throwIfAny();
  options.onValidated?.(totals);

  return inWriteTransaction(
    prisma,
    async ({ conn: tx }) => {
      const result = { customers: zero(), orders: zero(), touchpoints: zero() };
      // Earlier batches are written by the time a later one is checked: references to them resolve in the database.
      const sameWrite = { customers: NONE, orders: NONE };
      for (const collection of COLLECTIONS) {
        const source = sources[collection];
        if (!source) continue;
        let slice: Slice = { collection, records: [], offset: 0, lines: [] };
        const flush = async () => {
          if (slice.records.length === 0) return;
          await checkReferences(tx, workspaceId, issues, slice, sameWrite);
          issues.throwIfAny();
          result[collection] = add(result[collection], await write(tx, workspaceId, collection, slice.records));
          if (collection === 'touchpoints') await scheduleTriggeredInvitations(tx, workspaceId, { externalIds: slice.records.map((record) => record.externalId) }, options.now ?? new Date());
          const done = slice.offset + slice.records.length;
          options.onProgress?.({ collection, done, total: totals[collection], counts: result[collection] });
          slice = { collection, records: [], offset: done, lines: [] };
        };
        const seen = new Map<string, number>();
        for await (const { record, line } of source()) {
          const parsed = validateRecord(collection, record, slice.offset + slice.records.length, seen, issues, line);
          // The file changed between the passes: refuse rather than write something unchecked.
          if (!parsed) issues.throwIfAny();
          slice.records.push(parsed!);
          slice.lines!.push(line ?? -1);
          if (slice.records.length >= batchSize) await flush();
        }
        await flush();
      }
      return result;
    },
    { timeout: options.timeoutMs ?? 6 * 60 * 60_000, maxWait: 60_000 },
  );
}
