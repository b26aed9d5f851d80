import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseSettings } from '../../src/db/database.js';

export interface DatabaseTarget {
  name: 'pglite' | 'postgres';
  /** Creates an empty database for one test file; the returned drop removes it. */
  create(): Promise<{ settings: DatabaseSettings; drop(): Promise<void> }>;
}

const pglite: DatabaseTarget = {
  name: 'pglite',
  async create() {
    return { settings: { kind: 'pglite', dataDir: 'memory://' }, drop: async () => {} };
  },
};

function postgres(url: string): DatabaseTarget {
  return {
    name: 'postgres',
    async create() {
      const name = `cx_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const target = new URL(url);
      target.pathname = `/${name}`;
      return {
        settings: { kind: 'postgres', url: target.toString(), poolSize: 5 },
        async drop() {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await client.end();
        },
      };
    },
  };
}

/** Every database test runs on PGlite, and on PostgreSQL too when TEST_DATABASE_URL is set. */
export const DATABASE_TARGETS: DatabaseTarget[] = [pglite, ...(process.env.TEST_DATABASE_URL ? [postgres(process.env.TEST_DATABASE_URL)] : [])];
