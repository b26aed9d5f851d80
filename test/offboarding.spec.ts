import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';
import { npsWithReason, surveyApi, tokenOf } from './support/survey-helpers.js';

const DELETE = `mutation($input: DeleteWorkspaceInput!) { deleteWorkspace(input: $input) { __typename
  ... on DeleteWorkspacePayload { deletion { workspaceId rows { table rows } } } ... on ValidationError { issues { path message } } } }`;

/** Offboarding a workspace through the API, as an admin would, on both databases. */
describe.each(DATABASE_TARGETS)('deleting a workspace ($name)', (target) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Rows per table that carry this workspace, from the catalog (so a new table is counted too). */
  async function rowsOf(workspaceId: string): Promise<Record<string, number>> {
    const prisma = t.app.database.prisma;
    const tables = await prisma.$queryRawUnsafe<Array<{ table: string }>>(
      `SELECT table_name::text AS "table" FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'workspaceId' ORDER BY 1`,
    );
    const counts: Record<string, number> = {};
    for (const { table } of tables) {
      const [row] = await prisma.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM "${table}" WHERE "workspaceId" = $1::uuid`, workspaceId);
      counts[table] = row!.n;
    }
    const [workspace] = await prisma.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM "Workspace" WHERE id = $1::uuid`, workspaceId);
    counts.Workspace = workspace!.n;
    return counts;
  }

  async function seed(name: string) {
    const { id, key } = await t.workspace(name);
    const api = surveyApi(t, key);
    const customerId = await api.customer({ firstName: `${name} klant`, email: `${name.toLowerCase().replace(/ /g, '-')}@example.com`, consentEmail: true });
    await api.ok(`mutation($input: CreateOrderInput!) { createOrder(input: $input) { __typename } }`, { input: { customerId, amount: '10.00', currency: 'EUR', orderedAt: '2026-01-05T10:00:00Z' } });
    const survey = await api.survey(npsWithReason());
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customerId] } });
    await t.app.dispatcher.dispatchDue();
    const [invitation] = await api.invitations({ customerId });
    await api.ok(`mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { __typename } }`, {
      input: {
        token: tokenOf(invitation.url),
        complete: true,
        answers: [
          { questionId: survey.questions[0]!.id, score: 2 },
          { questionId: survey.questions[1]!.id, text: 'Te laat' },
        ],
      },
    });
    await api.ok(`mutation($input: CreateSegmentInput!) { createSegment(input: $input) { __typename } }`, { input: { name: 'Vast', kind: 'STATIC' } });
    await api.ok(`mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { __typename } }`, {
      input: { url: 'https://hooks.example.com/cx', eventTypes: ['response.completed'] },
    });
    return { id, key, api };
  }

  it('removes every row of the workspace after revoking its keys, and nothing of another workspace', async () => {
    const a = await seed('Winkel A');
    const b = await seed('Winkel B');
    const bBefore = await rowsOf(b.id);
    expect(await rowsOf(a.id)).toMatchObject({ Customer: 1, Order: 1, Invitation: 1, SurveyResponse: 1, Answer: 2, FollowUp: 1, Segment: 1, WebhookSubscription: 1, Workspace: 1 });

    // A key without admin may not; a wrong name deletes nothing.
    const writer = (
      await a.api.ok(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreateApiKeyPayload { created { secret } } } }`, {
        input: { name: 'w', scopes: ['customers:write'] },
      })
    ).createApiKey.created.secret;
    expect((await t.gql(writer, DELETE, { input: { confirmName: 'Winkel A' } })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const wrong = (await a.api.ok(DELETE, { input: { confirmName: 'winkel a' } })).deleteWorkspace;
    expect(wrong).toEqual({ __typename: 'ValidationError', issues: [{ path: ['input', 'confirmName'], message: 'must be the workspace name, exactly as it is written' }] });
    const aBefore = await rowsOf(a.id);
    expect(aBefore).toMatchObject({ Customer: 1, ApiKey: 2 });

    const deleted = (await a.api.ok(DELETE, { input: { confirmName: 'Winkel A' } })).deleteWorkspace;
    expect(deleted.__typename).toBe('DeleteWorkspacePayload');
    const reported = Object.fromEntries(deleted.deletion.rows.map((entry: Loose) => [entry.table, entry.rows]));
    for (const [table, rows] of Object.entries(aBefore)) expect(reported[table], table).toBe(rows);

    const aAfter = await rowsOf(a.id);
    expect(Object.entries(aAfter).filter(([, rows]) => rows > 0)).toEqual([]);
    expect(await rowsOf(b.id)).toEqual(bBefore);
    // The workspace's keys no longer open anything.
    const res = await t.gql(a.key, `{ viewer { apiKeyId } }`);
    expect(res.status).toBe(401);
    expect((await t.gql(b.key, `{ workspace { name } }`)).body.data.workspace.name).toBe('Winkel B');
  });
});
