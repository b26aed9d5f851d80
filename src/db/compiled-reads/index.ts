import { isDataException } from '../database-errors.js';
import { run } from '../kysely.js';
import type { SqlRunner } from '../sql-runner.js';
import { compileFindMany, Unsupported } from './compile.js';
import { shapeRow } from './result.js';

export { compileFindMany, Unsupported } from './compile.js';
export { nodeLoadingClient } from './node-loader.js';

/** The part of a Prisma model delegate the GraphQL lists use. */
export interface ReadDelegate<T> {
  findMany(args: never): PromiseLike<T[]>;
  findFirst(args: never): PromiseLike<unknown>;
}

/**
 * A model delegate whose reads are compiled into one statement per request (see compile.ts) and run
 * on the runner; arguments outside the compiled subset, and input the database rejects as data
 * (a malformed uuid), go to `fallback`, the workspace-scoped Prisma delegate, so answers and
 * errors stay exactly Prisma's.
 */
export function compiledDelegate<T>(runner: SqlRunner, workspaceId: string, model: string, fallback: ReadDelegate<T>): ReadDelegate<T> {
  const findMany = async (args: Record<string, unknown>): Promise<T[]> => {
    let compiled;
    try {
      compiled = compileFindMany(model, args, workspaceId);
    } catch (error) {
      if (error instanceof Unsupported) return fallback.findMany(args as never);
      throw error;
    }
    let rows;
    try {
      rows = await runner.session((conn) => run(conn, compiled.query));
    } catch (error) {
      if (isDataException(error)) return fallback.findMany(args as never);
      throw error;
    }
    const result = rows.map((row) => shapeRow(row.o, compiled.shape) as T);
    return compiled.reverse ? result.reverse() : result;
  };
  return {
    findMany: ((args: Record<string, unknown>) => findMany(args)) as ReadDelegate<T>['findMany'],
    findFirst: (async (args: Record<string, unknown>) => (await findMany({ ...args, take: 1 }))[0] ?? null) as ReadDelegate<T>['findFirst'],
  };
}
