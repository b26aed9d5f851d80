import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../src/core/imports/csv-records.js';
import { importBatchOrThrow, importStreamsOrThrow, type ImportProgress } from '../src/core/imports/bulk-import.service.js';
import { BulkImportRejectedError } from '../src/core/errors.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';

const IMPORT = `mutation($input: ImportCommerceDataInput!) {
  importCommerceData(input: $input) {
    __typename
    ... on ImportCommerceDataPayload { summary { customers { created updated unchanged } orders { created updated unchanged } touchpoints { created updated unchanged } } }
    ... on BulkImportRejectedError { issues { collection index field message } }
  }
}`;

function batch(size: number) {
  const customers = Array.from({ length: size }, (_, i) => ({ externalId: `c${i}`, firstName: `F${i}`, lastName: 'Jansen', email: `c${i}@example.nl`, devices: ['ios'], consentEmail: true }));
  const orders = customers.map((c, i) => ({
    externalId: `o${i}`,
    customerExternalId: c.externalId,
    amount: `${10 + i}.50`,
    currency: 'EUR',
    orderedAt: '2026-03-01T10:00:00Z',
    lines: [{ name: 'TV', quantity: 1, unitPrice: '10.50' }],
  }));
  const touchpoints = orders.map((o, i) => ({
    externalId: `t${i}`,
    customerExternalId: `c${i}`,
    orderExternalId: o.externalId,
    type: 'delivery',
    journeyPhase: 'DELIVERY',
    occurredAt: '2026-03-03T10:00:00Z',
    subject: 'de televisie',
  }));
  return { customers, orders, touchpoints };
}

