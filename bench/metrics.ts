/**
 * Metrics benchmark on PostgreSQL: BENCH_RESPONSES NPS responses over 3 years (default 1,000,000;
 * run again with 10000000), 200,000 customers, 2,000,000 orders. For each dashboard query: the
 * GraphQL round trip (median, p99) and the best hand-written SQL on the raw tables in the same run;
 * plus insert throughput with and without the rollup trigger. Writes its section of bench/RESULTS.md.
 */
import os from 'node:os';
import pg from 'pg';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { rebuildScoreRollups } from '../src/core/metrics/rebuild-rollups.js';
import { scoreTrend } from '../src/core/metrics/metrics.service.js';
import { scoreCounts } from '../src/core/metrics/queries/score-counts.js';
import { loadConfigOrThrow } from '../src/config.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { listen } from '../src/server.js';
import { writeSection } from './results-file.js';
import { createScratchDatabase, graphql } from './support.js';

const RESPONSES = Number(process.env.BENCH_RESPONSES ?? 1_000_000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 200_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 2_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 40);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
async function time(fn: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: pct(times, 50), p99: pct(times, 99) };
}

async function main() {
  const scratch = await createScratchDatabase('cx_bench_metrics');
  const dbUrl = scratch.url;
  const lines: string[] = [];
  try {
    // Seeding writes a million rows per statement: past the request paths' statement limit.
    const config = loadConfigOrThrow({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: dbUrl, DATABASE_STATEMENT_TIMEOUT_MS: '0' });
    const app = await createApp(config, resolvePlugins({}), pino({ level: 'silent' }), { firstWorkspace: false, jobs: false });
    const server = await listen(app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
    const { workspace, adminKey } = await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Bench' });
    const ws = workspace.id;
    const db = new pg.Pool({ connectionString: dbUrl, max: 4 });
    db.on('error', () => undefined);
    const q = (text: string, values: unknown[] = []) => db.query(text, values);

    const seedStart = performance.now();
    await q(`INSERT INTO "BusinessUnit" ("workspaceId", name, "updatedAt") SELECT $1, 'Unit ' || g, now() FROM generate_series(1, 10) g`, [ws]);
    await q(
      `INSERT INTO "Customer" ("workspaceId", "externalId", "businessUnitId", "customerSince", "churnedAt", "updatedAt")
       SELECT $1, 'c' || g, (SELECT id FROM "BusinessUnit" ORDER BY name OFFSET (g % 10) LIMIT 1),
              timestamptz '2022-01-01' + (g % 1400) * interval '1 day',
              CASE WHEN g % 7 = 0 THEN timestamptz '2023-06-01' + (g % 900) * interval '1 day' END, now()
         FROM generate_series(1::bigint, ${CUSTOMERS}) g`,
      [ws],
    );
    await q(`CREATE TABLE bench_cn AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM "Customer"`);
    await q(`CREATE UNIQUE INDEX ON bench_cn (n)`);
    await q(
      `INSERT INTO "Order" ("workspaceId", "customerId", amount, currency, "orderedAt", "updatedAt")
       SELECT $1, c.id, ((g * 37) % 20000) / 100.0 + 1, 'EUR', timestamptz '2023-01-01' + ((g * 7919) % (3 * 365 * 24)) * interval '1 hour', now()
         FROM generate_series(1::bigint, ${ORDERS}) g JOIN bench_cn c ON c.n = 1 + (g * 2654435761) % ${CUSTOMERS}`,
      [ws],
    );
    const npsSurvey = await q(`INSERT INTO "Survey" ("workspaceId", name, kind, status, "updatedAt") VALUES ($1, 'NPS', 'NPS', 'ACTIVE', now()) RETURNING id`, [ws]);
    const csatSurvey = await q(`INSERT INTO "Survey" ("workspaceId", name, kind, status, "updatedAt") VALUES ($1, 'CSAT', 'CSAT', 'ACTIVE', now()) RETURNING id`, [ws]);
    const npsQ = await q(`INSERT INTO "Question" ("workspaceId", "surveyId", position, type, "scaleMin", "scaleMax", "updatedAt") VALUES ($1, $2, 0, 'NPS', 0, 10, now()) RETURNING id`, [
      ws,
      npsSurvey.rows[0].id,
    ]);
    const csatQ = await q(`INSERT INTO "Question" ("workspaceId", "surveyId", position, type, "scaleMin", "scaleMax", "updatedAt") VALUES ($1, $2, 0, 'CSAT', 1, 5, now()) RETURNING id`, [
      ws,
      csatSurvey.rows[0].id,
    ]);
    // Bulk seed without the trigger, then build the rollups in one pass (as the migration does).
    await q(`ALTER TABLE "Answer" DISABLE TRIGGER "Answer_score_rollup"`);
    await q(`CREATE TABLE bu AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM "BusinessUnit"`);
    const batch = 1_000_000;
    for (let offset = 0; offset < RESPONSES; offset += batch) {
      const size = Math.min(batch, RESPONSES - offset);
      await q(
        `WITH src AS (
           SELECT g, CASE WHEN g % 10 = 0 THEN $3::uuid ELSE $2::uuid END AS survey, CASE WHEN g % 10 = 0 THEN $5::uuid ELSE $4::uuid END AS question,
                  CASE WHEN g % 10 = 0 THEN 1 + (g * 7) % 5 ELSE (g * 13) % 11 END AS score,
                  timestamptz '2023-01-01' + ((g * 104729) % (3 * 365 * 24 * 60)) * interval '1 minute' AS at
             FROM generate_series(${offset + 1}::bigint, ${offset + size}) g),
         r AS (
           INSERT INTO "SurveyResponse" ("workspaceId", "surveyId", source, channel, locale, "businessUnitId", "journeyPhase", "touchpointType", "startedAt", "completedAt", "updatedAt")
           SELECT $1, s.survey, 'API', CASE WHEN s.g % 3 = 0 THEN 'sms' ELSE 'email' END, 'nl', (SELECT id FROM bu WHERE n = 1 + s.g % 10),
                  (ARRAY['PURCHASE','DELIVERY','USE','SERVICE']::"JourneyPhase"[])[1 + s.g % 4], 'delivery', s.at, s.at, s.at
             FROM src s RETURNING id, "surveyId", "startedAt")
         INSERT INTO "Answer" ("workspaceId", "responseId", "questionId", score, "answeredAt", "updatedAt")
         SELECT $1, r.id, CASE WHEN r."surveyId" = $3::uuid THEN $5::uuid ELSE $4::uuid END,
                CASE WHEN r."surveyId" = $3::uuid THEN 1 + (abs(hashtext(r.id::text)) % 5) ELSE abs(hashtext(r.id::text)) % 11 END, r."startedAt", r."startedAt" FROM r`,
        [ws, npsSurvey.rows[0].id, csatSurvey.rows[0].id, npsQ.rows[0].id, csatQ.rows[0].id],
      );
    }
    await q(`ALTER TABLE "Answer" ENABLE TRIGGER "Answer_score_rollup"`);
    await rebuildScoreRollups(app.database.sql, ws);
    await q('ANALYZE');
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const counts = (
      await q(
        `SELECT (SELECT count(*) FROM "Answer")::int AS answers, (SELECT count(*) FROM "Order")::int AS orders, (SELECT count(*) FROM "ScoreRollupDay")::int AS day_rows, (SELECT count(*) FROM "ScoreRollupMonth")::int AS month_rows, (SELECT count(*) FROM "ScoreMonthTotal")::int AS total_rows`,
      )
    ).rows[0];

    const gql = (query: string) => graphql(server.url, adminKey.plaintext, query);
    const NPS_RAW = (extra: string, group = '') => `
      SELECT ${group ? `${group} AS g,` : ''} count(*) FILTER (WHERE a.score >= 9) AS p, count(*) FILTER (WHERE a.score <= 6) AS d, count(*) AS n
        FROM "Answer" a JOIN "SurveyResponse" r ON r.id = a."responseId" JOIN "Question" q ON q.id = a."questionId"
       WHERE a."workspaceId" = $1 AND q.type = 'NPS' AND a.score IS NOT NULL AND NOT a.skipped ${extra} ${group ? 'GROUP BY 1' : ''}`;
    const year = `AND a."answeredAt" >= timestamp '2025-01-01' AT TIME ZONE 'Europe/Amsterdam' AND a."answeredAt" < timestamp '2026-01-01' AT TIME ZONE 'Europe/Amsterdam'`;
    const three = `AND a."answeredAt" >= timestamp '2023-01-01' AT TIME ZONE 'Europe/Amsterdam' AND a."answeredAt" < timestamp '2026-01-01' AT TIME ZONE 'Europe/Amsterdam'`;
    const cases: Array<[string, string, string, unknown[]]> = [
      ['NPS for one year', `{ metrics(filter: { period: { from: "2025-01-01", to: "2026-01-01" } }) { nps { score responses marginOfError distribution { count } } } }`, NPS_RAW(year), [ws]],
      [
        'NPS trend per month, 3 years',
        `{ metrics(filter: { period: { from: "2023-01-01", to: "2026-01-01" } }) { npsTrend(bucket: MONTH) { bucket nps { score responses } } } }`,
        NPS_RAW(three, `date_trunc('month', a."answeredAt" AT TIME ZONE 'Europe/Amsterdam')`),
        [ws],
      ],
      [
        'NPS per business unit, one year',
        `{ metrics(filter: { period: { from: "2025-01-01", to: "2026-01-01" } }) { npsBy(dimension: BUSINESS_UNIT) { value nps { score responses } } } }`,
        NPS_RAW(year, 'r."businessUnitId"'),
        [ws],
      ],
      [
        'CSAT per journey phase, one year',
        `{ metrics(filter: { period: { from: "2025-01-01", to: "2026-01-01" } }) { csatBy(dimension: JOURNEY_PHASE) { value csat { score mean responses } } } }`,
        `SELECT r."journeyPhase", count(*) FILTER (WHERE a.score >= 4), avg(a.score), count(*) FROM "Answer" a JOIN "SurveyResponse" r ON r.id = a."responseId" JOIN "Question" q ON q.id = a."questionId"
          WHERE a."workspaceId" = $1 AND q.type = 'CSAT' AND a.score IS NOT NULL AND NOT a.skipped ${year} GROUP BY 1`,
        [ws],
      ],
      [
        'Retention for a quarter (live)',
        `{ metrics(filter: { period: { from: "2025-04-01", to: "2025-07-01" } }) { retention { retentionRate churnRate } } }`,
        `SELECT count(*) FILTER (WHERE "customerSince" < $2 AND ("churnedAt" IS NULL OR "churnedAt" >= $2)), count(*) FILTER (WHERE "customerSince" < $3 AND ("churnedAt" IS NULL OR "churnedAt" >= $3)),
                count(*) FILTER (WHERE "customerSince" >= $2 AND "customerSince" < $3 AND ("churnedAt" IS NULL OR "churnedAt" >= $3)), count(*) FILTER (WHERE "customerSince" < $2 AND "churnedAt" >= $2 AND "churnedAt" < $3)
           FROM "Customer" WHERE "workspaceId" = $1`,
        [ws, '2025-04-01T00:00:00+02:00', '2025-07-01T00:00:00+02:00'],
      ],
      ['NPS one year with a customer filter (live)', `{ metrics(filter: { period: { from: "2025-01-01", to: "2026-01-01" }, customer: {} }) { nps { score responses } } }`, NPS_RAW(year), [ws]],
    ];
    const results = [];
    for (const [name, query, sql, values] of cases) {
      const api = await time(() => gql(query));
      const raw = await time(() => q(sql, values));
      results.push({ name, api, raw });
      console.log(name, api, raw);
    }

    // Where the monthly trend's round trip goes: the rollup statement alone, the core function
    // (statement + formulas), and GraphQL over HTTP, in the same run, after the queries above
    // (measured first, on a server that had answered nothing yet, GraphQL took half again as long).
    const trendFilter = { period: { from: '2023-01-01', to: '2026-01-01' } };
    const scope = { sql: app.database.sql, workspace: { id: ws, timeZone: 'Europe/Amsterdam' }, filter: trendFilter };
    const trendParts = {
      statement: await time(() => scoreCounts(app.database.sql, scope.workspace, 'NPS', trendFilter, { bucket: 'MONTH' })),
      core: await time(() => scoreTrend(scope, 'NPS', 'MONTH')),
      graphql: await time(() => gql(cases[1]![1])),
    };
    console.log('trend breakdown', trendParts);

    // Insert throughput with and without the rollup trigger: 20,000 answers each.
    const insertRun = async () => {
      const start = performance.now();
      await q(
        `WITH r AS (INSERT INTO "SurveyResponse" ("workspaceId", "surveyId", source, locale, "startedAt", "updatedAt")
                    SELECT $1, $2, 'API', 'nl', now(), now() FROM generate_series(1, 20000) RETURNING id)
         INSERT INTO "Answer" ("workspaceId", "responseId", "questionId", score, "answeredAt", "updatedAt") SELECT $1, r.id, $3, abs(hashtext(r.id::text)) % 11, now(), now() FROM r`,
        [ws, npsSurvey.rows[0].id, npsQ.rows[0].id],
      );
      return 20000 / ((performance.now() - start) / 1000);
    };
    const withRollups = await insertRun();
    await q(`ALTER TABLE "Answer" DISABLE TRIGGER "Answer_score_rollup"`);
    const withoutRollups = await insertRun();
    await q(`ALTER TABLE "Answer" ENABLE TRIGGER "Answer_score_rollup"`);
    await server.shutdown();
    await db.end();

    const f = (n: number) => n.toFixed(2);
    const cpu = os.cpus();
    lines.push(
      `## Metrics at ${RESPONSES.toLocaleString('en')} responses (${new Date().toISOString().slice(0, 10)})`,
      '',
      `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on loopback.`,
      `Data: ${counts.answers.toLocaleString('en')} answers (90% NPS, 10% CSAT) over 2023-2025, ${CUSTOMERS.toLocaleString('en')} customers, ${counts.orders.toLocaleString('en')} orders; rollups: ${counts.day_rows.toLocaleString('en')} day rows, ${counts.month_rows.toLocaleString('en')} month rows, ${counts.total_rows.toLocaleString('en')} monthly totals (what unsliced month-aligned queries read). Seeded in ${seedSeconds.toFixed(0)} s.`,
      `Each query ${REPEAT} times after 3 warm-up runs. GraphQL: the whole HTTP round trip (key lookup, rollup or live query, formulas). Hand-written SQL: the best single aggregate over the raw answers.`,
      '',
      '| query | GraphQL median ms | GraphQL p99 ms | raw SQL median ms | raw SQL p99 ms | ratio (median) |',
      '| --- | --- | --- | --- | --- | --- |',
      ...results.map((r) => `| ${r.name} | ${f(r.api.median)} | ${f(r.api.p99)} | ${f(r.raw.median)} | ${f(r.raw.p99)} | ${(r.api.median / r.raw.median).toFixed(2)}x |`),
      '',
      `Insert throughput (20,000 answers in one statement): ${withRollups.toFixed(0)} answers/s with the rollup trigger, ${withoutRollups.toFixed(0)} without (${(withRollups / withoutRollups).toFixed(2)}x).`,
      '',
      `The monthly NPS trend over 3 years, taken apart (medians): the rollup statement alone ${f(trendParts.statement.median)} ms, the core function (statement and formulas, in process) ${f(trendParts.core.median)} ms, GraphQL over HTTP ${f(trendParts.graphql.median)} ms (target <= 10 ms).`,
    );
  } catch (error) {
    console.error(error);
    throw error;
  } finally {
    await scratch.drop();
  }
  await writeSection(`metrics-${RESPONSES}`, lines.join('\n'));
  console.log(lines.join('\n'));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
