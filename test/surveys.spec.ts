import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { createFakeChannel } from './fixtures/fake-channel.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { surveyApi, tokenOf } from './support/survey-helpers.js';

const HOUR = 3_600_000;

const NPS_SURVEY = {
  name: 'After delivery',
  kind: 'NPS',
  triggerTouchpointTypes: ['delivery'],
  texts: [
    { locale: 'nl', reason: 'Op {date} ontving u {subject}.', signature: 'Groet,\nEva, klantenservice' },
    { locale: 'en', reason: 'On {date} you received {subject}.' },
  ],
  questions: [
    {
      type: 'NPS',
      required: true,
      ownerName: 'Eva',
      ownerEmail: 'eva@example.com',
      texts: [
        { locale: 'nl', text: 'Hoe waarschijnlijk beveelt u ons aan?', lowLabel: 'Onwaarschijnlijk', highLabel: 'Zeer waarschijnlijk' },
        { locale: 'en', text: 'How likely are you to recommend us?' },
      ],
    },
    {
      type: 'OPEN_TEXT',
      texts: [
        { locale: 'nl', text: 'Wat kunnen we beter doen?' },
        { locale: 'en', text: 'What could we do better?' },
      ],
    },
  ],
};

describe.each(DATABASE_TARGETS)('surveys and invitations ($name)', (target) => {
  let t: TestApp;
  let key: string;
  let api: ReturnType<typeof surveyApi>;
  const clock = new ManualClock('2026-01-08T09:00:00Z');
  const fake = createFakeChannel();

  beforeAll(async () => {
    t = await startTestApp(target, { plugins: [...resolvePlugins({}), fake.plugin], clock });
    key = (await t.workspace('Surveys')).key;
    api = surveyApi(t, key);
  });
  afterAll(() => t.close());

  const dispatch = () => t.app.dispatcher.dispatchDue();

  it('sends a triggered survey after the delay, with the salutation and the concrete reason', async () => {
    const survey = await api.survey(NPS_SURVEY);
    const customer = await api.customer({ firstName: 'Anna', infix: 'de', lastName: 'Vries', salutation: 'MS', email: 'anna@example.com', locale: 'nl', preferredChannel: 'fake' });
    await api.touchpoint({ customerId: customer, type: 'delivery', journeyPhase: 'DELIVERY', occurredAt: clock.now().toISOString(), subject: 'uw nieuwe televisie' });
    const [scheduled] = await api.invitations({ customerId: customer });
    expect(scheduled).toMatchObject({ status: 'SCHEDULED', locale: 'nl', sendAfter: new Date(clock.now().getTime() + 72 * HOUR).toISOString() });

    clock.advance({ hours: 71 });
    expect((await dispatch()).sent).toBe(0);
    clock.advance({ hours: 1 });
    expect((await dispatch()).sent).toBe(1);
    expect((await dispatch()).sent).toBe(0);

    const message = fake.sent.at(-1)!;
    expect(message.recipient.salutationLine).toBe('Beste mevrouw De Vries');
    expect(message.reason).toBe('Op 8 januari 2026 ontving u uw nieuwe televisie.');
    expect(message.signature).toBe('Groet,\nEva, klantenservice');
    expect(message.surveyUrl).toMatch(/\/s\/[A-Za-z0-9_-]{32}$/);
    const [sent] = await api.invitations({ customerId: customer });
    expect(sent).toMatchObject({ status: 'SENT', channel: 'fake', sentAt: clock.now().toISOString() });
    expect(survey.questions.map((q) => q.type)).toEqual(['NPS', 'OPEN_TEXT']);
  });

  it('sends one reminder after 7 days to those who have not completed, and only one', async () => {
    const customer = await api.customer({ firstName: 'Piet', lastName: 'Jansen', salutation: 'MR', email: 'piet@example.com', preferredChannel: 'fake', locale: 'en' });
    await api.touchpoint({ customerId: customer, type: 'delivery', journeyPhase: 'DELIVERY', occurredAt: clock.now().toISOString() });
    clock.advance({ hours: 72 });
    await dispatch();
    const toJansen = () => fake.sent.filter((message) => message.recipient.salutationLine === 'Dear Mr Jansen');
    expect(toJansen()).toHaveLength(1);
    clock.advance({ hours: 167 });
    await dispatch();
    expect(toJansen()).toHaveLength(1);
    clock.advance({ hours: 1 });
    const report = await dispatch();
    expect(report.reminded).toBeGreaterThanOrEqual(1);
    const reminder = fake.sent.find((message) => message.isReminder && message.recipient.salutationLine === 'Dear Mr Jansen');
    expect(reminder?.subject).toBe('A moment for your opinion?');
    clock.advance({ days: 3 });
    await dispatch();
    expect(toJansen().map((message) => message.isReminder)).toEqual([false, true]);
    const [invitation] = await api.invitations({ customerId: customer });
    expect(invitation.status).toBe('REMINDED');
    expect(invitation.remindedAt).not.toBeNull();
  });

  it('caps invitations per customer across surveys (reminders do not count) and says why', async () => {
    const other = await api.survey({ name: 'Service', kind: 'CSAT', channel: 'fake', reminderAfterHours: null });
    const customer = await api.customer({ firstName: 'Kim', email: 'kim@example.com', preferredChannel: 'fake' });
    for (const idempotencyKey of ['first', 'second', 'third']) {
      const res = await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { ... on SendSurveyPayload { result { count created } } } }`, {
        input: { surveyId: other.id, customerIds: [customer], idempotencyKey },
      });
      expect(res.sendSurvey.result).toEqual({ count: 1, created: 1 });
      await dispatch();
      clock.advance({ hours: 1 });
    }
    const invitations = await api.invitations({ customerId: customer });
    expect(invitations.map((i) => i.status).sort()).toEqual(['SENT', 'SENT', 'SKIPPED']);
    const skipped = await api.invitations({ customerId: customer, statuses: ['SKIPPED'], skipReason: 'CONTACT_CAP' });
    expect(skipped).toHaveLength(1);

    // A retry with the same key creates nothing new.
    const retry = await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { ... on SendSurveyPayload { result { count created invitations { status } } } } }`, {
      input: { surveyId: other.id, customerIds: [customer], idempotencyKey: 'first' },
    });
    expect(retry.sendSurvey.result).toMatchObject({ count: 1, created: 0, invitations: [{ status: 'SENT' }] });

    // The cap is rolling: a year later there is room again.
    clock.advance({ days: 366 });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: other.id, customerIds: [customer] } });
    await dispatch();
    const [newest] = await api.invitations({ customerId: customer });
    expect(newest.status).toBe('SENT');
  });

  it('holds the cap exactly when dispatchers race', async () => {
    const survey = await api.survey({ name: 'Race', kind: 'CES', channel: 'fake', reminderAfterHours: null });
    const customer = await api.customer({ firstName: 'Race', email: 'race@example.com' });
    for (let i = 0; i < 6; i++) {
      await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customer], idempotencyKey: `r${i}` } });
    }
    await Promise.all([dispatch(), dispatch(), dispatch()]);
    const statuses = (await api.invitations({ customerId: customer })).map((i) => i.status);
    expect(statuses.filter((status) => status === 'SENT')).toHaveLength(2);
    expect(statuses.filter((status) => status === 'SKIPPED')).toHaveLength(4);
  });

  it('records why an invitation was not sent: too old, unsubscribed, no consent, no channel', async () => {
    const old = await api.customer({ firstName: 'Old', email: 'old@example.com', preferredChannel: 'fake' });
    await api.touchpoint({ customerId: old, type: 'delivery', journeyPhase: 'DELIVERY', occurredAt: new Date(clock.now().getTime() - 15 * 24 * HOUR).toISOString() });
    expect((await api.invitations({ customerId: old }))[0]).toMatchObject({ status: 'SKIPPED', skipReason: 'TOO_OLD' });

    const gone = await api.customer({ firstName: 'Gone', email: 'gone@example.com', preferredChannel: 'fake', unsubscribedAt: clock.now().toISOString() });
    const noConsent = await api.customer({ firstName: 'No', email: 'no@example.com', preferredChannel: 'fake', consentSurveys: false });
    const noChannel = await api.customer({ firstName: 'None', email: 'none@example.com' });
    for (const customerId of [gone, noConsent, noChannel]) {
      await api.touchpoint({ customerId, type: 'delivery', journeyPhase: 'DELIVERY', occurredAt: clock.now().toISOString() });
    }
    clock.advance({ hours: 72 });
    await dispatch();
    expect((await api.invitations({ customerId: gone }))[0].skipReason).toBe('UNSUBSCRIBED');
    expect((await api.invitations({ customerId: noConsent }))[0].skipReason).toBe('NO_CONSENT');
    expect((await api.invitations({ customerId: noChannel }))[0].skipReason).toBe('NO_CHANNEL');
  });

  it('retries a failing channel with backoff, then marks the invitation failed', async () => {
    const survey = await api.survey({ name: 'Flaky', kind: 'CSAT', channel: 'fake', reminderAfterHours: null });
    const customer = await api.customer({ firstName: 'Flaky', email: 'flaky@example.com' });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customer] } });
    for (let i = 0; i < 3; i++) fake.failNext({ ok: false, failure: 'UNAVAILABLE', message: 'server down', retryable: true });
    expect((await dispatch()).retried).toBe(1);
    expect((await api.invitations({ customerId: customer }))[0]).toMatchObject({ status: 'SCHEDULED', failureMessage: 'UNAVAILABLE: server down' });
    clock.advance({ hours: 1 });
    expect((await dispatch()).retried).toBe(1);
    clock.advance({ hours: 1 });
    expect((await dispatch()).failed).toBe(1);
    expect((await api.invitations({ customerId: customer }))[0].status).toBe('FAILED');
  });

  it('stores partial and complete responses, idempotently, and reports drop-off', async () => {
    const survey = await api.survey({ ...NPS_SURVEY, name: 'Responses', triggerTouchpointTypes: [], channel: 'fake' });
    const customers = [];
    for (const name of ['A', 'B', 'C']) customers.push(await api.customer({ firstName: name, email: `${name}@example.com` }));
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: customers } });
    await dispatch();
    const invitations = await api.invitations({ surveyId: survey.id });
    const tokens = Object.fromEntries(invitations.map((i) => [i.customer.id, tokenOf(i.url)]));
    const [nps, open] = survey.questions;
    const submit = (token: string, answers: unknown[], complete = false) =>
      t.gql(
        key,
        `mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { __typename ... on SubmitResponsePayload { response { id completed answers { score text skipped } } } ... on ValidationError { issues { path message } } ... on ConflictError { message } } }`,
        {
          input: { token, answers, complete },
        },
      );

    const first = await submit(tokens[customers[0]!]!, [{ questionId: nps!.id, score: 9 }]);
    const again = await submit(tokens[customers[0]!]!, [{ questionId: nps!.id, score: 9 }]);
    expect(again.body.data.submitResponse.response.id).toBe(first.body.data.submitResponse.response.id);
    expect(again.body.data.submitResponse.response.answers).toEqual([{ score: 9, text: null, skipped: false }]);
    const done = await submit(tokens[customers[0]!]!, [{ questionId: open!.id, text: 'Sneller bezorgen' }], true);
    expect(done.body.data.submitResponse.response.completed).toBe(true);
    // The same final answers again: stored once, no error. A change after completion: a conflict.
    expect((await submit(tokens[customers[0]!]!, [{ questionId: open!.id, text: 'Sneller bezorgen' }], true)).body.data.submitResponse.__typename).toBe('SubmitResponsePayload');
    expect((await submit(tokens[customers[0]!]!, [{ questionId: open!.id, text: 'Anders' }], true)).body.data.submitResponse.__typename).toBe('ConflictError');

    const bad = await submit(tokens[customers[1]!]!, [{ questionId: nps!.id, score: 11 }]);
    expect(bad.body.data.submitResponse.issues).toEqual([{ path: ['input', 'answers', '0', 'score'], message: 'must be a whole number from 0 to 10' }]);
    const requiredSkip = await submit(tokens[customers[1]!]!, [{ questionId: open!.id, text: 'only text' }], true);
    expect(requiredSkip.body.data.submitResponse.issues[0].message).toMatch(/question 1 is required/);
    await submit(tokens[customers[1]!]!, [{ questionId: nps!.id, score: 3 }]);

    const partial = await api.ok(`query($f: SurveyResponseFilter) { surveyResponses(first: 10, filter: $f) { edges { node { completed source answers { score } } } } }`, {
      f: { surveyId: survey.id, completed: false },
    });
    expect(partial.surveyResponses.edges).toEqual([{ node: { completed: false, source: 'API', answers: [{ score: 3 }] } }]);

    const stats = await api.ok(
      `query($id: ID!) { node(id: $id) { ... on Survey { stats { delivered started completed responseRate dropOff { position reached answered abandoned dropOffRate } byStatus { status count } } } } }`,
      { id: survey.id },
    );
    expect(stats.node.stats).toMatchObject({ delivered: 3, started: 2, completed: 1 });
    expect(stats.node.stats.responseRate).toBeCloseTo(100 / 3, 10);
    expect(stats.node.stats.dropOff).toEqual([
      { position: 0, reached: 2, answered: 2, abandoned: 1, dropOffRate: 50 },
      { position: 1, reached: 1, answered: 1, abandoned: 0, dropOffRate: 0 },
    ]);

    // Questions with answers keep their meaning.
    const change = await t.gql(key, `mutation($input: UpdateQuestionInput!) { updateQuestion(input: $input) { __typename ... on ConflictError { field message } } }`, {
      input: { id: nps!.id, question: { type: 'CSAT', texts: [{ locale: 'nl', text: 'Tevreden?' }] } },
    });
    expect(change.body.data.updateQuestion).toMatchObject({ __typename: 'ConflictError', field: 'type' });
    const retitle = await t.gql(key, `mutation($input: UpdateQuestionInput!) { updateQuestion(input: $input) { __typename } }`, {
      input: { id: nps!.id, question: { type: 'NPS', required: true, texts: [{ locale: 'nl', text: 'Zou u ons aanraden?' }] } },
    });
    expect(retitle.body.data.updateQuestion.__typename).toBe('UpdateQuestionPayload');
    // Sending one language changes that language and keeps the others.
    const english = await api.ok(`mutation($input: UpdateQuestionInput!) { updateQuestion(input: $input) { ... on UpdateQuestionPayload { question { texts { locale text } } } } }`, {
      input: { id: nps!.id, question: { type: 'NPS', required: true, texts: [{ locale: 'en', text: 'Would you recommend us?' }] } },
    });
    expect(english.updateQuestion.question.texts).toEqual(
      expect.arrayContaining([
        { locale: 'nl', text: 'Zou u ons aanraden?' },
        { locale: 'en', text: 'Would you recommend us?' },
      ]),
    );
    const removed = await api.ok(`mutation($input: RemoveQuestionInput!) { removeQuestion(input: $input) { ... on RemoveQuestionPayload { question { retiredAt } } } }`, { input: { id: open!.id } });
    expect(removed.removeQuestion.question.retiredAt).not.toBeNull();
    const deleted = await t.gql(key, `mutation($input: DeleteSurveyInput!) { deleteSurvey(input: $input) { __typename } }`, { input: { id: survey.id } });
    expect(deleted.body.data.deleteSurvey.__typename).toBe('InUseError');
  });

  it('records phone answers by an agent', async () => {
    const survey = await api.survey({ name: 'Phone', kind: 'NPS' });
    const customer = await api.customer({ firstName: 'Bel', phone: '+31612345678', consentPhone: true });
    const [question] = survey.questions;
    const res = await api.ok(
      `mutation($input: RecordPhoneResponseInput!) { recordPhoneResponse(input: $input) { ... on RecordPhoneResponsePayload { response { source recordedBy completed invitation { channel status } } } ... on Error { message } } }`,
      { input: { surveyId: survey.id, customerId: customer, agentName: 'Sanne', answers: [{ questionId: question!.id, score: 10 }] } },
    );
    expect(res.recordPhoneResponse.response).toEqual({ source: 'PHONE', recordedBy: 'Sanne', completed: true, invitation: { channel: 'phone', status: 'COMPLETED' } });
    const history = await api.ok(
      `query($id: ID!) { node(id: $id) { ... on Customer { invitations(first: 5) { edges { node { channel status } } } surveyResponses(first: 5) { edges { node { source answers { score } } } } } } }`,
      { id: customer },
    );
    expect(history.node).toEqual({
      invitations: { edges: [{ node: { channel: 'phone', status: 'COMPLETED' } }] },
      surveyResponses: { edges: [{ node: { source: 'PHONE', answers: [{ score: 10 }] } }] },
    });
    const bySurvey = await api.ok(
      `query($id: ID!) { node(id: $id) { ... on Survey { responses(first: 5) { edges { node { recordedBy } } } invitations(first: 5) { edges { node { channel } } } } } }`,
      { id: survey.id },
    );
    expect(bySurvey.node).toEqual({ responses: { edges: [{ node: { recordedBy: 'Sanne' } }] }, invitations: { edges: [{ node: { channel: 'phone' } }] } });
  });

  it('rejects bad surveys with the field named', async () => {
    const res = await t.gql(key, `mutation($input: CreateSurveyInput!) { createSurvey(input: $input) { __typename ... on ValidationError { issues { path message } } } }`, {
      input: {
        name: 'Bad',
        kind: 'CUSTOM',
        texts: [{ locale: 'nl', reason: 'Op {when}' }],
        questions: [
          { type: 'RATING', texts: [{ locale: 'nl', text: 'Cijfer?' }] },
          { type: 'SINGLE_CHOICE', texts: [{ locale: 'nl', text: 'Welke?' }], options: [{ value: 'a', labels: [{ locale: 'nl', text: 'A' }] }] },
        ],
      },
    });
    const paths = res.body.data.createSurvey.issues.map((issue: { path: string[] }) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['input.texts.0.reason', 'input.questions.0.scaleMin', 'input.questions.0.scaleMax', 'input.questions.1.options']));
    const activate = await api.survey({ name: 'Empty', kind: 'CUSTOM' }, false);
    const res2 = await t.gql(key, `mutation($input: UpdateSurveyInput!) { updateSurvey(input: $input) { __typename ... on ValidationError { issues { path } } } }`, {
      input: { id: activate.id, status: 'ACTIVE' },
    });
    expect(res2.body.data.updateSurvey.issues).toEqual([{ path: ['input', 'status'] }]);
  });
});
