import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledDelegate, nodeLoadingClient, type ReadDelegate } from '../src/db/compiled-reads/index.js';
import type { SqlRunner } from '../src/db/sql-runner.js';
import { referencedColumns } from '../src/db/compiled-reads/datamodel.js';
import { scopeToWorkspace } from '../src/db/workspace-scope.js';
import { findPage, type KeysetOrder } from '../src/schema/keyset.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';

/** Dates and decimals as Prisma hands them to the JSON encoder: equal JSON means equal values. */
const plain = (rows: unknown) => JSON.parse(JSON.stringify(rows)) as unknown;

const NEVER: ReadDelegate<never> = {
  findMany: () => {
    throw new Error('fell back to Prisma');
  },
  findFirst: () => {
    throw new Error('fell back to Prisma');
  },
};

describe('relation keys', () => {
  it('every relation in prisma/schema.prisma references what the compiler joins on', async () => {
    const schema = await readFile(path.resolve(__dirname, '../prisma/schema.prisma'), 'utf8');
    const relations = [...schema.matchAll(/@relation\([^)]*fields: \[([^\]]*)\], references: \[([^\]]*)\]/g)];
    expect(relations.length).toBeGreaterThan(30);
    for (const [text, fields, references] of relations) {
      const from = fields!.split(',').map((field) => field.trim());
      expect(referencedColumns(from), text).toEqual(references!.split(',').map((field) => field.trim()));
    }
  });
});

/**
 * The compiled read path against Prisma itself: for each argument shape the GraphQL lists produce,
 * one compiled statement returns exactly what the workspace-scoped Prisma delegate returns (values,
 * types, order), and nothing of another workspace.
 */
