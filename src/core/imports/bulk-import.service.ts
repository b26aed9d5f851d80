import type { z } from 'zod';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { scheduleTriggeredInvitations } from '../surveys/invitation-scheduler.js';
import { BulkImportRejectedError, type RecordIssue } from '../errors.js';
import {
  customerRecordSchema,
  MAX_IMPORT_RECORDS,
  orderRecordSchema,
  touchpointRecordSchema,
  type ImportBatch,
} from './import-records.js';
import { buildUpsertSql, type ColumnSpec } from './upsert-sql.js';

type Collection = 'customers' | 'orders' | 'touchpoints';

const text = (column: string): ColumnSpec => ({ column, kind: 'text' });
const CUSTOMER_COLUMNS: ColumnSpec[] = [
  { column: 'businessUnitId', key: 'businessUnitExternalId', kind: 'text', reference: { table: 'BusinessUnit' } },
  ...['firstName', 'infix', 'lastName', 'email', 'phone', 'locale', 'ageBand', 'gender', 'incomeBand', 'education', 'maritalStatus', 'country', 'province', 'city', 'postcode', 'preferredChannel'].map(text),
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
  customers: { table: 'Customer', ...buildUpsertSql('Customer', CUSTOMER_COLUMNS) },
  orders: { table: 'Order', ...buildUpsertSql('Order', ORDER_COLUMNS) },
  touchpoints: { table: 'Touchpoint', ...buildUpsertSql('Touchpoint', TOUCHPOINT_COLUMNS) },
} as const;

export interface ImportCounts {
  created: number;
  updated: number;
}
export type ImportResult = Record<Collection, ImportCounts>;

type Rec = Record<string, unknown> & { externalId: string };

class IssueCollector {
  readonly issues: RecordIssue[] = [];
  constructor(private readonly lines: ImportBatch['lines']) {}
  add(collection: Collection, index: number, field: string, message: string) {
    const line = this.lines?.[collection]?.[index];
    this.issues.push({ collection, index, field, message, ...(line === undefined ? {} : { line }) });
  }
}

function validate(collection: Collection, schema: z.ZodType, records: unknown[], issues: IssueCollector): Rec[] {
  const seen = new Map<string, number>();
  return records.map((record, index) => {
    const result = schema.safeParse(record);
    if (!result.success) {
      for (const issue of result.error.issues) issues.add(collection, index, issue.path.join('.') || '(record)', issue.message);
      return { externalId: '' };
    }
    const parsed = result.data as Rec;
    const first = seen.get(parsed.externalId);
    if (first !== undefined) issues.add(collection, index, 'externalId', `duplicates record ${first} of this batch`);
    else seen.set(parsed.externalId, index);
    return parsed;
  });
}

/** Dates become ISO strings so the database reads them exactly. */
function toJson(records: Rec[]): string {
  return JSON.stringify(records, (_key, value: unknown) => value);
}

type Tx = Pick<PrismaClient, '$queryRawUnsafe' | '$executeRawUnsafe'>;

async function missingExternalIds(tx: Tx, workspaceId: string, table: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT n.id FROM jsonb_array_elements_text($2::jsonb) AS n(id)
      WHERE NOT EXISTS (SELECT 1 FROM "${table}" r WHERE r."workspaceId" = $1::uuid AND r."externalId" = n.id)`,
    workspaceId,
    JSON.stringify([...new Set(ids)]),
  );
  return new Set(rows.map((row) => row.id));
}

async function checkReference(
  tx: Tx,
  workspaceId: string,
  issues: IssueCollector,
  collection: Collection,
  records: Rec[],
  field: string,
  table: string,
  inBatch: Set<string>,
) {
  const wanted = records.map((record) => record[field]).filter((value): value is string => typeof value === 'string' && !inBatch.has(value));
  const missing = await missingExternalIds(tx, workspaceId, table, wanted);
  records.forEach((record, index) => {
    const value = record[field];
    if (typeof value === 'string' && missing.has(value)) issues.add(collection, index, field, `no ${table} with external id "${value}" in this batch or workspace`);
  });
}

async function write(tx: Tx, workspaceId: string, collection: Collection, records: Rec[]): Promise<ImportCounts> {
  if (records.length === 0) return { created: 0, updated: 0 };
  const json = toJson(records);
  const inserted = await tx.$queryRawUnsafe<Array<{ externalId: string }>>(SQL[collection].insert, workspaceId, json);
  const insertedIds = JSON.stringify(inserted.map((row) => row.externalId));
  const updated = await tx.$executeRawUnsafe(SQL[collection].update, workspaceId, json, insertedIds);
  return { created: inserted.length, updated };
}

/**
 * Imports customers, orders and touchpoints in one transaction. Every bad record is reported with
 * its collection, index (and source line) and field; when any record is bad nothing is written.
 * Records are upserts by external id, so sending the same batch twice leaves the same state.
 */
export async function importBatchOrThrow(prisma: PrismaClient, workspaceId: string, batch: ImportBatch, now: Date = new Date()): Promise<ImportResult> {
  const issues = new IssueCollector(batch.lines);
  const total = (batch.customers?.length ?? 0) + (batch.orders?.length ?? 0) + (batch.touchpoints?.length ?? 0);
  if (total > MAX_IMPORT_RECORDS) {
    throw new BulkImportRejectedError([
      { collection: 'customers', index: -1, field: '(batch)', message: `a batch holds at most ${MAX_IMPORT_RECORDS} records, got ${total}` },
    ]);
  }
  const customers = validate('customers', customerRecordSchema, batch.customers ?? [], issues);
  const orders = validate('orders', orderRecordSchema, batch.orders ?? [], issues);
  const touchpoints = validate('touchpoints', touchpointRecordSchema, batch.touchpoints ?? [], issues);
  if (issues.issues.length > 0) throw new BulkImportRejectedError(issues.issues);

  return prisma.$transaction(
    async (tx) => {
      const none = new Set<string>();
      const customerIds = new Set(customers.map((record) => record.externalId));
      const orderIds = new Set(orders.map((record) => record.externalId));
      await checkReference(tx, workspaceId, issues, 'customers', customers, 'businessUnitExternalId', 'BusinessUnit', none);
      await checkReference(tx, workspaceId, issues, 'orders', orders, 'customerExternalId', 'Customer', customerIds);
      await checkReference(tx, workspaceId, issues, 'orders', orders, 'businessUnitExternalId', 'BusinessUnit', none);
      await checkReference(tx, workspaceId, issues, 'touchpoints', touchpoints, 'customerExternalId', 'Customer', customerIds);
      await checkReference(tx, workspaceId, issues, 'touchpoints', touchpoints, 'orderExternalId', 'Order', orderIds);
      await checkReference(tx, workspaceId, issues, 'touchpoints', touchpoints, 'businessUnitExternalId', 'BusinessUnit', none);
      if (issues.issues.length > 0) throw new BulkImportRejectedError(issues.issues);
      const result = {
        customers: await write(tx, workspaceId, 'customers', customers),
        orders: await write(tx, workspaceId, 'orders', orders),
        touchpoints: await write(tx, workspaceId, 'touchpoints', touchpoints),
      };
      // Surveys subscribed to these touchpoints are scheduled in the same transaction.
      await scheduleTriggeredInvitations(tx, workspaceId, { externalIds: touchpoints.map((record) => record.externalId) }, now);
      return result;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
