/**
 * Marks a root `prismaConnection` as answerable by planned reads (see plan.ts): its resolver must be
 * `(query, root, args, ctx) => findPage(listReads(ctx, ...), query, ...)`, reading nothing from
 * `info`. Use `plannedConnection(t)({ ... })` in place of `t.prismaConnection({ ... })`: the
 * options pass through unchanged, and the resolver, total count and page sizes (which Pothos keeps
 * in a closure) ride along in the field's extensions, where the planner finds them.
 */
export interface PlannedList {
  resolve: (query: unknown, root: unknown, args: Record<string, unknown>, ctx: unknown, info: unknown) => PromiseLike<unknown>;
  totalCount?: (root: unknown, args: Record<string, unknown>, ctx: unknown, info: unknown) => unknown;
  maxSize?: unknown;
  defaultSize?: unknown;
  cursor: unknown;
}

interface ConnectionOptions {
  cursor: unknown;
  resolve: unknown;
  totalCount?: unknown;
  maxSize?: unknown;
  defaultSize?: unknown;
  extensions?: Record<string, unknown>;
}

type FieldBuilder = { prismaConnection: (...args: never[]) => unknown };

export function plannedConnection<T extends FieldBuilder>(t: T): T['prismaConnection'] {
  const connection = t.prismaConnection as unknown as (options: ConnectionOptions, ...rest: unknown[]) => unknown;
  return ((options: ConnectionOptions, ...rest: unknown[]) => {
    const list: PlannedList = {
      resolve: options.resolve as PlannedList['resolve'],
      totalCount: options.totalCount as PlannedList['totalCount'],
      maxSize: options.maxSize,
      defaultSize: options.defaultSize,
      cursor: options.cursor,
    };
    return connection.call(t, { ...options, extensions: { ...options.extensions, plannedList: list } }, ...rest);
  }) as unknown as T['prismaConnection'];
}
