import type { PGlite } from '@electric-sql/pglite';
import type { Pool } from 'pg';

/**
 * The few raw operations the server needs outside Prisma (migrations, readiness), over either
 * PGlite or a PostgreSQL pool. `session` pins one connection so a transaction and a session-level
 * advisory lock stay on it.
 */
export interface SqlRunner {
  session<T>(fn: (conn: SqlConnection) => Promise<T>): Promise<T>;
  /** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (conn: SqlConnection) => Promise<T>): Promise<T>;
}

export interface SqlConnection {
  query<Row extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
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
    async transaction(fn) {
      return runner.session(async (conn) => {
        await conn.exec('BEGIN');
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
      try {
        return await fn({
          async query<Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
            const result = await client.query<Row>(sql, params);
            return result.rows;
          },
          async exec(sql) {
            await client.query(sql);
          },
        });
      } finally {
        client.release();
      }
    },
  };
  return runner;
}
