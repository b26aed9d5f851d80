import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { loadConfigOrThrow } from '../src/config.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import type { DatabaseSettings } from '../src/db/database.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { DATABASE_TARGETS } from './support/databases.js';
import type { Loose } from './support/harness.js';
import { startSmtpSink } from './support/smtp-sink.js';

/**
 * The real pg-boss queue, the system clock and a real SMTP server: invitations due now go out
 * within seconds, a restart loses none and sends none twice, and two instances share the work.
 */
async function boot(settings: DatabaseSettings): Promise<App> {
  const config = loadConfigOrThrow({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SEGMENT_RECOMPUTE_DELAY_SECONDS: '1' });
  return createApp({ ...config, database: settings }, resolvePlugins({}), pino({ level: 'silent' }), { firstWorkspace: false, jobs: true });
}

async function gql(app: App, key: string, query: string, variables?: Record<string, unknown>) {
  const res = await app.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Loose; errors?: unknown };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

async function setUp(app: App, smtpPort: number, customers: number) {
  const { adminKey } = await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Queue' });
  const key = adminKey.plaintext;
  await gql(app, key, `mutation($input: ConfigureSurveyChannelInput!) { configureSurveyChannel(input: $input) { __typename } }`, {
    input: { code: 'email', settings: { host: '127.0.0.1', port: smtpPort, from: 'q@shop.example' } },
  });
  const survey = await gql(app, key, `mutation { createSurvey(input: { name: "Q", kind: NPS, channel: "email", reminderAfterHours: null }) { ... on CreateSurveyPayload { survey { id } } } }`);
  const surveyId = survey.createSurvey.survey.id;
  await gql(app, key, `mutation($id: ID!) { updateSurvey(input: { id: $id, status: ACTIVE }) { __typename } }`, { id: surveyId });
  const ids: string[] = [];
  for (let i = 0; i < customers; i++) {
    const c = await gql(app, key, `mutation($e: String!) { createCustomer(input: { firstName: "Q", email: $e, consentEmail: true }) { ... on CreateCustomerPayload { customer { id } } } }`, {
      e: `q${i}@example.com`,
    });
    ids.push(c.createCustomer.customer.id);
  }
  return { key, surveyId, customerIds: ids };
}

const invitationIds = (mails: Array<{ headers: Map<string, unknown> }>) => mails.map((mail) => String(mail.headers.get('x-cx-invitation')));

describe.each(DATABASE_TARGETS)('durable invitation dispatch on pg-boss ($name)', (target) => {
  let settings: DatabaseSettings;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (target.name === 'pglite') {
      // On disk, so a second start sees what the first left.
      const dir = await mkdtemp(join(tmpdir(), 'cx-queue-'));
      settings = { kind: 'pglite', dataDir: dir };
      cleanup = () => rm(dir, { recursive: true, force: true });
    } else {
      const db = await target.create();
      settings = db.settings;
      cleanup = db.drop;
    }
  });
  afterAll(() => cleanup());

  it('sends what is due within seconds, and after a restart sends the rest exactly once', async () => {
    const smtp = await startSmtpSink();
    let app = await boot(settings);
    try {
      const { key, surveyId, customerIds } = await setUp(app, smtp.port, 6);
      await gql(app, key, `mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId, customerIds: customerIds.slice(0, 2) } });
      await smtp.waitFor(2, 20_000);

      const later = new Date(Date.now() + 1500).toISOString();
      await gql(app, key, `mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId, customerIds: customerIds.slice(2), sendAt: later } });
      await app.close();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      app = await boot(settings);
      const mails = await smtp.waitFor(6, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(mails).toHaveLength(6);
      expect(new Set(invitationIds(mails)).size).toBe(6);
      const statuses = await app.database.prisma.invitation.groupBy({ by: ['status'], _count: true });
      expect(statuses).toEqual([{ status: 'SENT', _count: 6 }]);
    } finally {
      await app.close();
      await smtp.close();
    }
  }, 60_000);

  it('recomputes dynamic segments shortly after data changes', async () => {
    const app = await boot(settings);
    try {
      const { adminKey } = await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Segments' });
      const key = adminKey.plaintext;
      const created = await gql(
        app,
        key,
        `mutation { createSegment(input: { name: "Dutch", kind: DYNAMIC, modelCode: "geographic", parameters: { rules: { match: "ALL", rules: [{ field: "country", op: "equals", value: "NL" }] } } }) { ... on CreateSegmentPayload { segment { id size } } } }`,
      );
      const segment = created.createSegment.segment;
      expect(segment.size).toBe(0);
      await gql(app, key, `mutation { createCustomer(input: { firstName: "Nieuw", country: "NL" }) { __typename } }`);
      const deadline = Date.now() + 20_000;
      let size = 0;
      while (Date.now() < deadline && size === 0) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        size = (await gql(app, key, `query($id: ID!) { node(id: $id) { ... on Segment { size } } }`, { id: segment.id })).node.size;
      }
      expect(size).toBe(1);
    } finally {
      await app.close();
    }
  }, 60_000);

  it.skipIf(target.name === 'pglite')(
    'shares the work between two instances without sending twice',
    async () => {
      const smtp = await startSmtpSink();
      const [one, two] = [await boot(settings), await boot(settings)];
      try {
        const { key, surveyId, customerIds } = await setUp(one, smtp.port, 40);
        const half = customerIds.length / 2;
        await Promise.all([
          gql(one, key, `mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId, customerIds: customerIds.slice(0, half) } }),
          gql(two, key, `mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId, customerIds: customerIds.slice(half) } }),
          one.dispatcher.dispatchDue(),
          two.dispatcher.dispatchDue(),
        ]);
        await Promise.all([one.dispatcher.dispatchDue(), two.dispatcher.dispatchDue()]);
        const mails = await smtp.waitFor(40, 20_000);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(mails).toHaveLength(40);
        expect(new Set(invitationIds(mails)).size).toBe(40);
      } finally {
        await one.close();
        await two.close();
        await smtp.close();
      }
    },
    60_000,
  );
});
