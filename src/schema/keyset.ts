/**
 * True keyset pagination for Prisma connections. Prisma turns `cursor` with a two-column order
 * into `(a = x AND id >= y) OR a > x`, which no index serves as a range: a page deep in a long
 * list reads everything before it. This rewrites the cursor into
 *
 *   a >= x AND (a > x OR (a = x AND id > y))
 *
 * (directions per column): the first conjunct is an index range on (workspace, a, id), the rest
 * only drops the few rows equal to the cursor. One lookup by primary key fetches the cursor row's
 * order values. Results and their order are exactly what Prisma's cursor gives.
 */

type Direction = 'asc' | 'desc';
export type KeysetOrder = Array<Record<string, Direction>>;

/** What Pothos passes to a connection resolver: its cursor, skip and take. */
export interface ConnectionQuery {
  cursor?: { id?: unknown } | undefined;
  skip?: number | undefined;
  take?: number | undefined;
}

/** The part of a Prisma model delegate a page needs. */
export interface PageDelegate<T> {
  findMany(args: never): PromiseLike<T[]>;
  findFirst(args: never): PromiseLike<unknown>;
}

type Where = Record<string, unknown>;

/** The predicate for rows strictly after (or, going backwards, before) the cursor row in `order`. */
export function keysetWhere(order: KeysetOrder, cursor: Record<string, unknown>, backwards: boolean): Where {
  const columns = order.map((entry) => {
    const [column, direction] = Object.entries(entry)[0]!;
    const ascending = (direction === 'asc') !== backwards;
    return { column, value: cursor[column], op: ascending ? 'gt' : 'lt' };
  });
  const [first] = columns;
  const branches = columns.map((current, index) => ({
    ...Object.fromEntries(columns.slice(0, index).map(({ column, value }) => [column, value])),
    [current.column]: { [current.op]: current.value },
  }));
  return { AND: [{ [first!.column]: { [`${first!.op}e`]: first!.value } }, { OR: branches }] };
}

/**
 * `findMany` for one page of a connection, with the cursor applied as a keyset predicate.
 * `order` must end with a unique column (the id). Falls back to Prisma's own cursor when a
 * cursor value is null (nulls have no order that `gt` expresses).
 */
export async function findPage<T>(delegate: PageDelegate<T>, query: ConnectionQuery & Record<string, unknown>, args: { where?: Where; orderBy: KeysetOrder }): Promise<T[]> {
  const { cursor, skip, ...rest } = query;
  const plain = () => delegate.findMany({ ...query, where: args.where, orderBy: args.orderBy } as never);
  if (!cursor || cursor.id === undefined) return plain();
  const select = Object.fromEntries(args.orderBy.map((entry) => [Object.keys(entry)[0]!, true]));
  const row = (await delegate.findFirst({ where: { id: cursor.id }, select } as never)) as Record<string, unknown> | null;
  // Prisma answers an unknown cursor (deleted, or another workspace's) with an empty page.
  if (!row) return [];
  if (Object.keys(select).some((column) => row[column] === null || row[column] === undefined)) return plain();
  const backwards = (query.take ?? 0) < 0;
  // Pothos skips the cursor row itself (skip: 1); the strict predicate already leaves it out.
  const extraSkip = Math.max(0, (skip ?? 0) - 1);
  const keyset = keysetWhere(args.orderBy, row, backwards);
  return delegate.findMany({ ...rest, ...(extraSkip ? { skip: extraSkip } : {}), where: args.where ? { AND: [args.where, keyset] } : keyset, orderBy: args.orderBy } as never);
}
