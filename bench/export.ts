/**
 * Response export on PostgreSQL: `cx-graph export-responses` (the built CLI) writing CSV and XLSX for
 * 100,000 and 1,000,000 responses (an NPS score and an open answer each): rows per second and peak
 * resident memory of the process tree, which should not grow with the number of rows. Baseline in
 * the same run: psql's \copy of a plain join of the same rows to CSV. Writes bench/RESULTS.md.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { writeSection } from './results-file.js';
import { createScratchDatabase, treeRssKiB } from './support.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SIZES = (process.env.BENCH_EXPORT_SIZES ?? '100000,1000000').split(',').map(Number);
const run = promisify(execFile);

async function measured(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; peakMiB: number }> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let peak = 0;
  const poll = setInterval(() => void treeRssKiB(child.pid!).then((kib) => (peak = Math.max(peak, kib))), 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  if (code !== 0) throw new Error(`${command} failed: ${stderr}`);
  return { ms: performance.now() - started, peakMiB: peak / 1024 };
}

const scratch = await createScratchDatabase('cx_bench_export');
const dir = await mkdtemp(join(os.tmpdir(), 'cx-bench-export-'));
const rows: string[] = [];
try {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: scratch.url, LOG_LEVEL: 'warn' };
  const cli = join(ROOT, 'bin/cx-graph.js');
  const created = await run(process.execPath, [cli, 'workspace', 'create', 'Bench export'], { cwd: ROOT, env });
  const ws = /workspace ([0-9a-f-]{36})/.exec(created.stdout)![1]!;
  const db = new pg.Client({ connectionString: scratch.url });
  await db.connect();
  const survey = (await db.query(`INSERT INTO "Survey" ("workspaceId", name, kind, status, "updatedAt") VALUES ($1, 'NPS', 'NPS', 'ACTIVE', now()) RETURNING id`, [ws])).rows[0].id as string;
  const nps = (
    await db.query(
      `INSERT INTO "Question" ("workspaceId", "surveyId", position, type, "scaleMin", "scaleMax", texts, "updatedAt") VALUES ($1, $2, 0, 'NPS', 0, 10, '{"nl":{"text":"Aanraden?"}}', now()) RETURNING id`,
      [ws, survey],
    )
  ).rows[0].id as string;
  const open = (
    await db.query(`INSERT INTO "Question" ("workspaceId", "surveyId", position, type, texts, "updatedAt") VALUES ($1, $2, 1, 'OPEN_TEXT', '{"nl":{"text":"Waarom?"}}', now()) RETURNING id`, [
      ws,
      survey,
    ])
  ).rows[0].id as string;
  await db.query(`ALTER TABLE "Answer" DISABLE TRIGGER "Answer_score_rollup"`);
  let seeded = 0;
  for (const size of SIZES) {
    // Each size is its own year: the export of one year reads exactly `size` responses.
    const year = 2010 + SIZES.indexOf(size);
    for (let offset = 0; offset < size; offset += 250_000) {
      const count = Math.min(250_000, size - offset);
      await db.query(
        `WITH r AS (
           INSERT INTO "SurveyResponse" ("workspaceId", "surveyId", source, channel, locale, "startedAt", "completedAt", "updatedAt")
           SELECT $1, $2, 'API', 'email', 'nl', t, t, t FROM (SELECT make_timestamptz(${year}, 1, 1, 0, 0, 0, 'UTC') + (g * 31) * interval '1 second' AS t FROM generate_series(${offset + 1}, ${offset + count}) g) x
           RETURNING id, "startedAt")
         INSERT INTO "Answer" ("workspaceId", "responseId", "questionId", score, text, "answeredAt", "updatedAt")
         SELECT $1, r.id, q.id, CASE WHEN q.id = $3::uuid THEN abs(hashtext(r.id::text)) % 11 END, CASE WHEN q.id = $4::uuid THEN 'De bezorging was snel, het pakket netjes; volgende keer graag een tijdvak.' END, r."startedAt", r."startedAt"
           FROM r CROSS JOIN (VALUES ($3::uuid), ($4::uuid)) AS q(id)`,
        [ws, survey, nps, open],
      );
    }
    seeded += size;
  }
  await db.query(`ALTER TABLE "Answer" ENABLE TRIGGER "Answer_score_rollup"`);
  await db.query('ANALYZE');
  await db.end();
  for (const size of SIZES) {
    const year = 2010 + SIZES.indexOf(size);
    const period = ['--from', `${year}-01-01`, '--to', `${year + 1}-01-01`];
    const csvFile = join(dir, `export-${size}.csv`);
    const csv = await measured(process.execPath, [cli, 'export-responses', '--workspace', ws, ...period, '--out', csvFile], env);
    const xlsxFile = join(dir, `export-${size}.xlsx`);
    const xlsx = await measured(process.execPath, [cli, 'export-responses', '--workspace', ws, ...period, '--format', 'xlsx', '--out', xlsxFile], env);
    const copy = await measured(
      'psql',
      [
        scratch.url,
        '-qc',
        `\\copy (SELECT r.id, r."startedAt", r.channel, n.score, o.text FROM "SurveyResponse" r LEFT JOIN "Answer" n ON n."responseId" = r.id AND n."questionId" = '${nps}' LEFT JOIN "Answer" o ON o."responseId" = r.id AND o."questionId" = '${open}' WHERE r."workspaceId" = '${ws}' AND r."startedAt" >= '${year}-01-01' AND r."startedAt" < '${year + 1}-01-01' ORDER BY r."startedAt", r.id) TO '${join(dir, `copy-${size}.csv`)}' CSV HEADER`,
      ],
      env,
    );
    const perSecond = (ms: number) => Math.round(size / (ms / 1000)).toLocaleString('en');
    const mib = async (file: string) => ((await stat(file)).size / 2 ** 20).toFixed(0);
    rows.push(
      `| ${size.toLocaleString('en')} | ${(csv.ms / 1000).toFixed(1)} s (${perSecond(csv.ms)}/s), ${Math.round(csv.peakMiB)} MiB peak, ${await mib(csvFile)} MiB | ${(xlsx.ms / 1000).toFixed(1)} s (${perSecond(xlsx.ms)}/s), ${Math.round(xlsx.peakMiB)} MiB peak, ${await mib(xlsxFile)} MiB | ${(copy.ms / 1000).toFixed(1)} s (${perSecond(copy.ms)}/s) | ${(csv.ms / copy.ms).toFixed(2)}x |`,
    );
    console.log(rows.at(-1));
  }
  const cpus = os.cpus();
  await writeSection(
    'export',
    `## Response export (${new Date().toISOString().slice(0, 10)})

Machine: ${cpus.length} × ${cpus[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on loopback; ${seeded.toLocaleString('en')} responses seeded, an NPS score and an open answer each.
\`cx-graph export-responses --out\` (built CLI, pages of 1,000 by keyset, times converted to the workspace time zone, a column per question), wall time including process start; peak RSS of the process tree; file size. Baseline: psql \\copy of a plain join of the same rows to CSV, in the same run.

| responses | CSV | XLSX | psql \\copy | CSV / \\copy |
| --- | --- | --- | --- | --- |
${rows.join('\n')}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
  await scratch.drop();
}
