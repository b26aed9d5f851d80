/**
 * Event fan-out benchmark on PostgreSQL: 10,000 completed responses with 3 webhook subscriptions
 * (loopback receivers). Deliveries per second, end-to-end latency from the response's commit to
 * the receiver, and lost or duplicated deliveries counted by the receivers by event id. The server
 * is restarted (graceful stop, new instance) halfway through. Writes its section of bench/RESULTS.md.
 */
import os from 'node:os';
import { pino } from 'pino';
import { createApp, type App } from '../src/app.js';
import { loadConfigOrThrow } from '../src/config.js';
import { submitAnswersOrThrow } from '../src/core/surveys/response.service.js';
import { createSurvey } from '../src/core/surveys/survey.service.js';
import { createWebhookSubscriptionOrThrow } from '../src/core/webhooks/webhook-subscription.service.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import { scopeToWorkspace } from '../src/db/workspace-scope.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { startWebhookReceiver } from '../test/support/webhook-receiver.js';
import { writeSection } from './results-file.js';
import { createScratchDatabase } from './support.js';

const RESPONSES = Number(process.env.BENCH_RESPONSES ?? 10_000);
const SUBSCRIPTIONS = 3;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main() {
  const scratch = await createScratchDatabase('cx_bench_events');
  const lines: string[] = [];
  try {
    const config = loadConfigOrThrow({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: scratch.url, DATABASE_POOL_SIZE: '16', WEBHOOKS_ALLOW_LOOPBACK: 'true', EVENTS_POLL_MS: '50' });
    const start = () => createApp(config, resolvePlugins({}), pino({ level: 'silent' }), { firstWorkspace: false, jobs: false, eventLoop: true });
    let app: App = await start();
    const { workspace } = await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Bench' });
    const db = scopeToWorkspace(app.database.prisma, workspace.id);
    const survey = await createSurvey(db, { name: 'Bench NPS', kind: 'NPS' });
    await db.survey.update({ where: { id: survey.id }, data: { status: 'ACTIVE' } });
    const question = await db.question.findFirstOrThrow({ where: { surveyId: survey.id } });
    const invitations = await app.database.sql.session((conn) =>
      conn.query<{ id: string }>(
        `WITH c AS (INSERT INTO "Customer" ("workspaceId", "firstName", "updatedAt") SELECT $1::uuid, 'Customer ' || g, now() FROM generate_series(1, $3::int) g RETURNING id)
         INSERT INTO "Invitation" ("workspaceId", "surveyId", "customerId", token, status, locale, "sendAfter", "sentAt", "updatedAt")
         SELECT $1::uuid, $2::uuid, c.id, md5(random()::text || c.id::text), 'SENT', 'nl', now(), now(), now() FROM c
         RETURNING id`,
        [workspace.id, survey.id, RESPONSES * 2],
      ),
    );
    const receivers = await Promise.all(Array.from({ length: SUBSCRIPTIONS }, startWebhookReceiver));
    /** What a receiver got: event id, the response it is about, when it arrived. */
    const got = (receiver: (typeof receivers)[number]) =>
      receiver.received.map((hook) => {
        const body = JSON.parse(hook.body) as { id: string; data: { responseId: string } };
        return { eventId: body.id, responseId: body.data.responseId, at: hook.receivedAt };
      });
    // One subscription per receiver, so distinct webhook-ids count distinct events without parsing bodies.
    const distinct = (receiver: (typeof receivers)[number]) => new Set(receiver.received.map((hook) => hook.headers['webhook-id'])).size;
    for (const receiver of receivers) await createWebhookSubscriptionOrThrow(db, { url: receiver.url, eventTypes: ['response.completed'] }, true);

    const committedAt = new Map<string, number>();
    let next = 0;
    const answerSome = async (until: number, target = app) => {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < until) {
            const invitation = invitations[next++]!;
            const { responseId } = await submitAnswersOrThrow(target.database.sql, workspace.id, invitation.id, [{ questionId: question.id, score: 9 }], {
              now: new Date(),
              source: 'API',
              complete: true,
            });
            committedAt.set(Buffer.from(`SurveyResponse:${responseId}`).toString('base64'), Date.now());
          }
        }),
      );
    };
    const started = Date.now();
    await answerSome(Math.floor(RESPONSES / 2));
    // Restart halfway: the running instance stops gracefully (its webhook sends finish), a new one takes over.
    const restartAt = Date.now();
    await app.close();
    app = await start();
    const restartMs = Date.now() - restartAt;
    await answerSome(RESPONSES);
    const answeredMs = Date.now() - started;
    const deadline = Date.now() + 300_000;
    while (receivers.some((receiver) => distinct(receiver) < RESPONSES) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rows = receivers.map((receiver, index) => {
      const unique = new Set(got(receiver).map((r) => r.eventId)).size;
      return { index: index + 1, total: receiver.received.length, unique, lost: RESPONSES - unique, duplicated: receiver.received.length - unique };
    });
    const all = receivers.flatMap(got);
    const latencies = all.map((r) => r.at - (committedAt.get(r.responseId) ?? r.at)).sort((a, b) => a - b);
    const lastReceipt = Math.max(...all.map((r) => r.at));
    const deliveriesPerSecond = (all.length / (lastReceipt - started)) * 1000;
    await app.close();

    // Throughput of the fan-out itself: a backlog of RESPONSES events written while no instance
    // relays, then one instance drains it.
    const quiet = await createApp(config, resolvePlugins({}), pino({ level: 'silent' }), { firstWorkspace: false, jobs: false, eventLoop: false });
    await answerSome(RESPONSES * 2, quiet);
    await quiet.close();
    for (const receiver of receivers) receiver.received.length = 0;
    const drainStart = Date.now();
    app = await start();
    while (receivers.some((receiver) => distinct(receiver) < RESPONSES) && Date.now() < drainStart + 300_000) await new Promise((resolve) => setTimeout(resolve, 50));
    const drainMs = Math.max(...receivers.flatMap(got).map((r) => r.at)) - drainStart;
    const backlog = receivers.map((receiver) => ({ total: receiver.received.length, unique: new Set(got(receiver).map((r) => r.eventId)).size }));
    await app.close();
    await Promise.all(receivers.map((receiver) => receiver.close()));

    const cpu = os.cpus();
    lines.push(
      `## Event fan-out (${new Date().toISOString().slice(0, 10)})`,
      '',
      `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on loopback; receivers and answering clients in the same process.`,
      `${RESPONSES.toLocaleString('en')} responses completed through the answer path (${CONCURRENCY} concurrent), each writing its response.completed event in its own transaction; ${SUBSCRIPTIONS} webhook subscriptions for that type on loopback receivers; events relayed and sent every 50 ms (EVENTS_POLL_MS). The server was stopped gracefully and a new instance started after ${Math.floor(RESPONSES / 2).toLocaleString('en')} responses (restart took ${restartMs} ms).`,
      '',
      '| measure | result |',
      '| --- | --- |',
      `| responses completed | ${RESPONSES.toLocaleString('en')} in ${(answeredMs / 1000).toFixed(1)} s (${Math.round((RESPONSES / answeredMs) * 1000)}/s) |`,
      `| deliveries | ${all.length.toLocaleString('en')} in ${((lastReceipt - started) / 1000).toFixed(1)} s: ${Math.round(deliveriesPerSecond).toLocaleString('en')}/s |`,
      `| commit to receipt, median / p99 / max | ${percentile(latencies, 50)} ms / ${percentile(latencies, 99)} ms / ${latencies.at(-1)} ms |`,
      ...rows.map((row) => `| receiver ${row.index}: received / unique / lost / duplicated | ${row.total} / ${row.unique} / ${row.lost} / ${row.duplicated} |`),
      `| backlog of ${RESPONSES.toLocaleString('en')} events drained by one instance (boot included) | ${(RESPONSES * SUBSCRIPTIONS).toLocaleString('en')} deliveries in ${(drainMs / 1000).toFixed(1)} s: ${Math.round(((RESPONSES * SUBSCRIPTIONS) / drainMs) * 1000).toLocaleString('en')}/s; lost ${backlog.map((b) => RESPONSES - b.unique).join(' / ')}, duplicated ${backlog.map((b) => b.total - b.unique).join(' / ')} |`,
      '',
    );
  } finally {
    await scratch.drop();
  }
  await writeSection('events', lines.join('\n'));
  console.log(lines.join('\n'));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
