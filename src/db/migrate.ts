import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlConnection, SqlRunner } from './sql-runner.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

// Same table Prisma's migrate keeps, so `prisma migrate status` agrees with what ran here.
const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// Any constant shared by every instance: serialises concurrent boots against one database.
const ADVISORY_LOCK_KEY = 727_274_001;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
  checksumMismatches: string[];
}

export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    readonly sqlError: string,
  ) {
    super(`Migration ${migration} failed and was rolled back: ${sqlError}`);
  }
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies pending migrations in name order, each in its own transaction, and records each in
 * `_prisma_migrations`. A failing migration is rolled back and stops the run with its SQL error.
 */
export async function migrateOrThrow(runner: SqlRunner, migrations?: MigrationFile[]): Promise<MigrationReport> {
  const files = migrations ?? (await readMigrations());
  return runner.session(async (conn) => {
    await conn.exec(CREATE_TABLE);
    await conn.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    try {
      return await applyPending(conn, files);
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
    }
  });
}

async function applyPending(conn: SqlConnection, files: MigrationFile[]): Promise<MigrationReport> {
  const rows = await conn.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations"
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const done = new Map(rows.map((row) => [row.migration_name, row.checksum]));
  const report: MigrationReport = { applied: [], alreadyApplied: 0, checksumMismatches: [] };
  for (const file of files) {
    const checksum = done.get(file.name);
    if (checksum !== undefined) {
      report.alreadyApplied += 1;
      if (checksum !== file.checksum) report.checksumMismatches.push(file.name);
      continue;
    }
    await conn.exec('BEGIN');
    try {
      await conn.exec(file.sql);
      await conn.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
         VALUES ($1, $2, now(), $3, now(), 1)`,
        [randomUUID(), file.checksum, file.name],
      );
      await conn.exec('COMMIT');
    } catch (error) {
      await conn.exec('ROLLBACK');
      throw new MigrationError(file.name, error instanceof Error ? error.message : String(error));
    }
    report.applied.push(file.name);
  }
  return report;
}
