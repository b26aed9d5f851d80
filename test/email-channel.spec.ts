import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { surveyApi } from './support/survey-helpers.js';

describe.each(DATABASE_TARGETS)('email invitations over real SMTP ($name)', (target) => {
  let t: TestApp;
  let api: ReturnType<typeof surveyApi>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  const clock = new ManualClock('2026-01-11T10:00:00Z');

  beforeAll(async () => {
    smtp = await startSmtpSink({ bounce: ['nobody@example.com'] });
    t = await startTestApp(target, { clock, env: { PUBLIC_URL: 'https://survey.example.com' } });
    const { key } = await t.workspace('Winkel');
    api = surveyApi(t, key);
    const configured = await api.ok(`mutation($input: ConfigureSurveyChannelInput!) { configureSurveyChannel(input: $input) { __typename ... on ValidationError { issues { path message } } } }`, {
      input: { code: 'email', settings: { host: '127.0.0.1', port: smtp.port, from: 'Winkel <service@winkel.example>' } },
    });
    expect(configured.configureSurveyChannel.__typename).toBe('ConfigureSurveyChannelPayload');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('rejects settings that do not fit the channel, naming the field', async () => {
    const res = await api.ok(`mutation($input: ConfigureSurveyChannelInput!) { configureSurveyChannel(input: $input) { ... on ValidationError { issues { path } } } }`, {
      input: { code: 'email', settings: { host: '127.0.0.1', port: 'twenty-five', from: 'x@y.z' } },
    });
    expect(res.configureSurveyChannel.issues).toEqual([{ path: ['input', 'settings', 'port'] }]);
  });

  it('delivers a personal invitation with the reason, one button, HTML and text', async () => {
    await api.survey({ name: 'Levering', kind: 'NPS', triggerTouchpointTypes: ['delivery'], texts: [{ locale: 'nl', signature: 'Met vriendelijke groet,\nEva de Wit' }] });
    const customer = await api.customer({ firstName: 'Anna', infix: 'de', lastName: 'Vries', salutation: 'MS', email: 'anna@example.com', consentEmail: true, locale: 'nl' });
    await api.touchpoint({ customerId: customer, type: 'delivery', journeyPhase: 'DELIVERY', occurredAt: clock.now().toISOString(), subject: 'een televisie' });
    clock.advance({ days: 3 });
    expect((await t.app.dispatcher.dispatchDue()).sent).toBe(1);
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe('Wat vond u ervan?');
    expect(mail!.from?.value).toEqual([{ name: 'Winkel', address: 'service@winkel.example' }]);
    expect(mail!.to && 'value' in mail!.to ? mail!.to.value : null).toEqual([{ name: 'Anna de Vries', address: 'anna@example.com' }]);
    const [invitation] = await api.invitations({ customerId: customer });
    expect(invitation.status).toBe('SENT');
    expect(invitation.url).toMatch(/^https:\/\/survey\.example\.com\/s\//);
    for (const body of [mail!.text!, String(mail!.html)]) {
      expect(body).toContain('Beste mevrouw De Vries,');
      expect(body).toContain('Op 11 januari 2026 kocht u een televisie.');
      expect(body).toContain('Het invullen duurt ongeveer 1 minuut.');
      expect(body).toContain(invitation.url);
    }
    expect(String(mail!.html)).toContain('>Geef uw mening</a>');
    // One button; the only other link is the small unsubscribe link in the footer.
    expect(String(mail!.html).match(/<a /g)).toHaveLength(2);
    expect(String(mail!.html)).toContain(`href="${invitation.url}/unsubscribe"`);
    expect(mail!.headerLines.find((line) => line.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail!.headerLines.find((line) => line.key === 'list-unsubscribe')?.line).toContain(`<${invitation.url}/unsubscribe>`);
    expect(mail!.text).toContain('Eva de Wit');
  });

  it('embeds the first question in variant B', async () => {
    const survey = await api.survey({ name: 'B-variant', kind: 'NPS', embedFirstQuestionPercent: 100, channel: 'email' });
    const customer = await api.customer({ firstName: 'Tom', lastName: 'Bakker', salutation: 'MR', email: 'tom@example.com', consentEmail: true, locale: 'en' });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customer] } });
    await t.app.dispatcher.dispatchDue();
    const mails = await smtp.waitFor(2);
    const mail = mails.find((m) => m.text?.startsWith('Dear Mr Bakker'))!;
    const [invitation] = await api.invitations({ customerId: customer });
    expect(invitation.variant).toBe('B');
    const links = [...String(mail.html).matchAll(/href="([^"]+)"/g)].map((match) => match[1]);
    expect(links).toEqual([...Array.from({ length: 11 }, (_, score) => `${invitation.url}?score=${score}`), `${invitation.url}/unsubscribe`]);
    expect(String(mail.html)).toContain('How likely are you to recommend us to a friend or colleague?');
  });

  it('records a bounce when the server refuses the recipient', async () => {
    const survey = await api.survey({ name: 'Bounce', kind: 'CSAT', channel: 'email' });
    const customer = await api.customer({ firstName: 'No', email: 'nobody@example.com', consentEmail: true });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customer] } });
    await t.app.dispatcher.dispatchDue();
    const [invitation] = await api.invitations({ customerId: customer });
    expect(invitation.status).toBe('BOUNCED');
    expect(invitation.failureMessage).toMatch(/Mailbox does not exist|rejected/i);
  });

  it('skips customers without email consent', async () => {
    const survey = await api.survey({ name: 'Consent', kind: 'CES', channel: 'email' });
    const customer = await api.customer({ firstName: 'Q', email: 'q@example.com', consentEmail: false });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customer] } });
    await t.app.dispatcher.dispatchDue();
    expect((await api.invitations({ customerId: customer }))[0]).toMatchObject({ status: 'SKIPPED', skipReason: 'NO_CONSENT' });
  });

  it('sends no reminder once the customer has withdrawn email consent', async () => {
    const survey = await api.survey({ name: 'Withdrawn', kind: 'CSAT', channel: 'email', reminderAfterHours: 24 });
    const customer = await api.customer({ firstName: 'R', email: 'withdrawn@example.com', consentEmail: true });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customer] } });
    await t.app.dispatcher.dispatchDue();
    const toCustomer = () => smtp.messages.filter((mail) => JSON.stringify(mail.to).includes('withdrawn@example.com'));
    expect(toCustomer()).toHaveLength(1);
    await api.ok(`mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { __typename } }`, { input: { id: customer, consentEmail: false } });
    clock.advance({ hours: 25 });
    await t.app.dispatcher.dispatchDue();
    expect(toCustomer()).toHaveLength(1);
    expect((await api.invitations({ customerId: customer }))[0].failureMessage).toBe('Reminder not sent: no consent for email');
  });
});
