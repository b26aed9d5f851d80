import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { pino } from 'pino';
import { createApp, type App } from '../src/app.js';
import { loadConfigOrThrow } from '../src/config.js';
import { createWebhookSubscriptionOrThrow } from '../src/core/webhooks/webhook-subscription.service.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import { scopeToWorkspace } from '../src/db/workspace-scope.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { DATABASE_TARGETS } from './support/databases.js';

const postgres = DATABASE_TARGETS.find((target) => target.name === 'postgres');
const EVENTS = 60;

/** A partner's endpoint that answers slowly, so a restart lands in the middle of the deliveries. */
async function slowReceiver() {
  const received: Array<{ webhookId: string; eventId: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      setTimeout(() => {
        received.push({ webhookId: String(req.headers['webhook-id']), eventId: (JSON.parse(body) as { id: string }).id });
        res.writeHead(204).end();
      }, 40);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.runIf(postgres)('webhook deliveries across a server restart', () => {
  let database: Awaited<ReturnType<NonNullable<typeof postgres>['create']>>;
  let receiver: Awaited<ReturnType<typeof slowReceiver>>;
  const start = () =>
    createApp({ ...loadConfigOrThrow({ NODE_ENV: 'test', LOG_LEVEL: 'silent', EVENTS_POLL_MS: '20' }), database: database.settings }, resolvePlugins({}), pino({ level: 'silent' }), {
      firstWorkspace: false,
      jobs: false,
      eventLoop: true,
    });

  beforeAll(async () => {
    database = await postgres!.create();
    receiver = await slowReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await database?.drop();
  });

  it('delivers every event exactly once per delivery id when the instance is replaced halfway', async () => {
    let app: App = await start();
    const { workspace } = await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Restart' });
    const db = scopeToWorkspace(app.database.prisma, workspace.id);
    await createWebhookSubscriptionOrThrow(db, { url: receiver.url }, true);
    // Events keep being committed, one every 10 ms, by a writer that outlives the instances.
    const writer = new pg.Pool({ connectionString: (database.settings as { url: string }).url, max: 1 });
    let written = 0;
    const writing = (async () => {
      for (; written < EVENTS; written += 1) {
        await writer.query(`INSERT INTO "DomainEvent" ("workspaceId", type, "subjectId", data, "occurredAt") VALUES ($1, 'review.created', $2, '{}', now())`, [workspace.id, `s${written}`]);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const deadline = Date.now() + 20_000;
    while (written < EVENTS / 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    await app.close();
    const atRestart = receiver.received.length;
    app = await start();
    await writing;
    await writer.end();
    while (new Set(receiver.received.map((hook) => hook.eventId)).size < EVENTS && Date.now() < deadline + 20_000) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await app.close();
    expect(atRestart).toBeGreaterThan(0);
    expect(atRestart).toBeLessThan(EVENTS);
    const ids = receiver.received.map((hook) => hook.webhookId);
    expect(new Set(receiver.received.map((hook) => hook.eventId)).size).toBe(EVENTS);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(EVENTS);
  });
});
