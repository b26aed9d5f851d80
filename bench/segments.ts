/**
 * Segment benchmark on PostgreSQL: 100,000 customers and 1,000,000 orders (bench/seed.sql). Full
 * recompute of an RFM segment and of a rules segment against one hand-written SQL statement
 * producing the same membership, and the recompute after 1,000 new orders. Writes its section of
 * bench/RESULTS.md.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import pg from 'pg';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfigOrThrow } from '../src/config.js';
import { createSegmentOrThrow, recomputeSegment } from '../src/core/segments/segment.service.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import { scopeToWorkspace } from '../src/db/workspace-scope.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { writeSection } from './results-file.js';
import { createScratchDatabase } from './support.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const NOW = new Date('2025-10-01T00:00:00Z');

async function median(fn: () => Promise<unknown>) {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function main() {
  const scratch = await createScratchDatabase('cx_bench_segments');
  const dbUrl = scratch.url;
  const lines: string[] = [];
  try {
    const config = loadConfigOrThrow({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: dbUrl });
    const app = await createApp(config, resolvePlugins({}), pino({ level: 'silent' }), { firstWorkspace: false, jobs: false });
    const { workspace } = await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Bench' });
    const seed = (await readFile(new URL('./seed.sql', import.meta.url), 'utf8'))
      .replaceAll('__WS__', workspace.id)
      .replaceAll('__CUSTOMERS__', String(CUSTOMERS))
      .replaceAll('__ORDERS__', String(ORDERS));
    const seedStart = performance.now();
    await app.database.sql.session((conn) => conn.exec(seed));
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const db = scopeToWorkspace(app.database.prisma, workspace.id);
    const pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
    pool.on('error', () => undefined);

    const cases = [
      {
        name: 'RFM group CHAMPIONS (365 days)',
        input: { name: 'Champions', kind: 'DYNAMIC', modelCode: 'rfm', parameters: { group: 'CHAMPIONS' } },
        raw: `SELECT "customerId" FROM (
                SELECT "customerId", ntile(5) OVER (ORDER BY max("orderedAt"), "customerId") AS r, ntile(5) OVER (ORDER BY count(*), "customerId") AS f,
                       ntile(5) OVER (ORDER BY sum(amount), "customerId") AS m
                  FROM "Order" WHERE "workspaceId" = $1 AND "orderedAt" >= $2 AND "orderedAt" <= $3 GROUP BY "customerId") s
               WHERE r >= 4 AND f >= 4 AND m >= 4`,
        values: [workspace.id, new Date(NOW.getTime() - 365 * 86_400_000), NOW],
      },
      {
        name: 'Rules: country NL and (no city or postcode 1000-1999)',
        input: {
          name: 'Rules',
          kind: 'DYNAMIC',
          modelCode: 'geographic',
          parameters: {
            rules: {
              match: 'ALL',
              rules: [
                { field: 'country', op: 'equals', value: 'NL' },
                {
                  match: 'ANY',
                  rules: [
                    { field: 'city', op: 'exists', not: true },
                    { field: 'postcode', op: 'range', min: '1000', max: '1999' },
                  ],
                },
              ],
            },
          },
        },
        raw: `SELECT id FROM "Customer" WHERE "workspaceId" = $1 AND country = 'NL' AND (city IS NULL OR (postcode >= '1000' AND postcode <= '1999'))`,
        values: [workspace.id],
      },
    ];
    const rows: string[] = [];
    for (const c of cases) {
      const segment = await createSegmentOrThrow(db, app.registry, c.input);
      const first = performance.now();
      const initial = await recomputeSegment(app.database.sql, app.registry, segment, NOW);
      const firstMs = performance.now() - first;
      const steady = await median(() => recomputeSegment(app.database.sql, app.registry, segment, NOW));
      const raw = await median(() => pool.query(c.raw, c.values));
      const rawCount = (await pool.query(c.raw, c.values)).rowCount;
      if (rawCount !== initial.members) throw new Error(`${c.name}: ${initial.members} members, hand-written SQL gives ${rawCount}`);
      rows.push(`| ${c.name.trim()} | ${initial.members.toLocaleString('en')} | ${firstMs.toFixed(0)} | ${steady.toFixed(0)} | ${raw.toFixed(0)} | ${(steady / raw).toFixed(2)}x |`);
      console.log(c.name, initial, firstMs, steady, raw);
      if (c.input.modelCode === 'rfm') {
        await pool.query(
          `INSERT INTO "Order" ("workspaceId", "customerId", amount, currency, "orderedAt", "updatedAt")
           SELECT $1, c.id, 75, 'EUR', $2::timestamptz - (g % 30) * interval '1 day', now() FROM generate_series(1, 1000) g JOIN LATERAL (SELECT id FROM "Customer" WHERE "workspaceId" = $1 AND "externalId" = 'c-' || (1 + (g * 97) % ${CUSTOMERS})) c ON true`,
          [workspace.id, NOW],
        );
        const start = performance.now();
        const after = await recomputeSegment(app.database.sql, app.registry, segment, NOW);
        rows.push(`| … after 1,000 new orders | ${after.members.toLocaleString('en')} (${after.entered} entered, ${after.left} left) | | ${(performance.now() - start).toFixed(0)} | | |`);
      }
    }
    await pool.end();
    await app.close();
    const cpu = os.cpus();
    lines.push(
      `## Segments (${new Date().toISOString().slice(0, 10)})`,
      '',
      `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on loopback.`,
      `Data: ${CUSTOMERS.toLocaleString('en')} customers, ${ORDERS.toLocaleString('en')} orders (bench/seed.sql), seeded in ${seedSeconds.toFixed(0)} s. Recompute = one transaction: evaluate the model's SQL condition over all customers into a temporary table, close memberships that no longer match, open new ones. Baseline = the single SELECT producing the same members. Median of ${REPEAT}.`,
      '',
      '| segment | members | first compute ms | recompute ms | hand-written SQL ms | ratio |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      'There is no separate incremental path: a recompute after new orders is a full evaluation that writes only the differences.',
    );
  } finally {
    await scratch.drop();
  }
  await writeSection('segments', lines.join('\n'));
  console.log(lines.join('\n'));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
