/**
 * Start-up of the server as operators run it: time from spawn to "listening" and resident memory
 * (the process and its children) once ready, for the TypeScript entry through tsx (how `npm start`
 * ran before the build) and the built JavaScript (`npm start` now). Each run starts on a fresh
 * embedded database (migrations included); with BENCH_DATABASE_URL also on PostgreSQL. Runs: BENCH_RUNS (default 5). Writes bench/RESULTS.md.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { writeSection } from './results-file.js';
import { treeRssKiB } from './support.js';

const ROOT = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

async function startOnce(args: string[], databaseUrl?: string): Promise<{ readyMs: number; rssMiB: number }> {
  const dir = await mkdtemp(join(os.tmpdir(), 'cx-startup-'));
  const started = performance.now();
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: '0',
    CX_DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'info',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const readyMs = await new Promise<number>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      if (chunk.toString().includes('cx-graph is listening')) resolve(performance.now() - started);
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.on('exit', (code) => reject(new Error(`exited with ${code} before listening`)));
  });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const rssMiB = (await treeRssKiB(child.pid!)) / 1024;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  await rm(dir, { recursive: true, force: true });
  return { readyMs, rssMiB };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure(args: string[], databaseUrl?: string) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await startOnce(args, databaseUrl));
  return { readyMs: median(runs.map((run) => run.readyMs)), rssMiB: median(runs.map((run) => run.rssMiB)) };
}

const TSX = ['--import', 'tsx', 'src/main.ts'];
const BUILT = ['--enable-source-maps', 'dist/main.js'];
const source = await measure(TSX);
const built = await measure(BUILT);
/** With BENCH_DATABASE_URL (an empty or migrated database of its own), the same on PostgreSQL: no embedded engine in the figures. */
const postgresUrl = process.env.BENCH_DATABASE_URL;
const onPostgres = postgresUrl ? { source: await measure(TSX, postgresUrl), built: await measure(BUILT, postgresUrl) } : null;
const row = (label: string, before: number, after: number, digits: number) => `| ${label} | ${before.toFixed(digits)} | ${after.toFixed(digits)} | ${(after / before).toFixed(2)}x |`;
const markdown = [
  `## Start-up (${new Date().toISOString().slice(0, 10)})`,
  '',
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; embedded database, fresh data directory each run (migrations included); median of ${RUNS} runs.`,
  'Ready: spawn to the "listening" log line. RSS: the process and its children, one second after ready. Baseline: the TypeScript entry through tsx, as `npm start` ran before the build.',
  '',
  '| measure | tsx (src/main.ts) | built (dist/main.js) | ratio |',
  '| --- | --- | --- | --- |',
  row('ready, ms', source.readyMs, built.readyMs, 0),
  row('RSS, MiB', source.rssMiB, built.rssMiB, 0),
  ...(onPostgres ? [row('PostgreSQL: ready, ms', onPostgres.source.readyMs, onPostgres.built.readyMs, 0), row('PostgreSQL: RSS, MiB', onPostgres.source.rssMiB, onPostgres.built.rssMiB, 0)] : []),
  '',
  'Most of the embedded start is PGlite itself (its WebAssembly engine, migrations and the job queue on it), the same in both builds; the build removes the tsx loader and its esbuild child.',
].join('\n');
await writeSection('startup', markdown);
console.log(markdown);
