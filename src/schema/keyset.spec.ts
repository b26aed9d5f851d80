import { describe, expect, it } from 'vitest';
import { findPage, keysetWhere, type KeysetOrder } from './keyset.js';

describe('keysetWhere', () => {
  it.each<[string, KeysetOrder, boolean, unknown]>([
    ['ascending, after', [{ createdAt: 'asc' }, { id: 'asc' }], false, { AND: [{ createdAt: { gte: 5 } }, { OR: [{ createdAt: { gt: 5 } }, { createdAt: 5, id: { gt: 'c' } }] }] }],
    ['descending, after', [{ orderedAt: 'desc' }, { id: 'desc' }], false, { AND: [{ orderedAt: { lte: 5 } }, { OR: [{ orderedAt: { lt: 5 } }, { orderedAt: 5, id: { lt: 'c' } }] }] }],
    ['ascending, before', [{ createdAt: 'asc' }, { id: 'asc' }], true, { AND: [{ createdAt: { lte: 5 } }, { OR: [{ createdAt: { lt: 5 } }, { createdAt: 5, id: { lt: 'c' } }] }] }],
    [
      'three columns, mixed directions',
      [{ priority: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
      false,
      { AND: [{ priority: { lte: 2 } }, { OR: [{ priority: { lt: 2 } }, { priority: 2, createdAt: { gt: 5 } }, { priority: 2, createdAt: 5, id: { gt: 'c' } }] }] },
    ],
  ])('%s', (_name, order, backwards, expected) => {
    expect(keysetWhere(order, { createdAt: 5, orderedAt: 5, priority: 2, id: 'c' }, backwards)).toEqual(expected);
  });
});

/** A delegate over an array that understands exactly the where shapes keysetWhere writes. */
function arrayDelegate(rows: Array<{ id: string; a: number | null }>) {
  type Cond = Record<string, unknown>;
  const test = (row: Record<string, unknown>, where: Cond | undefined): boolean => {
    if (!where) return true;
    return Object.entries(where).every(([key, value]) => {
      if (key === 'AND') return (value as Cond[]).every((part) => test(row, part));
      if (key === 'OR') return (value as Cond[]).some((part) => test(row, part));
      if (value && typeof value === 'object') {
        const [[op, operand]] = Object.entries(value as Cond) as [[string, number | string]];
        const cell = row[key] as number | string;
        return op === 'gt' ? cell > operand : op === 'gte' ? cell >= operand : op === 'lt' ? cell < operand : cell <= operand;
      }
      return row[key] === value;
    });
  };
  return {
    async findFirst(args: { where: { id: string } }) {
      return rows.find((row) => row.id === args.where.id) ?? null;
    },
    async findMany(args: { where?: Cond; take?: number }) {
      const sorted = rows.filter((row) => test(row, args.where)).sort((x, y) => x.a! - y.a! || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
      if (args.take === undefined) return sorted;
      return args.take >= 0 ? sorted.slice(0, args.take) : sorted.slice(Math.max(0, sorted.length + args.take));
    },
  };
}

describe('findPage', () => {
  const rows = Array.from({ length: 30 }, (_, i) => ({ id: `r${String(i).padStart(2, '0')}`, a: i % 4 }));
  const delegate = arrayDelegate(rows);
  const order: KeysetOrder = [{ a: 'asc' }, { id: 'asc' }];
  const all = [...rows].sort((x, y) => x.a - y.a || (x.id < y.id ? -1 : 1));

  it('walks forwards through ties in the first column without losing or repeating a row', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page: Array<{ id: string }> = await findPage(delegate as never, { take: 4, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) }, { orderBy: order });
      seen.push(...page.map((row: { id: string }) => row.id));
      if (page.length < 4) break;
      cursor = (page.at(-1) as { id: string }).id;
    }
    expect(seen).toEqual(all.map((row) => row.id));
  });

  it('walks backwards from a cursor to the rows just before it', async () => {
    const page: Array<{ id: string }> = await findPage(delegate as never, { take: -3, cursor: { id: all[10]!.id }, skip: 1 }, { orderBy: order });
    expect(page.map((row: { id: string }) => row.id)).toEqual(all.slice(7, 10).map((row) => row.id));
  });

  it('answers an unknown cursor with an empty page, as Prisma does', async () => {
    expect(await findPage(delegate as never, { take: 3, cursor: { id: 'missing' }, skip: 1 }, { orderBy: order })).toEqual([]);
  });
});
