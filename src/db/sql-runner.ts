import type { PGlite } from '@electric-sql/pglite';
import type { Pool } from 'pg';

/**
 * The few raw operations the server needs outside Prisma (migrations, readiness), over either
 * PGlite or a PostgreSQL pool. `session` pins one connection so a transaction and a session-level
 * advisory lock stay on it.
 */
export interface SqlRunner {
  session<T>(fn: (conn: SqlConnection) => Promise<T>): Promise<T>;
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
  // PGlite is one connection already; callers serialise through it.
  return { session: (fn) => fn(conn) };
}

export function poolRunner(pool: Pool): SqlRunner {
  return {
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
}
