/**
 * Review ingestion benchmark on PostgreSQL: 100,000 reviews read from the Trustpilot stand-in on
 * loopback (paged, 100 per page) and 100,000 reviews pushed one by one through the signed push
 * endpoint (Standard Webhooks). Each against a plain batched INSERT of the same rows in the same
 * run; then the same reviews again, which must write nothing. Writes its section of
 * bench/RESULTS.md.
 */
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfigOrThrow } from '../src/config.js';
import { reviewRow } from '../src/core/reviews/review-ingest.js';
import { connectReviewSourceOrThrow } from '../src/core/reviews/review-source.service.js';
import { syncReviewSource } from '../src/core/reviews/review-sync.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import { scopeToWorkspace } from '../src/db/workspace-scope.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { listen } from '../src/server.js';
import { seedReviews } from '../test/fixtures/stand-ins/seed-review.js';
import { startTrustpilotStandIn } from '../test/fixtures/stand-ins/trustpilot-stand-in.js';
import { writeSection } from './results-file.js';
import { createScratchDatabase } from './support.js';

const REVIEWS = Number(process.env.BENCH_REVIEWS ?? 100_000);
const PUSHES = Number(process.env.BENCH_PUSHES ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_PUSH_CONCURRENCY ?? 32);
const BATCH = 1000;
const run = promisify(execFile);

/** The columns both baselines write, and the event each row gets (the outbox row, as the real path writes one per review). */
const BASELINE_INSERT = `WITH written AS (
  INSERT INTO review_baseline ("workspaceId", "connectionId", "platformCode", "externalId", rating, "ratingMin", "ratingMax", "ratingNormalised", title, text, "authorName", language, "publishedAt", "contentHash")
  SELECT $2::uuid, $3::uuid, 'trustpilot', i."externalId", i.rating, i."ratingMin", i."ratingMax", (i.rating - i."ratingMin") / (i."ratingMax" - i."ratingMin"), i.title, i.text, i."authorName", i.language, i."publishedAt", i."contentHash"
    FROM jsonb_to_recordset($1::jsonb) AS i("externalId" text, rating float8, "ratingMin" float8, "ratingMax" float8, title text, text text, "authorName" text, language text, "publishedAt" timestamptz, "contentHash" text)
  RETURNING id, "workspaceId", "externalId", rating)
INSERT INTO event_baseline ("workspaceId", type, "subjectId", data, "occurredAt")
SELECT w."workspaceId", 'review.created', w.id::text, jsonb_build_object('reviewId', w.id, 'externalId', w."externalId", 'rating', w.rating), now() FROM written w`;

/**
 * The baseline: the same rows into a copy of the Review table (its indexes included: the unique
 * external id is what makes a push idempotent) with one event each into a copy of the outbox,
 * BATCH rows per statement.
 */
async function batchedInsert(pool: pg.Pool, workspaceId: string, connectionId: string, rows: ReturnType<typeof reviewRow>[]) {
  const start = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) await pool.query(BASELINE_INSERT, [JSON.stringify(rows.slice(i, i + BATCH)), workspaceId, connectionId]);
  return performance.now() - start;
}

/** The same statement with one review each over CONCURRENCY connections: what a push endpoint doing nothing else would cost. */
async function singleInserts(pool: pg.Pool, workspaceId: string, connectionId: string, rows: ReturnType<typeof reviewRow>[]) {
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        await pool.query(BASELINE_INSERT, [JSON.stringify([{ ...row, externalId: `${row.externalId}-single` }]), workspaceId, connectionId]);
      }
    }),
  );
  return performance.now() - start;
}

