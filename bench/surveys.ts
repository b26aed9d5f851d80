/**
 * Survey benchmarks on PostgreSQL:
 * 1. Answers submitted through the public survey page (form posts to /s/<token>), 50 concurrent
 *    clients, against a plain INSERT over node:http + pg in the same run.
 * 2. 10,000 invitations scheduled with one sendSurvey call and sent through an in-memory channel.
 * BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres) is used to create a
 * scratch database. Writes its section of bench/RESULTS.md.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfigOrThrow } from '../src/config.js';
import { definePlugin, z, type SurveyChannel } from '../src/core/plugin-sdk/index.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { listen } from '../src/server.js';
import { writeSection } from './results-file.js';
import { createScratchDatabase, graphql, type Loose } from './support.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const INVITATIONS = Number(process.env.BENCH_INVITATIONS ?? 10_000);
const ANSWER_POOL = Number(process.env.BENCH_ANSWER_POOL ?? 55_000);
/** Seconds each side runs before the measured rounds, not counted (new connections prepare and plan their statements, the JIT warms up). */
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 2);

let delivered = 0;
const memoryChannel: SurveyChannel<Record<string, never>> = {
  code: 'memory',
  description: 'Counts invitations in memory (benchmark)',
  settingsSchema: z.object({}) as unknown as z.ZodType<Record<string, never>>,
  capabilities: [],
  address: null,
  consent: null,
  async send() {
    delivered += 1;
    return { ok: true, status: 'DELIVERED' };
  },
};
const memoryPlugin = definePlugin({ name: 'bench-memory-channel', version: '1.0.0', options: {}, optionsSchema: z.object({}), setup: () => ({ surveyChannels: [memoryChannel] }) });

const gql = graphql;

