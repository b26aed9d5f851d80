import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { surveyApi, tokenOf } from './support/survey-helpers.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

const FOLLOW_UP = 'id status priority score comment ownerName ownerEmail dueAt overdue customerContactedAt doneAt notes { author text } customer { id } question { id } review { id }';

describe.each(DATABASE_TARGETS)('closing the loop ($name)', (target) => {
  let t: TestApp;
  let api: ReturnType<typeof surveyApi>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let survey: { id: string; questions: Array<{ id: string; type: string }> };
  const clock = new ManualClock('2026-03-02T09:00:00Z');

  /** Sends the survey by link and answers it through the API, as the survey page would. */
  const answer = async (customer: Record<string, unknown>, score: number, comment: string | null) => {
    const customerId = await api.customer(customer);
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customerId], channel: 'link' } });
    await t.app.dispatcher.dispatchDue();
    const [invitation] = await api.invitations({ customerId });
    const [nps, open] = survey.questions;
    const res = await api.ok(`mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { __typename ... on Error { message } } }`, {
      input: { token: tokenOf(invitation.url), complete: true, answers: [{ questionId: nps!.id, score }, comment ? { questionId: open!.id, text: comment } : { questionId: open!.id, skipped: true }] },
    });
    expect(res.submitResponse.__typename).toBe('SubmitResponsePayload');
    return { customerId, token: tokenOf(invitation.url) };
  };
  const followUps = async (filter: Record<string, unknown> = {}) =>
    (await api.ok(`query($filter: FollowUpFilter) { followUps(first: 100, filter: $filter) { edges { node { ${FOLLOW_UP} } } } }`, { filter })).followUps.edges.map((edge: Loose) => edge.node);

  beforeAll(async () => {
    smtp = await startSmtpSink();
    receiver = await startWebhookReceiver();
    t = await startTestApp(target, { clock });
    const { key } = await t.workspace('Fietsenwinkel');
    api = surveyApi(t, key);
    await api.ok(`mutation($input: ConfigureSurveyChannelInput!) { configureSurveyChannel(input: $input) { __typename } }`, {
      input: { code: 'email', settings: { host: '127.0.0.1', port: smtp.port, from: 'Fietsenwinkel <service@fiets.example>' } },
    });
    survey = await api.survey({
      name: 'Na de reparatie',
      kind: 'NPS',
      channel: 'link',
      reminderAfterHours: null,
      questions: [
        { type: 'NPS', ownerName: 'Sanne de Werkplaats', ownerEmail: 'sanne@fiets.example', texts: [{ locale: 'nl', text: 'Hoe waarschijnlijk is het dat u ons aanbeveelt?' }] },
        { type: 'OPEN_TEXT', required: false, texts: [{ locale: 'nl', text: 'Wat kunnen we beter doen?' }] },
      ],
    });
    await api.ok(`mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { __typename } }`, {
      input: { url: receiver.url, eventTypes: ['follow_up.created', 'follow_up.changed', 'response.completed'] },
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    await receiver.close();
  });

  it('raises a follow-up for a detractor, for the question owner, with the customer’s words, due after the SLA', async () => {
    await answer({ firstName: 'Piet', lastName: 'Jansen', email: 'piet@example.com' }, 3, 'De fiets piepte nog steeds na de reparatie.');
    await answer({ firstName: 'Anna', email: 'anna@example.com' }, 9, 'Top!');
    await answer({ firstName: 'Bram', email: 'bram@example.com' }, 0, null);
    const board = await followUps();
    expect(board).toHaveLength(2);
    expect(board.find((followUp: Loose) => followUp.score === 3)).toMatchObject({
      status: 'OPEN',
      priority: 'HIGH',
      score: 3,
      comment: 'De fiets piepte nog steeds na de reparatie.',
      ownerName: 'Sanne de Werkplaats',
      ownerEmail: 'sanne@fiets.example',
      dueAt: '2026-03-04T09:00:00.000Z',
      overdue: false,
      question: { id: survey.questions[0]!.id },
    });
    expect(board.find((followUp: Loose) => followUp.score === 0)).toMatchObject({ priority: 'URGENT', comment: null });
    // Passives and promoters raise nothing; a rule can move the threshold.
    const rule = await api.ok(`mutation($input: SetFollowUpRuleInput!) { setFollowUpRule(input: $input) { ... on SetFollowUpRulePayload { rule { scoreMax } } } }`, {
      input: { questionId: survey.questions[0]!.id, scoreMax: 7 },
    });
    expect(rule.setFollowUpRule.rule.scoreMax).toBe(7);
    await answer({ firstName: 'Cees', email: 'cees@example.com' }, 7, null);
    expect(await followUps()).toHaveLength(3);
  });

  it('works a follow-up to done on the board, lists overdue ones, and writes back to the customer by email', async () => {
    clock.set('2026-03-05T09:00:00Z');
    const overdue = await followUps({ overdue: true });
    expect(overdue).toHaveLength(3);
    const piet = (await followUps()).find((followUp: Loose) => followUp.score === 3);
    const moved = await api.ok(`mutation($input: UpdateFollowUpInput!) { updateFollowUp(input: $input) { ... on UpdateFollowUpPayload { followUp { status } } } }`, {
      input: { id: piet.id, status: 'IN_PROGRESS' },
    });
    expect(moved.updateFollowUp.followUp.status).toBe('IN_PROGRESS');
    await api.ok(`mutation($input: AddFollowUpNoteInput!) { addFollowUpNote(input: $input) { __typename } }`, { input: { id: piet.id, author: 'Sanne', text: 'Bel gepland; remblok vervangen.' } });
    clock.set('2026-03-05T09:05:00Z');
    // Piet never agreed to e-mail: the reply is refused, naming the field, and nothing is recorded or sent.
    const refused = await api.ok(`mutation($input: CloseLoopWithCustomerInput!) { closeLoopWithCustomer(input: $input) { __typename ... on ValidationError { issues { path message } } } }`, {
      input: { id: piet.id, author: 'Sanne', subject: 'Uw fiets', message: 'Beste Piet ...', status: 'DONE' },
    });
    expect(refused.closeLoopWithCustomer).toEqual({ __typename: 'ValidationError', issues: [{ path: ['input', 'channel'], message: 'the customer has not consented to be contacted by email' }] });
    expect(smtp.messages).toHaveLength(0);
    expect((await followUps()).find((followUp: Loose) => followUp.id === piet.id).notes).toHaveLength(1);
    // A personal reply is not a survey: with e-mail consent it goes out even after an unsubscribe from surveys.
    await api.ok(`mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { __typename } }`, { input: { id: piet.customer.id, consentEmail: true, consentSurveys: false } });
    const closed = await api.ok(
      `mutation($input: CloseLoopWithCustomerInput!) { closeLoopWithCustomer(input: $input) { __typename ... on CloseLoopWithCustomerPayload { followUp { status customerContactedAt notes { author text } } } ... on ValidationError { issues { path message } } } }`,
      { input: { id: piet.id, author: 'Sanne', subject: 'Uw fiets', message: 'Beste Piet, we hebben het remblok vervangen. Het piepen is weg.', status: 'DONE' } },
    );
    expect(closed.closeLoopWithCustomer.followUp).toMatchObject({ status: 'DONE', customerContactedAt: '2026-03-05T09:05:00.000Z' });
    expect(closed.closeLoopWithCustomer.followUp.notes.map((note: Loose) => note.text)).toEqual([
      'Bel gepland; remblok vervangen.',
      expect.stringContaining('Wrote to the customer (email): Uw fiets'),
    ]);
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toMatchObject({ value: [{ address: 'piet@example.com', name: 'Piet Jansen' }] });
    expect(mail!.subject).toBe('Uw fiets');
    expect(mail!.text).toContain('remblok vervangen');
    expect(mail!.replyTo?.value[0]?.address).toBe('sanne@fiets.example');
    expect(await followUps({ overdue: true })).toHaveLength(2);
    expect((await followUps({ statuses: ['DONE'] }))[0].doneAt).toBe('2026-03-05T09:05:00.000Z');
  });

  it('publishes a done improvement action as "you said, we did" on the thank-you page', async () => {
    const [piet] = await followUps({ statuses: ['DONE'] });
    const create = (input: Record<string, unknown>) =>
      api.ok(
        `mutation($input: CreateImprovementActionInput!) { createImprovementAction(input: $input) { __typename ... on CreateImprovementActionPayload { action { id priority feedbackCount status } } ... on ValidationError { issues { path message } } } }`,
        { input },
      );
    const action = (
      await create({
        title: 'Remmen standaard nakijken bij elke reparatie',
        impact: 4,
        effort: 2,
        followUpIds: [piet.id],
        publicTexts: { nl: { said: 'Mijn fiets piepte na de reparatie.', did: 'We controleren nu bij elke reparatie ook de remmen.' } },
      })
    ).createImprovementAction.action;
    expect(action).toMatchObject({ priority: 16, feedbackCount: 1, status: 'PROPOSED' });
    const small = (await create({ title: 'Koffie in de wachtruimte', impact: 1, effort: 1 })).createImprovementAction.action;
    expect(small.priority).toBe(5);
    expect((await create({ title: 'x', impact: 9, effort: 1 })).createImprovementAction.issues[0].path).toEqual(['input', 'impact']);
    const top = await api.ok(`{ topImprovementActions { title priority } }`);
    expect(top.topImprovementActions.map((a: Loose) => a.priority)).toEqual([16, 5]);

    const early = await api.ok(`mutation($id: ID!) { publishImprovementAction(input: { id: $id }) { __typename ... on ValidationError { issues { message } } } }`, { id: action.id });
    expect(early.publishImprovementAction.issues[0].message).toBe('only a done action can be published');
    await api.ok(`mutation($id: ID!) { updateImprovementAction(input: { id: $id, status: DONE }) { __typename } }`, { id: action.id });
    await api.ok(`mutation($id: ID!) { publishImprovementAction(input: { id: $id }) { __typename } }`, { id: action.id });
    expect((await api.ok(`{ youSaidWeDid(locale: "nl") { said did } }`)).youSaidWeDid).toEqual([
      { said: 'Mijn fiets piepte na de reparatie.', did: 'We controleren nu bij elke reparatie ook de remmen.' },
    ]);

    const { token } = await answer({ firstName: 'Dirk', email: 'dirk@example.com' }, 10, null);
    const page = await (await t.http(`/s/${token}`)).text();
    expect(page).toContain('We controleren nu bij elke reparatie ook de remmen.');
    expect(page).toContain('Mijn fiets piepte na de reparatie.');
  });

  it('raises a follow-up for a low review, for the owner of its source', async () => {
    const secret = `whsec_${Buffer.from('loop-spec-secret-of-32-bytes!!!!').toString('base64')}`;
    const source = await api.ok(
      `mutation { connectReviewSource(input: { platformCode: "generic", name: "Marktplaats", ownerName: "Eva Webcare", ownerEmail: "eva@fiets.example", settings: { secrets: ["${secret}"] } }) { ... on ConnectReviewSourcePayload { source { id ownerEmail } } } }`,
    );
    const csv = 'externalId,rating,publishedAt,title,text\nmp1,1,2026-03-05T08:00:00Z,Slecht,Band lek na een dag.\nmp2,2,2026-03-05T08:00:00Z,,Matig\nmp3,4,2026-03-05T08:00:00Z,,Prima\n';
    await api.ok(`mutation($input: ImportReviewsInput!) { importReviews(input: $input) { __typename } }`, { input: { sourceId: source.connectReviewSource.source.id, csv } });
    const fromReviews = await followUps({ fromReviews: true });
    expect(fromReviews).toHaveLength(2);
    expect(fromReviews.find((followUp: Loose) => followUp.score === 1)).toMatchObject({
      priority: 'URGENT',
      ownerName: 'Eva Webcare',
      ownerEmail: 'eva@fiets.example',
      comment: 'Slecht\nBand lek na een dag.',
      review: { id: expect.any(String) },
    });
    expect(fromReviews.find((followUp: Loose) => followUp.score === 2)).toMatchObject({ priority: 'MEDIUM' });
  });

  it('tells a partner about every follow-up and completed response through the webhook, once each', async () => {
    await t.app.events.runOnce();
    const bodies = receiver.received.map((hook) => JSON.parse(hook.body) as { id: string; type: string; data: Loose });
    const types = bodies.map((body) => body.type);
    expect(types.filter((type) => type === 'response.completed')).toHaveLength(5);
    expect(types.filter((type) => type === 'follow_up.created')).toHaveLength(5);
    expect(types.filter((type) => type === 'follow_up.changed').length).toBeGreaterThanOrEqual(3);
    expect(new Set(bodies.map((body) => body.id)).size).toBe(bodies.length);
    const created = bodies.find((body) => body.type === 'follow_up.created' && body.data.score === 3)!;
    expect(created.data).toMatchObject({ priority: 'HIGH', ownerEmail: 'sanne@fiets.example' });
    const node = await api.ok(`query($id: ID!) { node(id: $id) { ... on FollowUp { status } } }`, { id: created.data.followUpId });
    expect(node.node.status).toBe('DONE');
  });
});
