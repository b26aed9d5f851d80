import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { queueWeeklyDigests } from '../src/core/follow-ups/owner-mail.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { surveyApi, tokenOf } from './support/survey-helpers.js';

describe.each(DATABASE_TARGETS)('owner mail ($name)', (target) => {
  let t: TestApp;
  let api: ReturnType<typeof surveyApi>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let survey: { id: string; questions: Array<{ id: string; type: string }> };
  let workspaceId: string;
  // Monday 2 March 2026, 10:00 in Amsterdam.
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const SANNE = 'sanne@fiets.example';

  const configureEmail = (port: number) =>
    api.ok(`mutation($input: ConfigureSurveyChannelInput!) { configureSurveyChannel(input: $input) { __typename } }`, {
      input: { code: 'email', settings: { host: '127.0.0.1', port, from: 'Fietsenwinkel <service@fiets.example>' } },
    });
  const answer = async (customer: Record<string, unknown>, score: number, comment: string) => {
    const customerId = await api.customer(customer);
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customerId], channel: 'link' } });
    await t.app.dispatcher.dispatchDue();
    const [invitation] = await api.invitations({ customerId });
    const [nps, open] = survey.questions;
    await api.ok(`mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { __typename } }`, {
      input: {
        token: tokenOf(invitation.url),
        complete: true,
        answers: [
          { questionId: nps!.id, score },
          { questionId: open!.id, text: comment },
        ],
      },
    });
  };
  const setPreference = (input: Record<string, unknown>) =>
    api.ok(
      `mutation($input: SetOwnerMailPreferenceInput!) { setOwnerMailPreference(input: $input) { __typename ... on SetOwnerMailPreferencePayload { preference { email followUpRaised weeklyDigest locale } } ... on ValidationError { issues { path message } } } }`,
      { input },
    );
  const mailRows = () => t.app.database.prisma.ownerMail.findMany({ where: { workspaceId }, orderBy: { createdAt: 'asc' } });
  const mailsTo = (address: string) => smtp.messages.filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.value[0]?.address === address);

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp(target, { clock });
    const ws = await t.workspace('Fietsenwinkel');
    workspaceId = ws.id;
    api = surveyApi(t, ws.key);
    await configureEmail(smtp.port);
    await api.ok(`mutation { updateWorkspace(input: { companyName: "Fietsenwinkel Jansen" }) { __typename } }`);
    survey = await api.survey({
      name: 'Na de reparatie',
      kind: 'NPS',
      channel: 'link',
      reminderAfterHours: null,
      questions: [
        { type: 'NPS', ownerName: 'Sanne', ownerEmail: 'Sanne@Fiets.example', texts: [{ locale: 'nl', text: 'Hoe waarschijnlijk is het dat u ons aanbeveelt?' }] },
        { type: 'OPEN_TEXT', required: false, texts: [{ locale: 'nl', text: 'Wat kunnen we beter doen?' }] },
      ],
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('mails the owner once when a follow-up is raised for them, with the score, the customer and their words', async () => {
    await answer({ firstName: 'Piet', lastName: 'Jansen', email: 'piet@example.com' }, 3, 'De fiets piepte nog steeds.');
    await t.app.events.runOnce();
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toMatchObject({ value: [{ address: SANNE }] });
    expect(mail!.subject).toBe('[Fietsenwinkel Jansen] New follow-up (HIGH): score 3');
    expect(mail!.text).toContain('Customer: Piet Jansen');
    expect(mail!.text).toContain('Na de reparatie: Hoe waarschijnlijk is het dat u ons aanbeveelt?');
    expect(mail!.text).toContain('De fiets piepte nog steeds.');
    // Due after the 48-hour SLA, in the workspace's time zone.
    expect(mail!.text).toContain('Due: 4 March 2026 at 10:00 (Europe/Amsterdam)');
    expect(mail!.headers.get('x-cx-follow-up')).toMatch(/^[A-Za-z0-9+/=]+$/);
    // Relaying again (another instance, a retry) queues and sends nothing twice.
    await t.app.events.runOnce();
    expect(smtp.messages).toHaveLength(1);
    expect((await mailRows()).map((row) => row.status)).toEqual(['SENT']);
  });

  it('respects the owner’s setting, writes in their language, and mails a new owner when a follow-up is handed over', async () => {
    const off = await setPreference({ email: SANNE, followUpRaised: false });
    expect(off.setOwnerMailPreference.preference).toEqual({ email: SANNE, followUpRaised: false, weeklyDigest: false, locale: null });
    await answer({ firstName: 'Anna', email: 'anna@example.com' }, 1, 'Te duur.');
    await t.app.events.runOnce();
    expect(smtp.messages).toHaveLength(1);

    await setPreference({ email: SANNE, followUpRaised: true, locale: 'nl' });
    const bad = await setPreference({ email: 'sanne', locale: 'es' });
    expect(bad.setOwnerMailPreference.issues.map((issue: Loose) => issue.path)).toEqual([
      ['input', 'email'],
      ['input', 'locale'],
    ]);
    await answer({ firstName: 'Bram', email: 'bram@example.com' }, 0, 'Nooit meer.');
    await t.app.events.runOnce();
    const [, second] = await smtp.waitFor(2);
    expect(second!.subject).toBe('[Fietsenwinkel Jansen] Nieuwe opvolging (URGENT): score 0');
    expect(second!.text).toContain('Klant: Bram');

    const board = await api.ok(`{ followUps(first: 10, filter: { ownerEmail: "Sanne@Fiets.example" }) { edges { node { id score } } } }`);
    const anna = board.followUps.edges.map((edge: Loose) => edge.node).find((node: Loose) => node.score === 1);
    await api.ok(`mutation($id: ID!) { updateFollowUp(input: { id: $id, ownerEmail: "joost@fiets.example", ownerName: "Joost" }) { __typename } }`, { id: anna.id });
    await t.app.events.runOnce();
    await smtp.waitFor(3);
    const [handed] = mailsTo('joost@fiets.example');
    expect(handed!.subject).toBe('[Fietsenwinkel Jansen] New follow-up (HIGH): score 1');
    expect(handed!.text).toContain('Te duur.');
  });

  it('retries a mail the mail server could not take, and gives up after the last retry', async () => {
    await configureEmail(9); // nothing listens on port 9
    await answer({ firstName: 'Cees', email: 'cees@example.com' }, 2, 'Lang gewacht.');
    await t.app.events.runOnce();
    const failed = (await mailRows()).at(-1)!;
    expect(failed).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(failed.lastError).toMatch(/^UNAVAILABLE/);
    expect(failed.nextAttemptAt.toISOString()).toBe('2026-03-02T09:01:00.000Z');
    await configureEmail(smtp.port);
    await t.app.events.runOnce();
    expect(smtp.messages).toHaveLength(3);
    clock.set('2026-03-02T09:01:00Z');
    await t.app.events.runOnce();
    await smtp.waitFor(4);
    expect((await mailRows()).at(-1)).toMatchObject({ status: 'SENT', attempts: 2, lastError: null });
  });

  it('skips the mail of a follow-up closed before it went out', async () => {
    await answer({ firstName: 'Dirk', email: 'dirk@example.com' }, 4, 'Matig.');
    const board = await api.ok(`{ followUps(first: 10, filter: { ownerEmail: "sanne@fiets.example", statuses: [OPEN] }) { edges { node { id score } } } }`);
    const dirk = board.followUps.edges.map((edge: Loose) => edge.node).find((node: Loose) => node.score === 4);
    // The event is relayed (mail queued), then the follow-up is done before the mailer runs.
    await t.app.events.runOnce();
    const before = smtp.messages.length;
    expect((await mailRows()).at(-1)!.status).toBe('SENT');
    expect(before).toBe(5);
    await api.ok(`mutation($id: ID!) { updateFollowUp(input: { id: $id, status: DONE }) { __typename } }`, { id: dirk.id });
    const queued = await t.app.database.prisma.ownerMail.create({
      data: {
        workspaceId,
        kind: 'FOLLOW_UP_RAISED',
        email: SANNE,
        followUpId: (await t.app.database.prisma.followUp.findFirstOrThrow({ where: { workspaceId, score: 4 } })).id,
        key: 'late',
        nextAttemptAt: clock.now(),
      },
    });
    await t.app.ownerMail.sendDue();
    expect(await t.app.database.prisma.ownerMail.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: 'SKIPPED', lastError: expect.stringContaining('done') });
    expect(smtp.messages).toHaveLength(before);
  });

  it('sends an opted-in owner a weekly digest on Monday morning: open and overdue follow-ups, the NPS trend chart, late review replies', async () => {
    const secret = `whsec_${Buffer.from('owner-mail-spec-secret-32-bytes!').toString('base64')}`;
    const source = await api.ok(
      `mutation { connectReviewSource(input: { platformCode: "generic", name: "Marktplaats", ownerName: "Sanne", ownerEmail: "sanne@fiets.example", settings: { secrets: ["${secret}"] } }) { ... on ConnectReviewSourcePayload { source { id } } } }`,
    );
    await api.ok(`mutation { setReviewReplyPolicy(input: { hours: 24, maxStars: 2 }) { __typename } }`);
    const csv = 'externalId,rating,publishedAt,title,text\nmp1,1,2026-03-03T08:00:00Z,Slecht,Band lek.\nmp2,5,2026-03-03T08:00:00Z,,Prima\n';
    await api.ok(`mutation($input: ImportReviewsInput!) { importReviews(input: $input) { __typename } }`, { input: { sourceId: source.connectReviewSource.source.id, csv } });
    await setPreference({ email: SANNE, weeklyDigest: true, followUpRaised: false });

    // Monday 9 March, 07:30 in Amsterdam: not yet; 08:05: the digest is queued, once.
    clock.set('2026-03-09T06:30:00Z');
    expect(await queueWeeklyDigests(t.app.database.sql, clock.now())).toBe(0);
    clock.set('2026-03-09T07:05:00Z');
    expect(await queueWeeklyDigests(t.app.database.sql, clock.now())).toBe(1);
    expect(await queueWeeklyDigests(t.app.database.sql, clock.now())).toBe(0);
    const before = smtp.messages.length;
    await t.app.events.runOnce();
    const digest = (await smtp.waitFor(before + 1)).at(-1)!;
    expect(digest.subject).toBe('[Fietsenwinkel Jansen] Uw week: 4 open opvolgingen, 4 te laat');
    expect(digest.text).toContain('Open opvolgingen: 4');
    expect(digest.text).toContain('TE LAAT');
    expect(digest.text).toContain('1 lage review langer dan 24 uur onbeantwoord');
    expect(digest.text).toContain('Marktplaats');
    const chartUrl = /NPS van uw vragen, per maand:\n(\S+)/.exec(digest.text!)![1]!;
    expect(digest.html).toContain('<img src="');
    const chart = await t.http(chartUrl.replace(/^https?:\/\/[^/]+/, ''));
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await chart.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect((await mailRows()).filter((row) => row.kind === 'WEEKLY_DIGEST').map((row) => [row.key, row.status])).toEqual([['2026-W11', 'SENT']]);

    // Turned off: the next week has no digest.
    await setPreference({ email: SANNE, weeklyDigest: false });
    clock.set('2026-03-16T09:00:00Z');
    expect(await queueWeeklyDigests(t.app.database.sql, clock.now())).toBe(0);
    expect((await api.ok(`{ ownerMailPreferences { email weeklyDigest followUpRaised locale } }`)).ownerMailPreferences).toEqual([
      { email: SANNE, weeklyDigest: false, followUpRaised: false, locale: 'nl' },
    ]);
  });
});
