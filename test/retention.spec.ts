import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { npsWithReason, surveyApi, tokenOf } from './support/survey-helpers.js';

const POLICY = `mutation($input: UpdateRetentionPolicyInput!) { updateRetentionPolicy(input: $input) { __typename
  ... on UpdateRetentionPolicyPayload { workspace { retentionPolicy { openAnswersMonths inactiveCustomersMonths eventsDays auditDays } } } ... on ValidationError { issues { path } } } }`;
const REPORT = 'dryRun openAnswers followUpComments inactiveCustomers events auditEntries';

describe.each(DATABASE_TARGETS)('retention policies ($name)', (target) => {
  let t: TestApp;
  let api: ReturnType<typeof surveyApi>;
  let workspaceId: string;
  const clock = new ManualClock('2024-01-10T10:00:00Z');

  beforeAll(async () => {
    t = await startTestApp(target, { clock });
    const ws = await t.workspace('Retention');
    workspaceId = ws.id;
    api = surveyApi(t, ws.key);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A customer who ordered and answered with a score and their own words, now. */
  async function answeringCustomer(name: string, survey: { id: string; questions: Array<{ id: string }> }) {
    const customerId = await api.customer({ firstName: name, customerSince: clock.now().toISOString() });
    await api.ok(`mutation($input: CreateOrderInput!) { createOrder(input: $input) { __typename } }`, {
      input: { customerId, amount: '50.00', currency: 'EUR', orderedAt: clock.now().toISOString() },
    });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customerId] } });
    await t.app.dispatcher.dispatchDue();
    const [invitation] = await api.invitations({ customerId });
    await api.ok(`mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { __typename } }`, {
      input: {
        token: tokenOf(invitation.url),
        complete: true,
        answers: [
          { questionId: survey.questions[0]!.id, score: 3 },
          { questionId: survey.questions[1]!.id, text: `${name} vond het niks` },
        ],
      },
    });
    return customerId;
  }

  it('reports in a dry run, then removes exactly what the policy says, with the erasure routine for customers', async () => {
    const refused = (await api.ok(POLICY, { input: { auditDays: 5 } })).updateRetentionPolicy;
    expect(refused).toEqual({ __typename: 'ValidationError', issues: [{ path: ['input', 'auditDays'] }] });
    const set = (await api.ok(POLICY, { input: { openAnswersMonths: 6, inactiveCustomersMonths: 24, eventsDays: 30, auditDays: 90 } })).updateRetentionPolicy;
    expect(set.workspace.retentionPolicy).toEqual({ openAnswersMonths: 6, inactiveCustomersMonths: 24, eventsDays: 30, auditDays: 90 });

    const survey = await api.survey(npsWithReason('Na de levering'));
    const old = await answeringCustomer('Oud', survey);
    clock.set('2026-03-01T10:00:00Z');
    const recent = await answeringCustomer('Recent', survey);
    const prisma = t.app.database.prisma;
    // The relay has fanned out every event so far (it does not run in this test).
    await prisma.domainEvent.updateMany({ where: { workspaceId }, data: { relayedAt: clock.now() } });
    clock.set('2026-04-01T10:00:00Z');

    const rows = async () => ({
      texts: await prisma.answer.count({ where: { workspaceId, text: { not: null } } }),
      scores: await prisma.answer.count({ where: { workspaceId, score: { not: null } } }),
      events: await prisma.domainEvent.count({ where: { workspaceId } }),
      audit: await prisma.auditEntry.count({ where: { workspaceId } }),
      erased: await prisma.customer.count({ where: { workspaceId, erasedAt: { not: null } } }),
    });
    const before = await rows();
    const oldEvents = await prisma.domainEvent.count({ where: { workspaceId, occurredAt: { lt: new Date('2026-03-02T10:00:00Z') } } });
    const oldAudit = await prisma.auditEntry.count({ where: { workspaceId, occurredAt: { lt: new Date('2026-01-01T10:00:00Z') } } });

    const preview = (await api.ok(`{ retentionPreview { ${REPORT} } }`)).retentionPreview;
    // Oud's words (2024) go, Recent's (a month old) stay; Oud has been inactive for 27 months.
    expect(preview).toEqual({ dryRun: true, openAnswers: 1, followUpComments: 1, inactiveCustomers: 1, events: oldEvents, auditEntries: oldAudit });
    expect(oldEvents).toBeGreaterThan(0);
    expect(oldAudit).toBeGreaterThan(0);
    expect(await rows()).toEqual(before);

    const applied = (await api.ok(`mutation { applyRetention { __typename ... on ApplyRetentionPayload { report { ${REPORT} } } } }`)).applyRetention.report;
    expect(applied).toEqual({ ...preview, dryRun: false });
    const after = await rows();
    expect(after.texts).toBe(before.texts - 1);
    expect(after.scores).toBe(before.scores);
    expect(after.erased).toBe(1);
    expect(await prisma.domainEvent.count({ where: { workspaceId, occurredAt: { lt: new Date('2026-03-02T10:00:00Z') } } })).toBe(0);
    expect(await prisma.auditEntry.count({ where: { workspaceId, occurredAt: { lt: new Date('2026-01-01T10:00:00Z') } } })).toBe(0);
    const people = await api.ok(`query($a: ID!, $b: ID!) { a: node(id: $a) { ... on Customer { firstName erasedAt } } b: node(id: $b) { ... on Customer { firstName erasedAt } } }`, {
      a: old,
      b: recent,
    });
    expect(people).toEqual({ a: { firstName: null, erasedAt: '2026-04-01T10:00:00.000Z' }, b: { firstName: 'Recent', erasedAt: null } });
    expect(await prisma.domainEvent.count({ where: { workspaceId, type: 'customer.erased' } })).toBe(1);
    expect(await prisma.auditEntry.count({ where: { workspaceId, operation: 'retention', actorType: 'RETENTION' } })).toBe(1);
    // Nothing left to do.
    expect((await api.ok(`{ retentionPreview { ${REPORT} } }`)).retentionPreview).toEqual({ dryRun: true, openAnswers: 0, followUpComments: 0, inactiveCustomers: 0, events: 0, auditEntries: 0 });
  });
});
