import { mkdir } from 'node:fs/promises';
import { traceStatement } from '../observability/tracing.js';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { Config } from '../config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { lockDataDirOrThrow } from './data-dir-lock.js';
import { pgliteRunner, poolRunner, type SqlRunner } from './sql-runner.js';

export type DatabaseSettings = Config['database'];

/** One open database: the Prisma client, a raw runner for migrations, and its lifecycle. */
export interface Database {
  kind: DatabaseSettings['kind'];
  prisma: PrismaClient;
  sql: SqlRunner;
  /** What the job queue connects to: its own pool on PostgreSQL, the same engine in embedded mode. */
  queueTarget: { kind: 'postgres'; url: string } | { kind: 'pglite'; pglite: PGlite };
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  /** Statements sent since the database was opened (what a request costs; refusals must cost none). */
  statementCount(): number;
  /** PostgreSQL pool connections (null on the embedded database): open, idle, and requests waiting for one. */
  poolStats(): { total: number; idle: number; waiting: number } | null;
  close(): Promise<void>;
}

export async function openDatabase(settings: DatabaseSettings): Promise<Database> {
  return settings.kind === 'postgres' ? openPostgres(settings.url, settings.poolSize, settings.statementTimeoutMs ?? 0) : openPglite(settings.dataDir);
}

/** Every connection of the server carries this name, so operators (and tests) can find them in pg_stat_activity. */
export const APPLICATION_NAME = 'cx-graph';

async function openPostgres(url: string, poolSize: number, statementTimeoutMs: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    application_name: APPLICATION_NAME,
    // No statement runs without bound, and a transaction a crashed request left open is ended by the server.
    statement_timeout: statementTimeoutMs || undefined,
    idle_in_transaction_session_timeout: statementTimeoutMs ? Math.max(statementTimeoutMs, 10_000) : undefined,
    // During an outage a request fails within seconds instead of queueing for a connection forever.
    connectionTimeoutMillis: 5_000,
  });
  // A connection closed by the server (restart, failover, pg_terminate_backend) must not end the
  // process: idle clients report on the pool, checked-out ones on themselves. pg discards the broken
  // client, the statement in flight fails (masked for the client) and the next query opens a new one.
  pool.on('error', (error) => process.emitWarning(`PostgreSQL idle connection lost: ${error.message}`));
  let statements = 0;
  pool.on('connect', (client) => {
    client.on('error', (error) => process.emitWarning(`PostgreSQL connection lost: ${error.message}`));
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      statements += 1;
      return traceStatement('postgresql', args[0], () => query(...args));
    };
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: 'postgres',
    prisma,
    queueTarget: { kind: 'postgres', url },
    sql: poolRunner(pool),
    async ping() {
      await pool.query('SELECT 1');
    },
    statementCount: () => statements,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  let unlock = async () => {};
  if (!dataDir.startsWith('memory://')) {
    await mkdir(dataDir, { recursive: true });
    unlock = await lockDataDirOrThrow(dataDir);
  }
  const pglite = await PGlite.create(dataDir).catch(async (error: unknown) => {
    await unlock();
    throw error;
  });
  const statements = countStatements(pglite);
  // pglite-prisma-adapter bundles its own copy of Prisma's adapter types; the runtime contract is the same.
  const adapter = new PrismaPGlite(pglite) as unknown as PrismaPg;
  const prisma = new PrismaClient({ adapter });
  return {
    kind: 'pglite',
    prisma,
    queueTarget: { kind: 'pglite', pglite },
    sql: pgliteRunner(pglite),
    async ping() {
      await pglite.query('SELECT 1');
    },
    statementCount: () => statements.count,
    poolStats: () => null,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      await unlock();
    },
  };
}

/** Counts statements on a PGlite instance (its query, exec and transaction calls, as callers reach them). */
function countStatements(pglite: PGlite): { count: number } {
  const counter = { count: 0 };
  const target = pglite as unknown as Record<'query' | 'exec' | 'transaction', (...args: unknown[]) => unknown>;
  for (const method of ['query', 'exec', 'transaction'] as const) {
    const original = target[method]!.bind(pglite);
    target[method] = (...args: unknown[]) => {
      counter.count += 1;
      return method === 'transaction' ? original(...args) : traceStatement('postgresql', args[0], () => original(...args));
    };
  }
  return counter;
}
