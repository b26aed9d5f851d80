/**
 * What the operation limits, the cost calculation and the per-key rate limit add to the hot path:
 * the customer-list query through two servers on one PostgreSQL database, one with the guards and
 * one without (`guards: false`), measured in alternating rounds so both see the same machine load.
 * Scale: BENCH_CUSTOMERS (default 20000), BENCH_ORDERS (default 200000). Writes bench/RESULTS.md.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { parse } from 'graphql';
import { pino } from 'pino';
import { createApp, type App } from '../src/app.js';
import { loadConfigOrThrow } from '../src/config.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import { operationCost } from '../src/http/guards/query-cost.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { listen } from '../src/server.js';
import { writeSection } from './results-file.js';
import { alternatingRounds, comparisonRows, createScratchDatabase, CUSTOMER_LIST_QUERY, timeCustomerList } from './support.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 100);
async function main() {
  const scratch = await createScratchDatabase('cx_bench_limits');
  const apps: App[] = [];
  try {
    const settings = { kind: 'postgres' as const, url: scratch.url, poolSize: 10 };
    // A bucket that never empties during the run: the limiter's work is measured, not its refusals.
    const config = { ...loadConfigOrThrow({ NODE_ENV: 'production', LOG_LEVEL: 'silent', RATE_LIMIT_CAPACITY: '100000000' }), database: settings };
    const guarded = await createApp(config, resolvePlugins({}), pino({ level: 'silent' }), { firstWorkspace: false, jobs: false });
    const bare = await createApp(config, resolvePlugins({}), pino({ level: 'silent' }), { firstWorkspace: false, jobs: false, guards: false });
    apps.push(guarded, bare);
    const { workspace, adminKey } = await createWorkspaceWithAdminKey(guarded.database.prisma, { name: 'Bench' });
    const seedSql = (await readFile(new URL('./seed.sql', import.meta.url), 'utf8'))
      .replaceAll('__WS__', workspace.id)
      .replaceAll('__CUSTOMERS__', String(CUSTOMERS))
      .replaceAll('__ORDERS__', String(ORDERS));
    console.log(`seeding ${CUSTOMERS} customers, ${ORDERS} orders`);
    await guarded.database.sql.session((conn) => conn.exec(seedSql));
    const withGuards = await listen(guarded, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
    const without = await listen(bare, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
    const key = adminKey.plaintext;
    const rows: string[] = [];
    for (const n of [20, 100]) {
      await timeCustomerList(withGuards.url, key, n, 30);
      await timeCustomerList(without.url, key, n, 30);
      const { a, b } = await alternatingRounds(
        ROUNDS,
        () => timeCustomerList(withGuards.url, key, n, PER_ROUND),
        () => timeCustomerList(without.url, key, n, PER_ROUND),
      );
      rows.push(...comparisonRows(`customers(first: ${n})`, a, b));
    }
    // The cost calculation alone, per request.
    const schema = guarded.yoga.getEnveloped().schema;
    const document = parse(CUSTOMER_LIST_QUERY);
    const iterations = 20_000;
    const start = performance.now();
    for (let i = 0; i < iterations; i += 1) operationCost(schema, document, undefined, { n: 100 });
    const costMicros = ((performance.now() - start) / iterations) * 1000;
    const lines = [
      `## Cost of the operation limits (${new Date().toISOString().slice(0, 10)})`,
      '',
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on loopback.`,
      `Data: ${CUSTOMERS.toLocaleString('en')} customers, ${ORDERS.toLocaleString('en')} orders. Query: the customer list with business unit and last 3 orders.`,
      `Two servers in one process on one database, with and without the guards (token, depth, alias and directive limits, query length, variables size and NUL checks, the cost calculation, the in-memory token bucket, RateLimit headers and extensions.cost); ${ROUNDS} alternating rounds of ${PER_ROUND} sequential requests each, after 30 warm-up requests.`,
      '',
      '| measure | with limits | without | ratio (target < 1.05x) |',
      '| --- | --- | --- | --- |',
      ...rows,
      '',
      `The cost calculation alone: ${costMicros.toFixed(1)} µs per request for this query (${iterations.toLocaleString('en')} runs).`,
    ];
    await withGuards.shutdown();
    await without.shutdown();
    await writeSection('limits', lines.join('\n'));
    console.log(lines.join('\n'));
  } finally {
    await Promise.allSettled(apps.map((app) => app.close()));
    await scratch.drop();
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