async function main() {
  const scratch = await createScratchDatabase('cx_bench_reviews');
  const standIn = await startTrustpilotStandIn({ pageSize: 100 });
  const lines: string[] = [];
  try {
    const config = loadConfigOrThrow({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: scratch.url, DATABASE_POOL_SIZE: '16', REVIEW_PUSHES_PER_MINUTE: '1000000000' });
    const app = await createApp(config, resolvePlugins({}), pino({ level: 'silent' }), { firstWorkspace: false, jobs: false });
    const running = await listen(app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
    const { workspace } = await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Bench' });
    const db = scopeToWorkspace(app.database.prisma, workspace.id);
    const pool = new pg.Pool({ connectionString: scratch.url, max: CONCURRENCY });
    pool.on('error', () => {}); // the scratch database is dropped with FORCE at the end
    await pool.query('CREATE TABLE review_baseline (LIKE "Review" INCLUDING DEFAULTS INCLUDING INDEXES)');
    await pool.query('CREATE TABLE event_baseline (LIKE "DomainEvent" INCLUDING DEFAULTS INCLUDING INDEXES)');

    // 1. Pull: the Trustpilot stand-in, 100 reviews per page.
    const seeded = seedReviews(REVIEWS, 'tp', Date.parse('2024-01-01T00:00:00Z'));
    standIn.seed(seeded);
    const source = await connectReviewSourceOrThrow(db, app.registry, { platformCode: 'trustpilot', name: 'Trustpilot', settings: { ...standIn.settings, pageSize: 100 } });
    let start = performance.now();
    const pulled = await syncReviewSource(app.reviews, workspace.id, source.id);
    const pullMs = performance.now() - start;
    if (pulled.created !== REVIEWS || !pulled.complete) throw new Error(`pull: ${JSON.stringify(pulled)}`);
    await app.database.prisma.reviewConnection.update({ where: { id: source.id }, data: { syncCursor: null } });
    const before = await pool.query('SELECT max("updatedAt") AS at, count(*)::int AS n FROM "Review"');
    start = performance.now();
    const again = await syncReviewSource(app.reviews, workspace.id, source.id);
    const againMs = performance.now() - start;
    const after = await pool.query('SELECT max("updatedAt") AS at, count(*)::int AS n, (SELECT count(*)::int FROM "ReviewVersion") AS versions FROM "Review"');
    if (again.created + again.updated !== 0 || after.rows[0].at.getTime() !== before.rows[0].at.getTime() || after.rows[0].versions !== 0) throw new Error(`re-sync wrote: ${JSON.stringify(again)}`);
    const rows = seeded.map((review) =>
      reviewRow(
        {
          externalId: review.id,
          rating: review.stars,
          title: review.title ?? null,
          text: review.text ?? null,
          authorName: review.author ?? null,
          authorEmail: null,
          orderReference: null,
          language: 'en',
          publishedAt: new Date(review.createdAt),
          updatedAt: null,
          url: null,
          reply: null,
        },
        { min: 1, max: 5 },
      ),
    );
    const baselineMs = await batchedInsert(pool, workspace.id, source.id, rows);

    // 2. Push: one signed Standard Webhooks request per review.
    const secret = `whsec_${Buffer.from('bench-secret-bench-secret-32byte').toString('base64')}`;
    const generic = await connectReviewSourceOrThrow(db, app.registry, { platformCode: 'generic', name: 'Generic', settings: { secrets: [secret] } });
    const pushUrl = `${running.url}/hooks/reviews/${generic.id}/${generic.pushSecret}`;
    const pushes = seeded.slice(0, PUSHES).map((review, index) => ({
      id: `msg_${index}`,
      body: JSON.stringify({
        type: 'review.created',
        data: { id: `push-${review.id}`, rating: review.stars, title: review.title, text: review.text, author: { name: review.author }, language: 'en', publishedAt: review.createdAt },
      }),
    }));
    const sendAll = async (count: number) => {
      const jobFile = join(tmpdir(), `cx-bench-pushes-${process.pid}.json`);
      await writeFile(jobFile, JSON.stringify({ url: pushUrl, secret, pushes: pushes.slice(0, count), concurrency: CONCURRENCY }));
      try {
        const { stdout } = await run(process.execPath, [new URL('./push-sender.mjs', import.meta.url).pathname, jobFile], { maxBuffer: 1 << 20 });
        return JSON.parse(stdout) as { created: number; unchanged: number; failed: number; ms: number };
      } finally {
        await rm(jobFile, { force: true });
      }
    };
    const pushed = await sendAll(pushes.length);
    const pushMs = pushed.ms;
    if (pushed.created !== pushes.length || pushed.failed) throw new Error(`push: ${JSON.stringify(pushed)}`);
    const replayCount = Math.min(pushes.length, 20_000);
    const replayed = await sendAll(replayCount);
    const replayMs = replayed.ms;
    if (replayed.unchanged !== replayCount) throw new Error(`replay wrote: ${JSON.stringify(replayed)}`);
    const singleMs = await singleInserts(pool, workspace.id, generic.id, rows.slice(0, pushes.length));
    const pushBatchMs = await batchedInsert(
      pool,
      workspace.id,
      generic.id,
      rows.slice(0, pushes.length).map((row) => ({ ...row, externalId: `${row.externalId}-batch2` })),
    );

    await pool.end();
    await running.shutdown();
    const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en');
    const cpu = os.cpus();
    lines.push(
      `## Review ingestion (${new Date().toISOString().slice(0, 10)})`,
      '',
      `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on loopback.`,
      `Pull: ${REVIEWS.toLocaleString('en')} reviews from the Trustpilot stand-in (loopback HTTP, OAuth token, 100 per page, ${pulled.pages} pages), each page mapped, language settled, hashed and written with its cursor in one transaction. Push: ${pushes.length.toLocaleString('en')} Standard Webhooks requests (one review each, HMAC verified), ${CONCURRENCY} concurrent clients in a separate sender process (bench/push-sender.mjs: node:http, kept-alive connections, node:crypto HMAC; BENCH_PUSH_CONCURRENCY). Push limit lifted for the run. Baseline: the same rows with their events, in one statement, into copies of the Review table (with its indexes) and of the outbox, ${BATCH} reviews per statement; for pushes also one review per statement over ${CONCURRENCY} connections.`,
      '',
      '| path | reviews | time s | reviews/s | baseline reviews/s | ratio (time) |',
      '| --- | --- | --- | --- | --- | --- |',
      `| pull (sync, paged) | ${REVIEWS.toLocaleString('en')} | ${(pullMs / 1000).toFixed(1)} | ${rate(REVIEWS, pullMs)} | ${rate(REVIEWS, baselineMs)} batched | ${(pullMs / baselineMs).toFixed(1)}x |`,
      `| pull again (cursor reset) | ${REVIEWS.toLocaleString('en')} | ${(againMs / 1000).toFixed(1)} | ${rate(REVIEWS, againMs)} | | wrote 0 rows, 0 versions |`,
      `| push (one per request) | ${pushes.length.toLocaleString('en')} | ${(pushMs / 1000).toFixed(1)} | ${rate(pushes.length, pushMs)} | ${rate(pushes.length, pushBatchMs)} batched / ${rate(pushes.length, singleMs)} single-row | ${(pushMs / pushBatchMs).toFixed(1)}x / ${(pushMs / singleMs).toFixed(1)}x |`,
      `| push replayed | ${replayCount.toLocaleString('en')} | ${(replayMs / 1000).toFixed(1)} | ${rate(replayCount, replayMs)} | | wrote 0 rows |`,
      '',
      `A replayed push writes nothing and still costs ${((replayMs / replayCount) * (pushes.length / pushBatchMs)).toFixed(1)}x the batched baseline per review: one HTTP request and one signature check per review are most of a push's cost (the source is kept in memory, PUSH_SOURCE_CACHE_SECONDS); writing adds ${((pushMs / pushes.length / (replayMs / replayCount) - 1) * 100).toFixed(0)}% to the time per review.`,
      '',
    );
  } finally {
    await standIn.close();
    await scratch.drop();
  }
  await writeSection('reviews', lines.join('\n'));
  console.log(lines.join('\n'));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
