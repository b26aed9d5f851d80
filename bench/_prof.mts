import pg from 'pg';
import { readFile, writeFile } from 'node:fs/promises';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfigOrThrow } from '../src/config.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { listen } from '../src/server.js';
const dbName = process.env.PROF_DB ?? 'cx_prof';
const admin = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount;
if (!exists) await admin.query(`CREATE DATABASE ${dbName}`);
await admin.end();
const url = `postgresql://postgres@127.0.0.1:5432/${dbName}`;
const config = { ...loadConfigOrThrow({ NODE_ENV: 'production', LOG_LEVEL: 'silent', RATE_LIMIT_CAPACITY: '1000000000', RATE_LIMIT_REFILL_PER_SECOND: '1000000' }), database: { kind: 'postgres' as const, url, poolSize: 16 } };
const app = await createApp(config, resolvePlugins({}), pino({ level: 'silent' }), { firstWorkspace: false, jobs: false });
const { workspace, adminKey } = await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Bench' + Date.now() });
if (!exists) {
  const sql = (await readFile(new URL('./seed.sql', import.meta.url), 'utf8')).replaceAll('__WS__', workspace.id).replaceAll('__CUSTOMERS__', '20000').replaceAll('__ORDERS__', '200000');
  await app.database.sql.session((conn) => conn.exec(sql));
  await writeFile('/tmp/ana/ws', workspace.id);
} else {
  // Reuse: point the seeded rows' workspace at... keep simple: reseed into the new workspace
  const sql = (await readFile(new URL('./seed.sql', import.meta.url), 'utf8')).replaceAll('__WS__', workspace.id).replaceAll('__CUSTOMERS__', '20000').replaceAll('__ORDERS__', '200000');
  await app.database.sql.session((conn) => conn.exec(sql));
}
const running = await listen(app, { host: '127.0.0.1', port: 4999, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
await writeFile('/tmp/ana/key', adminKey.plaintext);
console.log('READY', running.url);
process.on('SIGINT', () => process.exit(0));
