/**
 * Historical response import on PostgreSQL: `importHistoricalResponsesOrThrow` (what the
 * `importResponses` mutation and `cx-graph import-responses` run) for BENCH_HISTORICAL responses
 * (default 50,000) in batches of 5,000, each with an NPS score and an open answer. Baseline in the
 * same run and database: a plain batched INSERT of the same rows (responses, then answers, 5,000 per
 * statement, one transaction per batch) without validation. Both write through the score-rollup
 * trigger, as every answer does. Reports responses per second and the ratio. Writes bench/RESULTS.md.
 */
import os from 'node:os';
import pg from 'pg';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfigOrThrow } from '../src/config.js';
import { importHistoricalResponsesOrThrow, MAX_HISTORICAL_RESPONSES } from '../src/core/surveys/historical-import.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { writeSection } from './results-file.js';
import { createScratchDatabase } from './support.js';

const TOTAL = Number(process.env.BENCH_HISTORICAL ?? 50_000);
const BATCH = MAX_HISTORICAL_RESPONSES;
const START = Date.parse('2023-01-01T00:00:00Z');

function records(prefix: string, from: number, count: number, nps: string, open: string) {
  return Array.from({ length: count }, (_, offset) => {
    const i = from + offset;
    const startedAt = new Date(START + i * 600_000);
    return {
      externalId: `${prefix}-${i}`,
      startedAt: startedAt.toISOString(),
      completedAt: new Date(startedAt.getTime() + 90_000).toISOString(),
      channel: i % 2 ? 'email' : 'link',
      answers: [
        { questionId: nps, score: i % 11 },
        { questionId: open, text: `Antwoord ${i}: levering was ${i % 3 ? 'snel' : 'traag'}.` },
      ],
    };
  });
}

const scratch = await createScratchDatabase('cx_bench_historical');
try {
  const config = loadConfigOrThrow({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: scratch.url });
  const app = await createApp(config, resolvePlugins({}), pino({ level: 'silent' }), { firstWorkspace: false, jobs: false, eventLoop: false });
  const { workspace } = await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Bench historical' });
  const db = new pg.Client({ connectionString: scratch.url });
  await db.connect();
  const survey = (await db.query(`INSERT INTO "Survey" ("workspaceId", name, kind, status, "updatedAt") VALUES ($1, 'NPS', 'NPS', 'ACTIVE', now()) RETURNING id`, [workspace.id])).rows[0].id as string;
  const question = async (position: number, type: string, extra: string) =>
    (
      await db.query(
        `INSERT INTO "Question" ("workspaceId", "surveyId", position, type, ${extra ? '"scaleMin", "scaleMax", ' : ''}texts, "updatedAt") VALUES ($1, $2, $3, $4, ${extra}'{"nl":{"text":"?"}}', now()) RETURNING id`,
        [workspace.id, survey, position, type],
      )
    ).rows[0].id as string;
  const nps = await question(0, 'NPS', '0, 10, ');
  const open = await question(1, 'OPEN_TEXT', '');

  const runs: Array<{ name: string; ms: number }> = [];
  // Alternate the two so that neither profits from a warmer cache or a later, larger table.
  let ours = 0;
  let plain = 0;
  for (let from = 0; from < TOTAL; from += BATCH) {
    const count = Math.min(BATCH, TOTAL - from);
    const batch = records('imp', from, count, nps, open);
    let started = performance.now();
    const result = await importHistoricalResponsesOrThrow(app.database.sql, workspace.id, survey, batch, new Date());
    ours += performance.now() - started;
    if (result.created !== count) throw new Error(`expected ${count} created, got ${result.created}`);

    const rows = records('raw', from, count, nps, open);
    started = performance.now();
    await db.query('BEGIN');
    const inserted = await db.query(
      `INSERT INTO "SurveyResponse" ("workspaceId", "surveyId", "externalId", source, channel, locale, "startedAt", "completedAt", "updatedAt")
       SELECT $1::uuid, $2::uuid, r."externalId", 'IMPORT', r.channel, 'nl', r."startedAt", r."completedAt", now()
         FROM jsonb_to_recordset($3::jsonb) AS r("externalId" text, channel text, "startedAt" timestamptz, "completedAt" timestamptz)
       RETURNING id, "externalId"`,
      [workspace.id, survey, JSON.stringify(rows.map(({ answers: _answers, ...row }) => row))],
    );
    const ids = new Map(inserted.rows.map((row: { id: string; externalId: string }) => [row.externalId, row.id]));
    await db.query(
      `INSERT INTO "Answer" ("workspaceId", "responseId", "questionId", score, text, skipped, "answeredAt", "updatedAt")
       SELECT $1::uuid, a."responseId", a."questionId", a.score, a.text, false, a."answeredAt", now()
         FROM jsonb_to_recordset($2::jsonb) AS a("responseId" uuid, "questionId" uuid, score int, text text, "answeredAt" timestamptz)`,
      [
        workspace.id,
        JSON.stringify(
          rows.flatMap((row) =>
            row.answers.map((answer) => ({ responseId: ids.get(row.externalId), questionId: answer.questionId, score: answer.score ?? null, text: answer.text ?? null, answeredAt: row.completedAt })),
          ),
        ),
      ],
    );
    await db.query('COMMIT');
    plain += performance.now() - started;
  }
  runs.push({ name: 'importHistoricalResponsesOrThrow (validation, references, idempotent by external id)', ms: ours }, { name: 'plain batched INSERT of the same rows', ms: plain });

  // Importing the same file again: every response is already there, nothing is written.
  let again = 0;
  for (let from = 0; from < TOTAL; from += BATCH) {
    const batch = records('imp', from, Math.min(BATCH, TOTAL - from), nps, open);
    const started = performance.now();
    const result = await importHistoricalResponsesOrThrow(app.database.sql, workspace.id, survey, batch, new Date());
    again += performance.now() - started;
    if (result.created !== 0) throw new Error('a repeated import created responses');
  }
  await db.end();
  await app.close();

  const rate = (ms: number) => Math.round(TOTAL / (ms / 1000)).toLocaleString('en-US');
  const lines = [
    `Date: ${new Date().toISOString().slice(0, 10)}. Machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on loopback.`,
    '',
    `${TOTAL.toLocaleString('en-US')} responses with 2 answers each (NPS score, open text), batches of ${BATCH.toLocaleString('en-US')}, alternating the two writers.`,
    '',
    '| writer | time | responses/s | vs plain INSERT |',
    '| --- | --- | --- | --- |',
    ...runs.map((run) => `| ${run.name} | ${(run.ms / 1000).toFixed(1)} s | ${rate(run.ms)} | ${(run.ms / plain).toFixed(2)}x |`),
    `| the same file imported again (all already there) | ${(again / 1000).toFixed(1)} s | ${rate(again)} | ${(again / plain).toFixed(2)}x |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await writeSection('Historical response import', lines.join('\n'));
} finally {
  await scratch.drop();
}