describe.each(DATABASE_TARGETS)('bulk import on $name', (target) => {
  let t: TestApp;
  let ws: { id: string; key: string };
  const counts = async () => ({
    customers: await t.app.database.prisma.customer.count({ where: { workspaceId: ws.id } }),
    orders: await t.app.database.prisma.order.count({ where: { workspaceId: ws.id } }),
    touchpoints: await t.app.database.prisma.touchpoint.count({ where: { workspaceId: ws.id } }),
  });

  beforeAll(async () => {
    t = await startTestApp(target);
    ws = await t.workspace();
  });
  afterAll(() => t?.close());

  it('imports customers, orders and touchpoints that refer to each other', async () => {
    const res = await t.gql(ws.key, IMPORT, { input: batch(50) });
    expect(res.body.data.importCommerceData.summary).toEqual({
      customers: { created: 50, updated: 0, unchanged: 0 },
      orders: { created: 50, updated: 0, unchanged: 0 },
      touchpoints: { created: 50, updated: 0, unchanged: 0 },
    });
    const tp = await t.app.database.prisma.touchpoint.findFirst({ where: { workspaceId: ws.id, externalId: 't7' }, include: { order: true, customer: true } });
    expect(tp?.order?.externalId).toBe('o7');
    expect(tp?.customer.externalId).toBe('c7');
    expect(tp?.order?.amount.toString()).toBe('17.5');
  });

  it('is idempotent: the same batch again creates and changes nothing, and says so', async () => {
    const stamp = async () => (await t.app.database.prisma.customer.findFirst({ where: { workspaceId: ws.id, externalId: 'c3' } }))!.updatedAt;
    const before = await stamp();
    const res = await t.gql(ws.key, IMPORT, { input: batch(50) });
    expect(res.body.data.importCommerceData.summary).toEqual({
      customers: { created: 0, updated: 0, unchanged: 50 },
      orders: { created: 0, updated: 0, unchanged: 50 },
      touchpoints: { created: 0, updated: 0, unchanged: 50 },
    });
    expect(await counts()).toEqual({ customers: 50, orders: 50, touchpoints: 50 });
    expect(await stamp()).toEqual(before);
  });

  it('counts as updated only the records whose values changed', async () => {
    const input = batch(50);
    input.customers[3] = { ...input.customers[3]!, firstName: 'Changed' };
    input.orders[4] = { ...input.orders[4]!, amount: '14.50' }; // the same amount, written differently
    const res = await t.gql(ws.key, IMPORT, { input });
    expect(res.body.data.importCommerceData.summary.customers).toEqual({ created: 0, updated: 1, unchanged: 49 });
    expect(res.body.data.importCommerceData.summary.orders).toEqual({ created: 0, updated: 0, unchanged: 50 });
    const input2 = batch(50);
    const again = await t.gql(ws.key, IMPORT, { input: input2 });
    expect(again.body.data.importCommerceData.summary.customers).toEqual({ created: 0, updated: 1, unchanged: 49 });
  });

  it('keeps fields a record leaves out and clears fields given as null', async () => {
    await t.gql(ws.key, IMPORT, { input: { customers: [{ externalId: 'c1', city: 'Utrecht' }] } });
    await t.gql(ws.key, IMPORT, { input: { customers: [{ externalId: 'c1', email: null }] } });
    const row = await t.app.database.prisma.customer.findFirst({ where: { workspaceId: ws.id, externalId: 'c1' } });
    expect(row).toMatchObject({ firstName: 'F1', city: 'Utrecht', email: null, devices: ['ios'], consentEmail: true });
  });

  it('reports every bad record with index and field, and writes nothing', async () => {
    const input = batch(5);
    input.customers.push({ externalId: 'new-1', email: 'broken' } as never);
    input.orders[2] = { ...input.orders[2]!, currency: 'euro' };
    input.orders.push({ ...input.orders[0]!, externalId: 'o-orphan', customerExternalId: 'nobody' });
    input.touchpoints[1] = { ...input.touchpoints[1]!, journeyPhase: 'SOMETIME' };
    const before = await counts();
    const res = await t.gql(ws.key, IMPORT, { input });
    const result = res.body.data.importCommerceData;
    expect(result.__typename).toBe('BulkImportRejectedError');
    expect(result.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ collection: 'customers', index: 5, field: 'email' }),
        expect.objectContaining({ collection: 'orders', index: 2, field: 'currency' }),
        expect.objectContaining({ collection: 'touchpoints', index: 1, field: 'journeyPhase' }),
      ]),
    );
    expect(await counts()).toEqual(before);
  });

  it('reports references to records that exist nowhere', async () => {
    const res = await t.gql(ws.key, IMPORT, { input: { orders: [{ externalId: 'x', customerExternalId: 'ghost', amount: '1', currency: 'EUR', orderedAt: '2026-01-01T00:00:00Z' }] } });
    expect(res.body.data.importCommerceData.issues).toEqual([
      { collection: 'orders', index: 0, field: 'customerExternalId', message: 'no Customer with external id "ghost" in this import or workspace' },
    ]);
  });

  it('reports duplicate external ids inside one batch', async () => {
    const res = await t.gql(ws.key, IMPORT, { input: { customers: [{ externalId: 'd' }, { externalId: 'd' }] } });
    expect(res.body.data.importCommerceData.issues).toEqual([{ collection: 'customers', index: 1, field: 'externalId', message: 'duplicates record 0 of this import' }]);
  });

  it('refuses more than 10,000 records', async () => {
    const customers = Array.from({ length: 10_001 }, (_, i) => ({ externalId: `big-${i}` }));
    const res = await t.gql(ws.key, IMPORT, { input: { customers } });
    expect(res.body.data.importCommerceData.issues[0].message).toContain('at most 10000');
  });

  it('imports 10,000 records in one call', async () => {
    const input = batch(3334);
    const res = await t.gql(ws.key, IMPORT, {
      input: {
        customers: input.customers.map((c) => ({ ...c, externalId: `k${c.externalId}` })),
        orders: input.orders.map((o) => ({ ...o, externalId: `k${o.externalId}`, customerExternalId: `k${o.customerExternalId}` })),
        touchpoints: input.touchpoints
          .slice(0, 3332)
          .map((tp) => ({ ...tp, externalId: `k${tp.externalId}`, customerExternalId: `k${tp.customerExternalId}`, orderExternalId: `k${tp.orderExternalId}` })),
      },
    });
    expect(res.body.data.importCommerceData.summary.customers.created).toBe(3334);
  });

  it('reports CSV line numbers', async () => {
    const csv = 'externalId,email,consentEmail\ncsv-1,ok@example.nl,yes\n\ncsv-2,nope,no\n';
    const parsed = parseCsvRecords(csv);
    const error = await importBatchOrThrow(t.app.database.prisma, ws.id, { customers: parsed.records, lines: { customers: parsed.lines } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkImportRejectedError);
    expect((error as BulkImportRejectedError).issues).toEqual([{ collection: 'customers', index: 1, line: 4, field: 'email', message: 'must be an email address' }]);
  });

  it('streams any number of records in batches inside one transaction: progress per batch, all or nothing', async () => {
    const stream = (records: Array<Record<string, unknown>>) =>
      async function* () {
        for (const [index, record] of records.entries()) yield { record, line: index + 2 };
      };
    const customers = Array.from({ length: 30 }, (_, i) => ({ externalId: `s${i}`, firstName: `S${i}` }));
    // Orders refer to customers written by earlier batches of the same import.
    const orders = Array.from({ length: 20 }, (_, i) => ({ externalId: `so${i}`, customerExternalId: `s${29 - i}`, amount: '5', currency: 'EUR', orderedAt: '2026-04-01T00:00:00Z' }));
    const steps: ImportProgress[] = [];
    const result = await importStreamsOrThrow(t.app.database.prisma, ws.id, { customers: stream(customers), orders: stream(orders) }, { batchSize: 7, onProgress: (step) => steps.push(step) });
    expect(result).toEqual({ customers: { created: 30, updated: 0, unchanged: 0 }, orders: { created: 20, updated: 0, unchanged: 0 }, touchpoints: { created: 0, updated: 0, unchanged: 0 } });
    expect(steps.map((step) => `${step.collection} ${step.done}/${step.total}`)).toEqual([
      'customers 7/30',
      'customers 14/30',
      'customers 21/30',
      'customers 28/30',
      'customers 30/30',
      'orders 7/20',
      'orders 14/20',
      'orders 20/20',
    ]);

    // A reference that fails in the last batch undoes the batches before it.
    const before = await counts();
    const late = [
      ...Array.from({ length: 20 }, (_, i) => ({ externalId: `late${i}`, customerExternalId: 's1', amount: '1', currency: 'EUR', orderedAt: '2026-04-02T00:00:00Z' })),
      { externalId: 'late-ghost', customerExternalId: 'ghost', amount: '1', currency: 'EUR', orderedAt: '2026-04-02T00:00:00Z' },
    ];
    const error = await importStreamsOrThrow(t.app.database.prisma, ws.id, { orders: stream(late) }, { batchSize: 7 }).catch((e: unknown) => e);
    expect((error as BulkImportRejectedError).issues).toEqual([
      { collection: 'orders', index: 20, line: 22, field: 'customerExternalId', message: 'no Customer with external id "ghost" in this import or workspace' },
    ]);
    expect(await counts()).toEqual(before);
  });
});
