/**
 * Bounded fault run (loopback only): concurrent answers on the public survey page while the
 * server's PostgreSQL connections are terminated and while the server process is killed
 * (SIGKILL) and restarted, and stopped with SIGTERM and restarted. Afterwards every acknowledged
 * answer (a 303 from the page, or the page saying the survey is complete) must be stored exactly
 * once with the score that was sent: lost = 0, duplicates = 0. Writes bench/RESULTS.md.
 * Scale: BENCH_INVITATIONS (default 3000), BENCH_CLIENTS (default 16).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import os from 'node:os';
import pg from 'pg';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfigOrThrow } from '../src/config.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { listen } from '../src/server.js';
import { writeSection } from './results-file.js';
import { createScratchDatabase, graphql } from './support.js';

const INVITATIONS = Number(process.env.BENCH_INVITATIONS ?? 3000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 180);
const ROOT = new URL('..', import.meta.url).pathname;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function prepare(url: string) {
  const config = { ...loadConfigOrThrow({ NODE_ENV: 'production', LOG_LEVEL: 'silent', RATE_LIMIT_CAPACITY: '100000000' }), database: { kind: 'postgres' as const, url, poolSize: 10 } };
  const app = await createApp(config, resolvePlugins({}), pino({ level: 'silent' }), { firstWorkspace: false, jobs: false });
  const server = await listen(app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
  try {
    const { workspace, adminKey } = await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Faults' });
    const key = adminKey.plaintext;
    await app.database.sql.session((conn) =>
      conn.query(`INSERT INTO "Customer" ("workspaceId", "externalId", "firstName", "updatedAt") SELECT $1::uuid, 'c' || g, 'Klant', now() FROM generate_series(1, ${INVITATIONS}) g`, [workspace.id]),
    );
    const customerIds = (await app.database.prisma.customer.findMany({ select: { id: true } })).map((c) => Buffer.from(`Customer:${c.id}`).toString('base64'));
    const survey = await graphql(
      server.url,
      key,
      `mutation { createSurvey(input: { name: "Faults", kind: NPS, channel: "link", reminderAfterHours: null }) { ... on CreateSurveyPayload { survey { id questions { id } } } } }`,
    );
    const surveyId = survey.createSurvey.survey.id;
    const questionId = Buffer.from(survey.createSurvey.survey.questions[0].id, 'base64').toString().split(':')[1]!;
    await graphql(server.url, key, `mutation($id: ID!) { updateSurvey(input: { id: $id, status: ACTIVE }) { __typename } }`, { id: surveyId });
    await graphql(server.url, key, `mutation { updateContactPolicy(input: { cap: 100 }) { __typename } }`);
    for (let i = 0; i < customerIds.length; i += 10_000) {
      await graphql(server.url, key, `mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, {
        input: { surveyId, customerIds: customerIds.slice(i, i + 10_000), channel: 'link' },
      });
    }
    await app.dispatcher.dispatchDue({ concurrency: 8 });
    const tokens = (await app.database.prisma.invitation.findMany({ where: { status: { in: ['SENT', 'DELIVERED'] } }, select: { token: true } })).map((row) => row.token);
    if (tokens.length !== INVITATIONS) throw new Error(`expected ${INVITATIONS} sent invitations, got ${tokens.length}`);
    return { tokens, questionId };
  } finally {
    await server.shutdown();
  }
}

class ServerProcess {
  child: ChildProcess | null = null;
  constructor(
    private readonly url: string,
    readonly port: number,
  ) {}
  async start() {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        DATABASE_URL: this.url,
        PORT: String(this.port),
        LOG_LEVEL: 'error',
        PUBLIC_REQUESTS_PER_MINUTE: '1000000',
        SURVEY_POSTS_PER_MINUTE: '1000000',
        SHUTDOWN_TIMEOUT_MS: '10000',
      },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    for (let i = 0; i < 600; i += 1) {
      const ok = await fetch(`http://127.0.0.1:${this.port}/health/ready`).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) return;
      await sleep(100);
    }
    throw new Error('server did not become ready');
  }
  async stop(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child!;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    return exited;
  }
}

async function main() {
  const scratch = await createScratchDatabase('cx_bench_faults');
  const admin = new pg.Client({ connectionString: scratch.url });
  let server: ServerProcess | null = null;
  try {
    console.log(`preparing ${INVITATIONS} invitations`);
    const { tokens, questionId } = await prepare(scratch.url);
    await admin.connect();
    server = new ServerProcess(scratch.url, await freePort());
    await server.start();
    const base = `http://127.0.0.1:${server.port}`;
    const scoreOf = (token: string) => token.charCodeAt(0) % 11;
    const queue = [...tokens];
    const acknowledged = new Map<string, number>();
    const counts = { requests: 0, acknowledged: 0, completedPage: 0, refused: 0, serverErrors: 0, unavailable: 0, rateLimited: 0 };
    const errors = new Map<string, number>();
    const statuses = new Map<number, number>();
    const deadline = Date.now() + MAX_SECONDS * 1000;
    let restarting = Promise.resolve();
    const events: string[] = [];
    // Which fault the run is in, so connection errors can be told apart (SIGKILL cuts connections; SIGTERM must not).
    let phase = 'start';

    const worker = async () => {
      while (queue.length > 0 && Date.now() < deadline) {
        await restarting;
        const token = queue.shift()!;
        counts.requests += 1;
        try {
          const res = await fetch(`${base}/s/${token}?q=0`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: `questionId=${questionId}&score=${scoreOf(token)}&action=next`,
          });
          const text = await res.text();
          if (res.status === 303) {
            counts.acknowledged += 1;
            acknowledged.set(token, scoreOf(token));
          } else if (res.status === 200 && /dank|thank/i.test(text)) {
            // An earlier try was stored but its answer never arrived: the page now says so.
            counts.completedPage += 1;
            acknowledged.set(token, scoreOf(token));
          } else {
            if (res.status >= 500) counts.serverErrors += 1;
            if (res.status === 503) counts.unavailable += 1;
            if (res.status === 429) counts.rateLimited += 1;
            counts.refused += 1;
            if (res.status < 500 && res.status !== 429) statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            queue.push(token);
            await sleep(50);
          }
        } catch (error) {
          const code = ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message).slice(0, 40);
          const key = `${code} (${phase})`;
          errors.set(key, (errors.get(key) ?? 0) + 1);
          queue.push(token);
          await sleep(50);
        }
      }
    };

    const terminate = async () => {
      const { rows } = await admin.query<{ n: number }>(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
      events.push(`terminated ${rows[0]!.n} connections at ${counts.acknowledged} acknowledged`);
      phase = 'after pg_terminate_backend';
    };
    const restart = async (signal: NodeJS.Signals) => {
      let release = () => {};
      phase = `${signal} and restart`;
      const code = await server!.stop(signal);
      events.push(`${signal} at ${counts.acknowledged} acknowledged (exit ${code})`);
      restarting = new Promise((resolve) => (release = resolve));
      await server!.start();
      release();
    };
    const faults = (async () => {
      const plan: Array<() => Promise<void>> = [terminate, terminate, () => restart('SIGKILL'), terminate, () => restart('SIGTERM'), terminate];
      for (const fault of plan) {
        await sleep(1500);
        if (queue.length === 0) break;
        await fault();
      }
    })();
    const started = performance.now();
    await Promise.all([...Array.from({ length: CLIENTS }, worker), faults]);
    const seconds = (performance.now() - started) / 1000;

    // What is stored, per acknowledged token.
    const { rows } = await admin.query<{ token: string; responses: number; completed: number; answers: number; score: number | null; completedEvents: number }>(`
      SELECT i.token,
             (SELECT count(*)::int FROM "SurveyResponse" r WHERE r."invitationId" = i.id) AS responses,
             (SELECT count(*)::int FROM "SurveyResponse" r WHERE r."invitationId" = i.id AND r."completedAt" IS NOT NULL) AS completed,
             (SELECT count(*)::int FROM "Answer" a JOIN "SurveyResponse" r ON r.id = a."responseId" WHERE r."invitationId" = i.id) AS answers,
             (SELECT max(a.score) FROM "Answer" a JOIN "SurveyResponse" r ON r.id = a."responseId" WHERE r."invitationId" = i.id) AS score,
             (SELECT count(*)::int FROM "DomainEvent" e JOIN "SurveyResponse" r ON e.type = 'response.completed' AND e.data->>'invitationId' = encode(convert_to('Invitation:' || i.id, 'UTF8'), 'base64') WHERE r."invitationId" = i.id) AS "completedEvents"
        FROM "Invitation" i`);
    const byToken = new Map(rows.map((row) => [row.token, row]));
    let lost = 0;
    let wrongScore = 0;
    for (const [token, score] of acknowledged) {
      const row = byToken.get(token);
      if (!row || row.completed !== 1) lost += 1;
      else if (row.score !== score) wrongScore += 1;
    }
    const duplicates = rows.filter((row) => row.responses > 1 || row.answers > 1).length;
    const duplicateEvents = rows.filter((row) => row.completedEvents > 1).length;
    const unanswered = tokens.length - acknowledged.size;
    await server.stop('SIGTERM');
    server = null;

    const lines = [
      `## Fault run: answers while the database and the server fail (${new Date().toISOString().slice(0, 10)})`,
      '',
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on loopback.`,
      `${INVITATIONS.toLocaleString('en')} invitations answered on the public survey page by ${CLIENTS} concurrent clients (one NPS answer each, completing the response), against the server as its own process (\`node --import tsx src/main.ts\`, PostgreSQL). Faults, 1.5 s apart: ${events.join('; ')}. A client whose request failed (connection error, 5xx, 503) retries the same answer later.`,
      '',
      '| measure | value |',
      '| --- | --- |',
      `| duration | ${seconds.toFixed(1)} s |`,
      `| requests sent | ${counts.requests} |`,
      `| acknowledged (303, or "already complete" after a lost reply) | ${acknowledged.size} (${counts.acknowledged} + ${counts.completedPage}) |`,
      `| refused and retried (HTTP status) | ${counts.refused} (5xx: ${counts.serverErrors}, of which 503: ${counts.unavailable}; 4xx: ${[...statuses.entries()].map(([status, n]) => `${status}: ${n}`).join(', ') || 'none'}) |`,
      `| connection errors, retried | ${[...errors.entries()].map(([code, n]) => `${code}: ${n}`).join(', ') || 'none'} |`,
      `| **lost** (acknowledged, not stored) | **${lost}** |`,
      `| **duplicates** (more than one response or answer per invitation) | **${duplicates}** |`,
      `| duplicate response.completed events | ${duplicateEvents} |`,
      `| stored with another score than sent | ${wrongScore} |`,
      `| never acknowledged within ${MAX_SECONDS} s | ${unanswered} |`,
    ];
    await writeSection('faults', lines.join('\n'));
    console.log(lines.join('\n'));
    if (lost || duplicates || wrongScore) process.exitCode = 1;
  } finally {
    if (server?.child && server.child.exitCode === null) server.child.kill('SIGKILL');
    await admin.end().catch(() => undefined);
    await scratch.drop();
  }
  process.exit(process.exitCode ?? 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
