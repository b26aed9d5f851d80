import type { PGlite } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import type { Pool, QueryConfig } from 'pg';
import { isDatabaseUnavailable } from './database-errors.js';

/**
 * The few raw operations the server needs outside Prisma (migrations, readiness), over either
 * PGlite or a PostgreSQL pool. `session` pins one connection so a transaction and a session-level
 * advisory lock stay on it.
 */
export interface SqlRunner {
  session<T>(fn: (conn: SqlConnection) => Promise<T>): Promise<T>;
  /** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (conn: SqlConnection) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

export interface TransactionOptions {
  /**
   * Plan the transaction's prepared statements once, for any values (plan_cache_mode =
   * force_generic_plan), instead of PostgreSQL re-planning them for their values on every call. For
   * hot paths whose statements take key lists (`= ANY ($1)`, jsonb_to_recordset) and are served by
   * the same indexes whatever the values: re-planning them would cost more than running them.
   */
  genericPlans?: boolean;
}

export interface QueryOptions {
  /**
   * false: run unnamed, planned for these values every time. For analytic statements whose best
   * plan depends on the values (a period, a filter): a cached generic plan can cost them several
   * times the planning it saves. Default true: named, prepared once per connection.
   */
  prepare?: boolean;
}

export interface SqlConnection {
  query<Row extends Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Row[]>;
  /** Runs a script of several statements (simple query protocol, no parameters). */
  exec(sql: string): Promise<void>;
}

export function pgliteRunner(db: PGlite): SqlRunner {
  const conn: SqlConnection = {
    async query<Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const result = await db.query<Row>(sql, params);
      return result.rows;
    },
    async exec(sql) {
      await db.exec(sql);
    },
  };
  return {
    // PGlite is one connection already; callers serialise through it.
    session: (fn) => fn(conn),
    // PGlite's own transaction holds its lock, so Prisma's queries wait instead of interleaving.
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          async query<Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
            return (await tx.query<Row>(sql, params)).rows;
          },
          async exec(sql) {
            await tx.exec(sql);
          },
        }),
      ),
  };
}

export function poolRunner(pool: Pool): SqlRunner {
  const runner: SqlRunner = {
    async transaction(fn, options = {}) {
      return runner.session(async (conn) => {
        // One round trip for both (the simple protocol runs a script of statements).
        await conn.exec(options.genericPlans ? 'BEGIN; SET LOCAL plan_cache_mode = force_generic_plan' : 'BEGIN');
        try {
          const result = await fn(conn);
          await conn.exec('COMMIT');
          return result;
        } catch (error) {
          await conn.exec('ROLLBACK').catch(() => undefined);
          throw error;
        }
      });
    },
    async session(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        return await fn({
          async query<Row extends Record<string, unknown>>(sql: string, params: unknown[] = [], options: QueryOptions = {}) {
            const result = await client.query<Row>(options.prepare === false ? { text: sql, values: params } : prepared(sql, params));
            return result.rows;
          },
          async exec(sql) {
            await client.query(sql);
          },
        });
      } catch (error) {
        // A connection that failed under us is destroyed, not handed to the next caller.
        if (isDatabaseUnavailable(error)) broken = error as Error;
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
  return runner;
}

/** Distinct statement texts prepared by name; past this, statements run unnamed (dynamic SQL must not grow server memory without bound). */
const MAX_PREPARED = 2_000;
const MAX_PREPARED_LENGTH = 20_000;
const names = new Map<string, string>();

/**
 * Runs a statement as a named prepared statement: PostgreSQL parses and plans it once per
 * connection instead of on every call (the answer path runs the same few statements all day).
 * The name is a hash of the text, so the same text always maps to the same statement.
 */
function prepared(text: string, values: unknown[]): QueryConfig {
  let name = names.get(text);
  if (!name) {
    if (names.size >= MAX_PREPARED || text.length > MAX_PREPARED_LENGTH) return { text, values };
    name = `cx_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return { name, text, values };
}

/** Runs a data-changing statement that ends in `RETURNING 1` and answers how many rows it changed. */
export async function countChanged(conn: SqlConnection, statement: string, params: unknown[]): Promise<number> {
  const [row] = await conn.query<{ n: number }>(`WITH changed AS (${statement}) SELECT count(*)::int AS n FROM changed`, params);
  return row?.n ?? 0;
}
