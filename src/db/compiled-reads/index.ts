import { isDataException } from '../database-errors.js';
import { db } from '../kysely.js';
import type { SqlRunner } from '../sql-runner.js';
import { compileFindMany, Unsupported } from './compile.js';
import { shapeRow, type Shape } from './result.js';

export { compileFindMany, Unsupported } from './compile.js';
export { modelInfo } from './datamodel.js';
export { isoInstant, plainConverterFor } from './result.js';
export { nodeLoadingClient } from './node-loader.js';

interface Compiled {
  sql: string;
  parameters: unknown[];
  shape: Shape;
  reverse: boolean;
}

/** Compiled statements by model, workspace and arguments: a list asked again the same way (a dashboard, a poll) skips compilation. */
const compiledCache = new Map<string, Compiled>();
const CACHE_SIZE = 500;

function compiledFor(model: string, args: Record<string, unknown>, workspaceId: string): Compiled {
  let key: string | null;
  try {
    key = `${model}\u0000${workspaceId}\u0000${JSON.stringify(args)}`;
  } catch {
    // A bigint has no JSON form: such arguments are compiled each time.
    key = null;
  }
  const cached = key === null ? undefined : compiledCache.get(key);
  if (cached) return cached;
  const found = compileFindMany(model, args, workspaceId);
  const { sql, parameters } = found.query.compile(db);
  const compiled = { sql, parameters: parameters as unknown[], shape: found.shape, reverse: found.reverse };
  if (key !== null) {
    if (compiledCache.size >= CACHE_SIZE) compiledCache.delete(compiledCache.keys().next().value!);
    compiledCache.set(key, compiled);
  }
  return compiled;
}

/**
 * An argument key for rows as the statement returns them (instants and exact numbers as text, see
 * result.ts plainConverterFor), for a caller that serializes them itself; a fallback to Prisma
 * still returns Prisma's values. A symbol, so it never reaches Prisma or the compiler.
 */
export const RAW_ROWS: unique symbol = Symbol('rawRows');

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
  const findMany = async (input: Record<string | symbol, unknown>): Promise<T[]> => {
    const raw = input[RAW_ROWS] === true;
    const { [RAW_ROWS]: _raw, ...args } = input;
    let compiled;
    try {
      compiled = compiledFor(model, args, workspaceId);
    } catch (error) {
      if (error instanceof Unsupported) return fallback.findMany(args as never);
      throw error;
    }
    let rows;
    try {
      rows = (await runner.session((conn) => conn.query(compiled.sql, compiled.parameters))) as Array<{ o: Record<string, unknown> }>;
    } catch (error) {
      if (isDataException(error)) return fallback.findMany(args as never);
      throw error;
    }
    const result = (raw ? rows.map((row) => row.o) : rows.map((row) => shapeRow(row.o, compiled.shape))) as T[];
    return compiled.reverse ? result.reverse() : result;
  };
  return {
    findMany: ((args: Record<string, unknown>) => findMany(args)) as ReadDelegate<T>['findMany'],
    findFirst: (async (args: Record<string, unknown>) => (await findMany({ ...args, take: 1 }))[0] ?? null) as ReadDelegate<T>['findFirst'],
  };
}