describe.each(DATABASE_TARGETS)('compiled reads on $name', (target) => {
  let t: TestApp;
  let workspaceId: string;
  let otherId: string;
  let scoped: Loose;

  beforeAll(async () => {
    t = await startTestApp(target);
    workspaceId = (await t.workspace()).id;
    otherId = (await t.workspace()).id;
    const prisma = t.app.database.prisma;
    for (const ws of [workspaceId, otherId]) {
      const unit = await prisma.businessUnit.create({ data: { workspaceId: ws, name: 'Online' } });
      const names = ['Anna', 'an%na', 'Bram_', 'Cees', 'Daan', 'Eva', 'Fleur', null];
      for (const [i, firstName] of names.entries()) {
        const customer = await prisma.customer.create({
          data: {
            workspaceId: ws,
            externalId: `c${i}`,
            firstName,
            lastName: ['de Vries', 'Jansen', 'Bakker'][i % 3]!,
            email: i === 0 ? 'Anna@Example.nl' : `c${i}@example.nl`,
            country: i % 2 ? 'NL' : 'BE',
            devices: i % 2 ? ['ios'] : [],
            attributes: { tier: i, nested: { ok: true } },
            businessUnitId: i % 3 ? unit.id : null,
            customerSince: new Date(Date.UTC(2024, i, 1)),
            churnedAt: i === 5 ? new Date(Date.UTC(2025, 0, 1)) : null,
          },
        });
        for (let j = 0; j < i; j += 1) {
          const order = await prisma.order.create({
            data: {
              workspaceId: ws,
              customerId: customer.id,
              businessUnitId: unit.id,
              amount: `${10 * j}.${j}5`,
              currency: 'EUR',
              orderedAt: new Date(Date.UTC(2025, j % 3, 1 + j)),
              lines: [{ sku: `s${j}` }],
            },
          });
          if (j === 0)
            await prisma.touchpoint.create({ data: { workspaceId: ws, customerId: customer.id, orderId: order.id, type: 'purchase', journeyPhase: 'PURCHASE', occurredAt: order.orderedAt } });
        }
      }
    }
    scoped = scopeToWorkspace(prisma, workspaceId);
  });
  afterAll(() => t.close());

  const compiled = (model: string, fallback: ReadDelegate<unknown> = NEVER) => compiledDelegate(t.app.database.sql, workspaceId, model, fallback);

  const customerCases: Array<[string, Record<string, unknown>]> = [
    [
      'the customer list shape: columns, to-one, a limited to-many and a count',
      {
        select: {
          id: true,
          firstName: true,
          email: true,
          customerSince: true,
          businessUnit: true,
          orders: { orderBy: [{ orderedAt: 'desc' }, { id: 'desc' }], take: 4, skip: 0, select: { id: true, amount: true, currency: true, orderedAt: true, lines: true } },
          touchpoints: { orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }], take: 2, skip: 0 },
          _count: { select: { orders: true } },
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: 21,
        skip: 0,
      },
    ],
    ['every column (include mode), backwards', { orderBy: [{ lastName: 'desc' }, { id: 'desc' }], take: -3 }],
    ['skip and take', { select: { id: true }, orderBy: [{ lastName: 'asc' }, { id: 'asc' }], skip: 2, take: 3 }],
    ['contains, insensitive', { where: { OR: [{ firstName: { contains: 'AN', mode: 'insensitive' } }, { externalId: 'c3' }] }, orderBy: [{ id: 'asc' }] }],
    ['case-insensitive equality', { where: { email: { equals: 'anna@example.NL', mode: 'insensitive' } }, orderBy: [{ id: 'asc' }] }],
    ['null and not null', { where: { churnedAt: { not: null }, firstName: { not: null } }, orderBy: [{ id: 'asc' }] }],
    ['is null', { where: { churnedAt: null }, orderBy: [{ id: 'asc' }] }],
    ['a date range', { where: { customerSince: { gte: new Date(Date.UTC(2024, 2, 1)), lt: new Date(Date.UTC(2024, 6, 1)) } }, orderBy: [{ customerSince: 'desc' }, { id: 'desc' }] }],
    ['in, notIn and an empty in', { where: { AND: [{ externalId: { in: ['c1', 'c2', 'c4'] } }, { country: { notIn: ['BE'] } }] }, orderBy: [{ id: 'asc' }] }],
    ['a list that has a value', { where: { devices: { has: 'ios' } }, orderBy: [{ id: 'asc' }] }],
    ['NOT', { where: { NOT: { country: 'NL' } }, orderBy: [{ id: 'asc' }] }],
    ['not and notIn on a column with nulls', { where: { OR: [{ firstName: { not: 'Anna' } }, { lastName: { notIn: ['Jansen'] } }] }, orderBy: [{ id: 'asc' }] }],
    ['not alone on a column with nulls', { where: { firstName: { not: 'Anna' } }, orderBy: [{ id: 'asc' }] }],
    ['notIn alone on a column with nulls', { where: { firstName: { notIn: ['Anna', 'Cees'] } }, orderBy: [{ id: 'asc' }] }],
    ['a to-many relation filter', { where: { touchpoints: { some: { journeyPhase: 'PURCHASE' } } }, orderBy: [{ id: 'asc' }] }],
    ['none and every', { where: { orders: { none: { amount: { gte: '30' } } }, businessUnit: { is: { name: 'Online' } } }, orderBy: [{ id: 'asc' }] }],
  ];

  it.each(customerCases)('Customer: %s', async (_name, args) => {
    const expected = await scoped.customer.findMany(args);
    const actual = (await compiled('Customer').findMany(args as never)) as Loose[];
    expect(plain(actual)).toEqual(plain(expected));
    expect(actual.length).toBeGreaterThan(0);
  });

  it('an empty in matches nothing', async () => {
    expect(await compiled('Customer').findMany({ where: { externalId: { in: [] } } } as never)).toEqual([]);
  });

  it('a search takes % and _ literally (Prisma would read them as wildcards)', async () => {
    const rows = (await compiled('Customer').findMany({
      where: { OR: [{ firstName: { contains: 'AN%', mode: 'insensitive' } }, { firstName: { endsWith: 'm_' } }] },
      select: { firstName: true },
      orderBy: [{ id: 'asc' }],
    } as never)) as Loose[];
    expect(rows.map((row) => row.firstName).sort()).toEqual(['Bram_', 'an%na']);
  });

  it('values come back as Prisma types: Date, Decimal and parsed JSON', async () => {
    const [row] = (await compiled('Order').findMany({
      select: { amount: true, orderedAt: true, lines: true, customer: { select: { customerSince: true } } },
      take: 1,
      orderBy: [{ id: 'asc' }],
    } as never)) as Loose[];
    expect(row.orderedAt).toBeInstanceOf(Date);
    expect(row.customer.customerSince).toBeInstanceOf(Date);
    expect(typeof row.amount.toFixed).toBe('function');
    expect(Array.isArray(row.lines)).toBe(true);
  });

  it('orders with their customer, filtered on an exact number', async () => {
    const args = {
      select: { id: true, amount: true, customer: { select: { id: true, lastName: true } } },
      where: { amount: { gte: '20.25' } },
      orderBy: [{ orderedAt: 'desc' }, { id: 'desc' }],
      skip: 1,
      take: 5,
    };
    expect(plain(await compiled('Order').findMany(args as never))).toEqual(plain(await scoped.order.findMany(args)));
  });

  it("never returns another workspace's rows, at any depth", async () => {
    const rows = (await compiled('Customer').findMany({ select: { workspaceId: true, orders: { select: { workspaceId: true } } } } as never)) as Loose[];
    expect(rows.length).toBe(8);
    expect(new Set(rows.flatMap((row) => [row.workspaceId, ...row.orders.map((order: Loose) => order.workspaceId)]))).toEqual(new Set([workspaceId]));
    const [foreign] = await t.app.database.prisma.customer.findMany({ where: { workspaceId: otherId }, take: 1 });
    expect(await compiled('Customer').findFirst({ where: { id: foreign!.id } } as never)).toBeNull();
  });

  it('keyset pages through the compiled path equal the Prisma pages', async () => {
    const order: KeysetOrder = [{ lastName: 'asc' }, { id: 'asc' }];
    const all = (await scoped.customer.findMany({ orderBy: order, select: { id: true } })) as Array<{ id: string }>;
    const page = await findPage(compiled('Customer') as never, { take: 3, cursor: { id: all[2]!.id }, skip: 1, select: { id: true } }, { orderBy: order });
    expect(plain(page)).toEqual(plain(all.slice(3, 6)));
  });

  it('hands arguments outside the compiled subset, and input the database rejects, to Prisma', async () => {
    const calls: unknown[] = [];
    const fallback: ReadDelegate<unknown> = {
      findMany: (args: never) => {
        calls.push(args);
        return Promise.resolve([]);
      },
      findFirst: () => Promise.resolve(null),
    };
    await compiled('Customer', fallback).findMany({ cursor: { id: 'x' }, take: 2 } as never);
    await compiled('Customer', fallback).findMany({ where: { attributes: { path: ['tier'], equals: 1 } } } as never);
    await compiled('Customer', fallback).findMany({ select: { id: true, orders: { cursor: { id: 'x' }, take: 2 } } } as never);
    await compiled('Customer', fallback).findMany({ where: { id: 'not-a-uuid' } } as never);
    expect(calls.length).toBe(4);
  });

  it('node lookups by id are batched: one statement per model and selection, foreign and unknown ids are null', async () => {
    let statements = 0;
    const runner: SqlRunner = {
      session: (fn) =>
        t.app.database.sql.session((conn) =>
          fn({
            ...conn,
            query: (text, params) => {
              statements += 1;
              return conn.query(text, params);
            },
          }),
        ),
      transaction: (fn) => t.app.database.sql.transaction(fn),
    } as SqlRunner;
    const client = nodeLoadingClient(runner, workspaceId, scoped) as Loose;
    const own = (await scoped.customer.findMany({ select: { id: true }, orderBy: { id: 'asc' }, take: 3 })) as Array<{ id: string }>;
    const [foreign] = await t.app.database.prisma.customer.findMany({ where: { workspaceId: otherId }, take: 1 });
    const select = { id: true, lastName: true, orders: { select: { amount: true }, orderBy: [{ id: 'asc' }], take: 2 } };
    const ids = [...own.map((row) => row.id), foreign!.id, '00000000-0000-0000-0000-000000000000'];
    const loaded = await Promise.all(ids.map((id) => client.customer.findUnique({ where: { id }, select })));
    expect(statements).toBe(1);
    const expected = await Promise.all(ids.map((id) => scoped.customer.findUnique({ where: { id }, select })));
    expect(plain(loaded)).toEqual(plain(expected));
    expect(loaded.slice(3)).toEqual([null, null]);
    // A malformed id goes to Prisma on its own: it fails as before, the well-formed one beside it does not.
    const mixed = await Promise.allSettled([client.customer.findUnique({ where: { id: own[0]!.id }, select }), client.customer.findUnique({ where: { id: 'not-a-uuid' }, select })]);
    expect(mixed[0]).toMatchObject({ status: 'fulfilled', value: { id: own[0]!.id } });
    const direct = await scoped.customer.findUnique({ where: { id: 'not-a-uuid' }, select }).then(
      (value: unknown) => ({ status: 'fulfilled', value }),
      () => ({ status: 'rejected' }),
    );
    expect(mixed[1]!.status).toBe(direct.status);
  });
});