async function main() {
  const scratch = await createScratchDatabase('cx_bench_surveys');
  const dbUrl = scratch.url;
  const lines: string[] = [];
  const f = (n: number) => n.toFixed(2);
  try {
    const config = loadConfigOrThrow({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: dbUrl, DATABASE_POOL_SIZE: '20' });
    const app = await createApp(config, [...resolvePlugins({}), memoryPlugin], pino({ level: 'silent' }), { firstWorkspace: false, jobs: false, pageLimits: { perIp: 1e9, postsPerToken: 1e9 } });
    const server = await listen(app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
    const { workspace, adminKey } = await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Bench' });
    const key = adminKey.plaintext;
    const total = INVITATIONS + ANSWER_POOL;
    await app.database.prisma.$executeRawUnsafe(
      `INSERT INTO "Customer" ("workspaceId", "externalId", "firstName", email, "updatedAt") SELECT $1::uuid, 'c' || g, 'Klant', 'c' || g || '@example.com', now() FROM generate_series(1, ${total}) g`,
      workspace.id,
    );
    const customerIds = (await app.database.prisma.customer.findMany({ select: { id: true }, orderBy: { externalId: 'asc' } })).map((c) => Buffer.from(`Customer:${c.id}`).toString('base64'));
    const survey = await gql(
      server.url,
      key,
      `mutation { createSurvey(input: { name: "Bench", kind: NPS, channel: "memory", reminderAfterHours: null }) { ... on CreateSurveyPayload { survey { id questions { id } } } } }`,
    );
    const surveyId = survey.createSurvey.survey.id;
    const questionId = Buffer.from(survey.createSurvey.survey.questions[0].id, 'base64').toString().split(':')[1]!;
    await gql(server.url, key, `mutation($id: ID!) { updateSurvey(input: { id: $id, status: ACTIVE }) { __typename } }`, { id: surveyId });
    await gql(server.url, key, `mutation { updateContactPolicy(input: { cap: 100 }) { __typename } }`);

    // 2. Scheduling and sending 10,000 invitations.
    const t0 = performance.now();
    const sent = await gql(server.url, key, `mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { ... on SendSurveyPayload { result { created } } ... on Error { message } } }`, {
      input: { surveyId, customerIds: customerIds.slice(0, INVITATIONS) },
    });
    const scheduleMs = performance.now() - t0;
    const t1 = performance.now();
    const report = await app.dispatcher.dispatchDue({ concurrency: 8 });
    const dispatchMs = performance.now() - t1;
    if (sent.sendSurvey.result.created !== INVITATIONS || report.sent !== INVITATIONS || delivered !== INVITATIONS)
      throw new Error(`expected ${INVITATIONS} sent, got ${JSON.stringify({ sent, report, delivered })}`);

    // 1. Answers through the public page. Each request answers a different invitation.
    const linkScheduleStart = performance.now();
    for (let i = INVITATIONS; i < total; i += 10_000) {
      await gql(server.url, key, `mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, {
        input: { surveyId, customerIds: customerIds.slice(i, i + 10_000), channel: 'link' },
      });
    }
    const linkDispatchStart = performance.now();
    const linkReport = await app.dispatcher.dispatchDue({ concurrency: 8 });
    const linkScheduleMs = linkDispatchStart - linkScheduleStart;
    const linkDispatchMs = performance.now() - linkDispatchStart;
    if (linkReport.sent !== ANSWER_POOL) throw new Error(`expected ${ANSWER_POOL} link invitations sent, got ${JSON.stringify(linkReport)}`);
    const tokens = (await app.database.prisma.invitation.findMany({ where: { channel: 'link' }, select: { token: true } })).map((row) => row.token);
    // A workspace in use: the invitations sent above were answered earlier (one NPS answer each), and
    // the tables have statistics. On the empty tables of a fresh database the foreign-key checks on
    // "SurveyResponse" are planned for an empty table and scan the workspace's responses until
    // autovacuum analyses it.
    await app.database.prisma.$executeRawUnsafe(
      `WITH answered AS (
         INSERT INTO "SurveyResponse" ("workspaceId", "surveyId", "invitationId", "customerId", source, channel, locale, "startedAt", "completedAt", "updatedAt")
         SELECT "workspaceId", "surveyId", id, "customerId", 'PAGE', channel, locale, now(), now(), now() FROM "Invitation" WHERE channel = 'memory'
         RETURNING id, "workspaceId")
       INSERT INTO "Answer" ("workspaceId", "responseId", "questionId", score, "answeredAt", "updatedAt")
       SELECT "workspaceId", id, $1::uuid, (random() * 10)::int, now(), now() FROM answered`,
      questionId,
    );
    // Vacuumed as live tables would be: otherwise autovacuum visits the 45,000 new responses and
    // answers during the first round measured, which is the survey page's.
    await app.database.prisma.$executeRawUnsafe('VACUUM (ANALYZE)');
    let next = 0;
    const run = (url: string, path: (token: string) => string, duration = SECONDS) =>
      autocannon({
        url,
        connections: CONNECTIONS,
        duration,
        requests: [
          {
            method: 'POST',
            setupRequest: (request: Loose) => {
              const token = tokens[next++ % tokens.length]!;
              return { ...request, path: path(token), headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `questionId=${questionId}&score=${next % 11}&action=next` };
            },
          },
        ],
      });

    // Baseline: parse the same form and INSERT one row, over node:http + pg.
    const pool = new pg.Pool({ connectionString: dbUrl, max: 20 });
    pool.on('error', () => undefined);
    await pool.query('CREATE TABLE bench_answer (token text, question uuid, score int, at timestamptz default now())');
    const baseline = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        pool
          .query('INSERT INTO bench_answer (token, question, score) VALUES ($1, $2, $3)', [req.url!.slice(3, 35), form.get('questionId'), Number(form.get('score'))])
          .then(() => res.writeHead(303, { location: `${req.url}?q=1` }).end())
          .catch(() => res.writeHead(500).end());
      });
    });
    await new Promise<void>((resolve) => baseline.listen(0, '127.0.0.1', resolve));
    const baselineUrl = `http://127.0.0.1:${(baseline.address() as AddressInfo).port}`;

    // Alternating rounds, so a slow minute of this shared machine hits both sides alike; medians reported.
    const pages: Awaited<ReturnType<typeof run>>[] = [];
    const bases: Awaited<ReturnType<typeof run>>[] = [];
    let pageNext = 0;
    const warmed = WARM_UP_SECONDS > 0 ? await run(server.url, (token) => `/s/${token}?q=0`, WARM_UP_SECONDS) : null;
    pageNext = next;
    if (WARM_UP_SECONDS > 0) await run(baselineUrl, (token) => `/s/${token}`, WARM_UP_SECONDS);
    for (let round = 0; round < ROUNDS; round += 1) {
      next = pageNext;
      pages.push(await run(server.url, (token) => `/s/${token}?q=0`));
      pageNext = next;
      if (pageNext > tokens.length) throw new Error(`token pool too small: ${pageNext} requests for ${tokens.length} tokens`);
      next = 0;
      bases.push(await run(baselineUrl, (token) => `/s/${token}`));
    }
    const completed = await app.database.prisma.surveyResponse.count({ where: { completedAt: { not: null }, invitation: { channel: 'link' } } });
    baseline.close();
    await pool.end();
    await server.shutdown();
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    const pageRate = median(pages.map((r) => r.requests.average));
    const baseRate = median(bases.map((r) => r.requests.average));
    const pageP50 = median(pages.map((r) => r.latency.p50));
    const baseP50 = median(bases.map((r) => r.latency.p50));
    const pageP99 = median(pages.map((r) => r.latency.p99));
    const baseP99 = median(bases.map((r) => r.latency.p99));
    const sum = (results: Awaited<ReturnType<typeof run>>[], pick: (r: Awaited<ReturnType<typeof run>>) => number) => results.reduce((total, r) => total + pick(r), 0);

    const cpu = os.cpus();
    lines.push(
      `## Surveys (${new Date().toISOString().slice(0, 10)})`,
      '',
      `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on loopback.`,
      '',
      `### Answers through the public survey page`,
      '',
      `POST /s/<token> (form post of one NPS answer that completes the response: token lookup, validation, response + answer + invitation status + events and follow-ups, committed before the 303), ${CONNECTIONS} concurrent clients, each request a different invitation, in a workspace whose earlier invitations were answered. Baseline: node:http parsing the same form and running one plain INSERT through pg. ${WARM_UP_SECONDS} s of each side first, not counted (as the other benchmarks warm up: new connections prepare and plan their statements, the JIT compiles), then ${ROUNDS} alternating rounds of ${SECONDS} s each (survey page, baseline, survey page, ...); medians of the rounds.`,
      '',
      '| measure | survey page (cx-graph) | plain INSERT | ratio |',
      '| --- | --- | --- | --- |',
      `| answers per second | ${pageRate.toFixed(0)} | ${baseRate.toFixed(0)} | ${(pageRate / baseRate).toFixed(2)}x |`,
      `| median latency ms | ${f(pageP50)} | ${f(baseP50)} | ${(pageP50 / baseP50).toFixed(2)}x |`,
      `| p99 latency ms | ${f(pageP99)} | ${f(baseP99)} | ${(pageP99 / baseP99).toFixed(2)}x |`,
      `| errors / non-3xx | ${sum(pages, (r) => r.errors)} / ${sum(pages, (r) => r.non2xx - r['3xx'])} | ${sum(bases, (r) => r.errors)} / ${sum(bases, (r) => r.non2xx - r['3xx'])} | |`,
      '',
      `Rounds, answers per second (survey page / plain INSERT): ${pages.map((r, i) => `${r.requests.average.toFixed(0)} / ${bases[i]!.requests.average.toFixed(0)}`).join(', ')}.`,
      `Completed responses stored: ${completed} (${sum(pages, (r) => r.requests.total) + (warmed?.requests.total ?? 0)} requests finished inside the warm-up and the rounds; those in flight at a round's end completed too). No invitation was answered twice.`,
      '',
      `### Scheduling and sending ${INVITATIONS.toLocaleString('en')} invitations`,
      '',
      `One sendSurvey call for ${INVITATIONS.toLocaleString('en')} customers, then one dispatcher pass (8 in parallel) through an in-memory channel: eligibility (consent, cap under a per-customer lock), channel choice, message rendering, status updates.`,
      '',
      '| step | time | invitations per second |',
      '| --- | --- | --- |',
      `| sendSurvey (schedule) | ${(scheduleMs / 1000).toFixed(2)} s | ${(INVITATIONS / (scheduleMs / 1000)).toFixed(0)} |`,
      `| dispatch (decide + send) | ${(dispatchMs / 1000).toFixed(2)} s | ${(INVITATIONS / (dispatchMs / 1000)).toFixed(0)} |`,
      `| total | ${((scheduleMs + dispatchMs) / 1000).toFixed(2)} s | ${(INVITATIONS / ((scheduleMs + dispatchMs) / 1000)).toFixed(0)} |`,
      '',
      `The answer pool above went out on the link channel (the personal survey URL, nothing sent): ${ANSWER_POOL.toLocaleString('en')} invitations scheduled by ${Math.ceil(ANSWER_POOL / 10_000)} sendSurvey calls of at most 10,000 in ${(linkScheduleMs / 1000).toFixed(2)} s (${(ANSWER_POOL / (linkScheduleMs / 1000)).toFixed(0)}/s), then dispatched in one pass (8 in parallel) in ${(linkDispatchMs / 1000).toFixed(2)} s: **${(ANSWER_POOL / (linkDispatchMs / 1000)).toFixed(0)} invitations/s on the link channel** (${linkReport.sent.toLocaleString('en')} sent).`,
    );
  } catch (error) {
    console.error(error);
    throw error;
  } finally {
    await scratch.drop();
  }
  await writeSection('surveys', lines.join('\n'));
  console.log(lines.join('\n'));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
