import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrateOrThrow, MigrationError, readMigrations } from '../src/db/migrate.js';
import { DATABASE_TARGETS } from './support/databases.js';

describe.each(DATABASE_TARGETS)('migrations on $name', (target) => {
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.reverse()) await fn();
    cleanup = [];
  });

  async function fresh(): Promise<Database> {
    const created = await target.create();
    const database = await openDatabase(created.settings);
    cleanup.push(created.drop, () => database.close());
    return database;
  }

  it('applies every migration once; a second run applies nothing', async () => {
    const database = await fresh();
    const files = await readMigrations();
    const first = await migrateOrThrow(database.sql);
    expect(first.applied).toEqual(files.map((file) => file.name));
    const second = await migrateOrThrow(database.sql);
    expect(second).toEqual({ applied: [], alreadyApplied: files.length, checksumMismatches: [] });
    const rows = await database.sql.session((conn) => conn.query<{ migration_name: string; checksum: string }>('SELECT migration_name, checksum FROM "_prisma_migrations"'));
    expect(rows.map((row) => row.checksum)).toEqual(files.map((file) => file.checksum));
  });

  it('rolls a failing migration back completely and reports its SQL error', async () => {
    const database = await fresh();
    const files = await readMigrations();
    await migrateOrThrow(database.sql, files);
    const broken = { name: '29990101000000_broken', checksum: 'x', sql: 'CREATE TABLE "Half" (id int);\nALTER TABLE "NoSuchTable" ADD COLUMN x int;' };
    const error = await migrateOrThrow(database.sql, [...files, broken]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).message).toMatch(/29990101000000_broken.*NoSuchTable/);
    const tables = await database.sql.session((conn) => conn.query<{ n: string }>(`SELECT count(*)::text AS n FROM information_schema.tables WHERE table_name = 'Half'`));
    expect(tables[0]?.n).toBe('0');
    const recorded = await database.sql.session((conn) => conn.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1`, [broken.name]));
    expect(recorded).toHaveLength(0);
  });
});
