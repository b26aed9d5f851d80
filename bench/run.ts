/**
 * Customer-list benchmark: `customers(first: N)` with each customer's last 3 orders and business
 * unit, against a hand-written SQL baseline over node:http + pg, on PostgreSQL and on PGlite.
 * Scale: BENCH_CUSTOMERS (default 100000) and BENCH_ORDERS (default 1000000).
 * Needs BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres) to create a
 * scratch database. Writes bench/RESULTS.md.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { pino } from 'pino';
import { createApp, type App } from '../src/app.js';
import { loadConfigOrThrow } from '../src/config.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import type { DatabaseSettings } from '../src/db/database.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { listen } from '../src/server.js';
import { writeSection } from './results-file.js';
import { startPostGraphile } from './postgraphile-peer.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SEQUENTIAL = Number(process.env.BENCH_REQUESTS ?? 300);
const THROUGHPUT_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

// Count every statement sent by node-postgres (Prisma's PostgreSQL adapter uses it too).
let statements = 0;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function countingQuery(this: pg.Client, ...args: unknown[]) {
  statements += 1;
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

const QUERY = `query($n: Int!) { customers(first: $n) { edges { node { id fullName email businessUnit { id name } orders(first: 3) { edges { node { id amount currency orderedAt } } } } } } }`;

const BASELINE_SQL = `
SELECT c.id, c."firstName", c.infix, c."lastName", c.email, bu.id AS "buId", bu.name AS "buName",
       COALESCE(o.orders, '[]') AS orders
  FROM "Customer" c
  LEFT JOIN "BusinessUnit" bu ON bu.id = c."businessUnitId"
  LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object('id', x.id, 'amount', x.amount::text, 'currency', x.currency, 'orderedAt', x."orderedAt") ORDER BY x."orderedAt" DESC, x.id DESC) AS orders
      FROM (SELECT id, amount, currency, "orderedAt" FROM "Order" WHERE "customerId" = c.id ORDER BY "orderedAt" DESC, id DESC LIMIT 3) x
  ) o ON true
 WHERE c."workspaceId" = $1
 ORDER BY c."createdAt", c.id
 LIMIT $2`;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timeRequests(url: string, body: (n: number) => string, headers: Record<string, string>, n: number) {
  const times: number[] = [];
  for (let i = 0; i < SEQUENTIAL + 20; i += 1) {
    const start = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body(n) });
    const text = await response.text();
    if (!response.ok || text.includes('"errors"')) throw new Error(`request failed: ${text.slice(0, 300)}`);
    if (i >= 20) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99) };
}

async function throughput(url: string, body: string, headers: Record<string, string>) {
  const result = await autocannon({ url, method: 'POST', connections: 16, duration: THROUGHPUT_SECONDS, headers: { 'content-type': 'application/json', ...headers }, body });
  return { rps: result.requests.average, errors: result.errors + result.non2xx };
}

async function seed(app: App, workspaceId: string) {
  const sql = (await readFile(new URL('./seed.sql', import.meta.url), 'utf8'))
    .replaceAll('__WS__', workspaceId)
    .replaceAll('__CUSTOMERS__', String(CUSTOMERS))
    .replaceAll('__ORDERS__', String(ORDERS));
  await app.database.sql.session((conn) => conn.exec(sql));
  // Vacuumed as a live table would be: otherwise autovacuum visits the million fresh orders while
  // the first measurement runs (cx-graph's, which then paid for it alone).
  await app.database.sql.session((conn) => conn.exec('VACUUM (ANALYZE)'));
}

async function startApp(settings: DatabaseSettings) {
  const config = { ...loadConfigOrThrow({ NODE_ENV: 'production', LOG_LEVEL: 'silent', RATE_LIMIT_CAPACITY: '1000000000', RATE_LIMIT_REFILL_PER_SECOND: '1000000' }), database: settings };
  const app = await createApp(config, resolvePlugins({}), pino({ level: 'silent' }), { firstWorkspace: false, jobs: false });
  const { workspace, adminKey } = await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Bench' });
  const started = performance.now();
  await seed(app, workspace.id);
  const seedSeconds = (performance.now() - started) / 1000;
  const running = await listen(app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
  return { app, running, key: adminKey.plaintext, workspaceId: workspace.id, seedSeconds };
}

async function main() {
  const dbName = `cx_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const lines: string[] = [];
  try {
    console.log(`seeding PostgreSQL: ${CUSTOMERS} customers, ${ORDERS} orders`);
    const pgApp = await startApp({ kind: 'postgres', url: url.toString(), poolSize: 16 });
    const auth = { authorization: `Bearer ${pgApp.key}` };
    const gqlUrl = `${pgApp.running.url}/graphql`;
    const gqlBody = (n: number) => JSON.stringify({ query: QUERY, variables: { n } });

    // Baseline: the same data from one hand-written statement over node:http + pg.
    const pool = new pg.Pool({ connectionString: url.toString(), max: 16 });
    const baseline = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk));
      req.on('end', async () => {
        const { n } = JSON.parse(raw) as { n: number };
        const { rows } = await pool.query(BASELINE_SQL, [pgApp.workspaceId, n]);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: rows }));
      });
    });
    await new Promise<void>((resolve) => baseline.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(baseline.address() as AddressInfo).port}/`;
    const baseBody = (n: number) => JSON.stringify({ n });

    const stmts: Record<number, number> = {};
    for (const n of [1, 20, 100]) {
      await fetch(gqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: gqlBody(n) });
      statements = 0;
      const response = await fetch(gqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: gqlBody(n) });
      await response.text();
      stmts[n] = statements;
    }

    const gqlLatency = await timeRequests(gqlUrl, gqlBody, auth, 20);
    const baseLatency = await timeRequests(baseUrl, baseBody, {}, 20);
    const gqlLatency100 = await timeRequests(gqlUrl, gqlBody, auth, 100);
    const baseLatency100 = await timeRequests(baseUrl, baseBody, {}, 100);
    const gqlRps = await throughput(gqlUrl, gqlBody(20), auth);
    const baseRps = await throughput(baseUrl, baseBody(20), {});
    // The peer: PostGraphile 5 on the same database, the same shape.
    const peer = await startPostGraphile(url.toString(), pgApp.workspaceId);
    const peerLatency = await timeRequests(peer.url, peer.body, {}, 20);
    const peerLatency100 = await timeRequests(peer.url, peer.body, {}, 100);
    const peerRps = await throughput(peer.url, peer.body(20), {});
    await peer.close();
    baseline.close();
    await pool.end();
    await pgApp.running.shutdown();

    console.log('seeding PGlite');
    const liteApp = await startApp({ kind: 'pglite', dataDir: 'memory://' });
    const liteUrl = `${liteApp.running.url}/graphql`;
    const liteLatency = await timeRequests(liteUrl, gqlBody, { authorization: `Bearer ${liteApp.key}` }, 20);
    await liteApp.running.shutdown();

    const f = (ms: number) => ms.toFixed(2);
    lines.push(
      `## Customer list (${new Date().toISOString().slice(0, 10)})`,
      '',
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on loopback.`,
      `Data: ${CUSTOMERS.toLocaleString('en')} customers, ${ORDERS.toLocaleString('en')} orders (seeded in ${pgApp.seedSeconds.toFixed(0)} s on PostgreSQL, ${liteApp.seedSeconds.toFixed(0)} s on PGlite).`,
      'Query: `customers(first: N) { ... businessUnit { name } orders(first: 3) { ... } }`; baseline: one hand-written LATERAL query over node:http + pg returning the same data.',
      `Sequential latency over ${SEQUENTIAL} requests after 20 warm-up; throughput with autocannon, 16 connections, ${THROUGHPUT_SECONDS} s.`,
      '',
      'Peer: PostGraphile 5.1.5 (amber preset) on the same database, asked for the same shape (`allCustomers(condition: { workspaceId })` with the business unit and `first: 3` orders), over its own node:http server.',
      '',
      '| measure | cx-graph | PostGraphile 5 | hand-written SQL | cx-graph / hand-written | cx-graph / PostGraphile | targets |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      `| latency N=20, median ms | ${f(gqlLatency.median)} | ${f(peerLatency.median)} | ${f(baseLatency.median)} | ${(gqlLatency.median / baseLatency.median).toFixed(2)}x | ${(gqlLatency.median / peerLatency.median).toFixed(2)}x | <= 3x, <= 1.5x |`,
      `| latency N=20, p99 ms | ${f(gqlLatency.p99)} | ${f(peerLatency.p99)} | ${f(baseLatency.p99)} | ${(gqlLatency.p99 / baseLatency.p99).toFixed(2)}x | ${(gqlLatency.p99 / peerLatency.p99).toFixed(2)}x | |`,
      `| latency N=100, median ms | ${f(gqlLatency100.median)} | ${f(peerLatency100.median)} | ${f(baseLatency100.median)} | ${(gqlLatency100.median / baseLatency100.median).toFixed(2)}x | ${(gqlLatency100.median / peerLatency100.median).toFixed(2)}x | <= 3x, <= 1.5x |`,
      `| latency N=100, p99 ms | ${f(gqlLatency100.p99)} | ${f(peerLatency100.p99)} | ${f(baseLatency100.p99)} | ${(gqlLatency100.p99 / baseLatency100.p99).toFixed(2)}x | ${(gqlLatency100.p99 / peerLatency100.p99).toFixed(2)}x | |`,
      `| throughput N=20, req/s (16 clients) | ${gqlRps.rps.toFixed(0)} (${gqlRps.errors} errors) | ${peerRps.rps.toFixed(0)} (${peerRps.errors} errors) | ${baseRps.rps.toFixed(0)} (${baseRps.errors} errors) | ${(gqlRps.rps / baseRps.rps).toFixed(2)}x | ${(gqlRps.rps / peerRps.rps).toFixed(2)}x | >= 0.4x |`,
      '',
      `SQL statements per GraphQL request (API key lookup included): N=1: ${stmts[1]}, N=20: ${stmts[20]}, N=100: ${stmts[100]} (target: constant, at most 2).`,
      '',
      `PGlite vs PostgreSQL, GraphQL N=20 median: ${f(liteLatency.median)} ms vs ${f(gqlLatency.median)} ms = ${(liteLatency.median / gqlLatency.median).toFixed(2)}x (target <= 1.5x); p99 ${f(liteLatency.p99)} ms vs ${f(gqlLatency.p99)} ms.`,
      '',
    );
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  await writeSection('customer-list', lines.join('\n'));
  console.log(lines.join('\n'));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
