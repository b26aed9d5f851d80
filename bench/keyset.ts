/**
 * Keyset pagination: a page at 90% depth against the first page, through GraphQL, for customers
 * (oldest first) and orders (newest first), and the same deep page through Prisma's own cursor
 * (what the API did before) in the same run. Scale: BENCH_CUSTOMERS (default 100000),
 * BENCH_ORDERS (default 1000000). Writes bench/RESULTS.md.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfigOrThrow } from '../src/config.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { listen } from '../src/server.js';
import { writeSection } from './results-file.js';
import { createScratchDatabase, graphql } from './support.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_REQUESTS ?? 50);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed(run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i += 1) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function main() {
  const scratch = await createScratchDatabase('cx_bench_keyset');
  const config = { ...loadConfigOrThrow({ NODE_ENV: 'production', LOG_LEVEL: 'silent', RATE_LIMIT_CAPACITY: '100000000' }), database: { kind: 'postgres' as const, url: scratch.url, poolSize: 10 } };
  const app = await createApp(config, resolvePlugins({}), pino({ level: 'silent' }), { firstWorkspace: false, jobs: false });
  try {
    const { workspace, adminKey } = await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Keyset' });
    const seed = (await readFile(new URL('./seed.sql', import.meta.url), 'utf8'))
      .replaceAll('__WS__', workspace.id)
      .replaceAll('__CUSTOMERS__', String(CUSTOMERS))
      .replaceAll('__ORDERS__', String(ORDERS));
    console.log(`seeding ${CUSTOMERS} customers, ${ORDERS} orders`);
    await app.database.sql.session((conn) => conn.exec(seed));
    const server = await listen(app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
    const key = adminKey.plaintext;
    const rows: string[] = [];
    const lists = [
      {
        field: 'customers',
        table: 'Customer',
        order: '"createdAt" ASC, id ASC',
        total: CUSTOMERS,
        prismaOrder: [{ createdAt: 'asc' as const }, { id: 'asc' as const }],
        delegate: app.database.prisma.customer,
      },
      {
        field: 'orders',
        table: 'Order',
        order: '"orderedAt" DESC, id DESC',
        total: ORDERS,
        prismaOrder: [{ orderedAt: 'desc' as const }, { id: 'desc' as const }],
        delegate: app.database.prisma.order,
      },
    ];
    for (const list of lists) {
      const first = await graphql(server.url, key, `{ ${list.field}(first: 20) { pageInfo { endCursor } } }`);
      const sample = Buffer.from(first[list.field].pageInfo.endCursor as string, 'base64').toString();
      const [deep] = await app.database.sql.session((conn) =>
        conn.query<{ id: string }>(`SELECT id FROM "${list.table}" WHERE "workspaceId" = $1::uuid ORDER BY ${list.order} OFFSET $2 LIMIT 1`, [workspace.id, Math.floor(list.total * 0.9)]),
      );
      // The cursor Pothos would hand out for that row: same encoding, other id.
      const cursor = Buffer.from(sample.replace(/[0-9a-f-]{36}$/, deep!.id)).toString('base64');
      const query = (after: string | null) => `{ ${list.field}(first: 20${after ? `, after: "${after}"` : ''}) { edges { node { id } } } }`;
      const firstMs = await timed(() => graphql(server.url, key, query(null)));
      const deepMs = await timed(() => graphql(server.url, key, query(cursor)));
      const delegate = list.delegate as unknown as { findMany(args: unknown): Promise<unknown[]> };
      const prismaDeepMs = await timed(() => delegate.findMany({ where: { workspaceId: workspace.id }, cursor: { id: deep!.id }, skip: 1, take: 21, orderBy: list.prismaOrder, select: { id: true } }));
      const prismaFirstMs = await timed(() => delegate.findMany({ where: { workspaceId: workspace.id }, take: 21, orderBy: list.prismaOrder, select: { id: true } }));
      rows.push(
        `| ${list.field} (${list.total.toLocaleString('en')} rows, ${list.order}) | ${firstMs.toFixed(2)} | ${deepMs.toFixed(2)} | ${(deepMs / firstMs).toFixed(2)}x | ${prismaFirstMs.toFixed(2)} / ${prismaDeepMs.toFixed(2)} = ${(prismaDeepMs / prismaFirstMs).toFixed(1)}x |`,
      );
    }
    await server.shutdown();
    const lines = [
      `## Keyset pagination (${new Date().toISOString().slice(0, 10)})`,
      '',
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on loopback.`,
      `Median of ${RUNS} sequential requests (after 5 warm-up) for \`first: 20\` from the start and \`first: 20, after: <cursor of the row at 90% depth>\`, through GraphQL. Last column: the same first and deep page through Prisma's own \`cursor\` (what the connections used before), ids only, without HTTP.`,
      '',
      '| list | first page ms | page at 90% ms | deep / first (target <= 1.5x) | Prisma cursor: first / deep ms |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
    ];
    await writeSection('keyset', lines.join('\n'));
    console.log(lines.join('\n'));
  } finally {
    await app.close();
    await scratch.drop();
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
