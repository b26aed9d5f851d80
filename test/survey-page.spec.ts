import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { signCustomer } from '../src/http/widget.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { surveyApi, tokenOf } from './support/survey-helpers.js';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual' as const,
});

describe.each(DATABASE_TARGETS)('the public survey page without JavaScript ($name)', (target) => {
  let t: TestApp;
  let api: ReturnType<typeof surveyApi>;
  let survey: { id: string; questions: Array<{ id: string }> };
  const clock = new ManualClock('2026-02-02T10:00:00Z');

  async function invite(customer: Record<string, unknown>, channel = 'link') {
    const customerId = await api.customer(customer);
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customerId], channel } });
    await t.app.dispatcher.dispatchDue();
    const [invitation] = await api.invitations({ customerId });
    return { customerId, token: tokenOf(invitation.url), path: `/s/${tokenOf(invitation.url)}` };
  }

  beforeAll(async () => {
    t = await startTestApp(target, { clock, pageLimits: { perIp: 1000, postsPerToken: 1000 } });
    api = surveyApi(t, (await t.workspace('Page')).key);
    await api.ok(`mutation($input: UpdateWorkspaceInput!) { updateWorkspace(input: $input) { __typename } }`, { input: { companyName: 'Pagina & Co' } });
    survey = await api.survey({
      name: 'Page',
      kind: 'NPS',
      texts: [{ locale: 'nl', title: 'Uw bezoek aan {company}' }],
      questions: [
        {
          type: 'NPS',
          required: true,
          texts: [
            { locale: 'nl', text: 'Hoe waarschijnlijk beveelt u ons aan?' },
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
    });
  });
  afterAll(() => t.close());

  it('says clearly when a link is unknown', async () => {
    for (const path of ['/s/not-a-token', `/s/${'A'.repeat(32)}`]) {
      const res = await t.http(path);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('Deze link kennen we niet');
    }
  });

  it('walks through the questions with plain form posts, keeping partial answers', async () => {
    const { path, customerId } = await invite({ firstName: 'Anna', locale: 'nl' });
    const first = await t.http(path);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const html = await first.text();
    expect(html).toContain('<html lang="nl" style="--accent:#1463d8">');
    expect(html).toContain('Uw bezoek aan Pagina &amp; Co');
    expect(html).toContain('<header class="brand">Pagina &amp; Co</header>');
    expect(html).toContain('Vraag 1 van 2');
    expect(html).toContain('Hoe waarschijnlijk beveelt u ons aan?');
    expect(html.match(/type="radio" name="score"/g)).toHaveLength(11);
    expect((await api.invitations({ customerId }))[0].status).toBe('OPENED');

    const invalid = await t.http(`${path}?q=0`, form({ questionId: survey.questions[0]!.id, action: 'next' }));
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('Kies een score.');

    const saved = await t.http(`${path}?q=0`, form({ questionId: survey.questions[0]!.id, score: '6', action: 'next' }));
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${path}?q=1`);
    const partial = await api.ok(`query($f: SurveyResponseFilter) { surveyResponses(first: 5, filter: $f) { edges { node { completed source answers { score } } } } }`, {
      f: { customerId, completed: false },
    });
    expect(partial.surveyResponses.edges).toEqual([{ node: { completed: false, source: 'PAGE', answers: [{ score: 6 }] } }]);
    expect((await api.invitations({ customerId }))[0].status).toBe('STARTED');

    const second = await (await t.http(`${path}?q=1`)).text();
    expect(second).toContain('Vraag 2 van 2');
    expect(second).toContain(`href="${path}?q=0"`);
    const done = await t.http(`${path}?q=1`, form({ questionId: survey.questions[1]!.id, text: 'Sneller <b>bezorgen</b>', action: 'next' }));
    expect(done.status).toBe(303);
    const thanks = await (await t.http(done.headers.get('location')!)).text();
    expect(thanks).toContain('Hartelijk dank voor uw antwoorden!');
    const complete = await api.ok(`query($f: SurveyResponseFilter) { surveyResponses(first: 5, filter: $f) { edges { node { completed answers { score text } } } } }`, { f: { customerId } });
    expect(complete.surveyResponses.edges[0].node).toEqual({
      completed: true,
      answers: [
        { score: 6, text: null },
        { score: null, text: 'Sneller <b>bezorgen</b>' },
      ],
    });
    expect((await api.invitations({ customerId }))[0].status).toBe('COMPLETED');
  });

  it('lets an optional question be skipped, which is not an answer', async () => {
    const { path, customerId } = await invite({ firstName: 'Skip', locale: 'en' });
    await t.http(`${path}?q=0`, form({ questionId: survey.questions[0]!.id, score: '10', action: 'next' }));
    const page = await (await t.http(`${path}?q=1`)).text();
    expect(page).toContain('Question 2 of 2');
    expect(page).toContain('>Skip</button>');
    await t.http(`${path}?q=1`, form({ questionId: survey.questions[1]!.id, action: 'skip' }));
    const res = await api.ok(`query($f: SurveyResponseFilter) { surveyResponses(first: 5, filter: $f) { edges { node { completed answers { skipped text } } } } }`, { f: { customerId } });
    expect(res.surveyResponses.edges[0].node).toEqual({
      completed: true,
      answers: [
        { skipped: false, text: null },
        { skipped: true, text: null },
      ],
    });
  });

  it('names the concrete subject in the question', async () => {
    await api.survey({ name: 'Repair', kind: 'CSAT', channel: 'link', triggerTouchpointTypes: ['repair'] });
    const customerId = await api.customer({ firstName: 'Rep', locale: 'nl' });
    await api.touchpoint({ customerId, type: 'repair', journeyPhase: 'SERVICE', occurredAt: clock.now().toISOString(), subject: 'de reparatie van uw wasmachine' });
    clock.advance({ hours: 72 });
    await t.app.dispatcher.dispatchDue();
    const [invitation] = await api.invitations({ customerId });
    const html = await (await t.http(`/s/${tokenOf(invitation.url)}`)).text();
    expect(html).toContain('Hoe tevreden bent u over de reparatie van uw wasmachine?');
    expect(html.match(/type="radio" name="score"/g)).toHaveLength(5);
  });

  it('saves the score clicked in the email (variant B) at once, then shows the next question', async () => {
    const { path, customerId } = await invite({ firstName: 'Email' });
    const clicked = await t.http(`${path}?score=8`, { redirect: 'manual' });
    expect(clicked.status).toBe(303);
    expect(clicked.headers.get('location')).toBe(`${path}?q=1`);
    const saved = await api.ok(`query($f: SurveyResponseFilter) { surveyResponses(first: 1, filter: $f) { edges { node { completed answers { score } } } } }`, { f: { customerId } });
    expect(saved.surveyResponses.edges[0].node).toEqual({ completed: false, answers: [{ score: 8 }] });
    // Going back shows the saved score; a score that is no score is not saved.
    expect(await (await t.http(`${path}?q=0`)).text()).toContain('value="8" checked');
    const invalid = await t.http(`${path}?score=42`, { redirect: 'manual' });
    expect(invalid.status).toBe(200);
    const after = await api.ok(`query($f: SurveyResponseFilter) { surveyResponses(first: 1, filter: $f) { edges { node { answers { score } } } } }`, { f: { customerId } });
    expect(after.surveyResponses.edges[0].node.answers).toEqual([{ score: 8 }]);
  });

  it('shows a clear page for completed and expired links', async () => {
    const { path } = await invite({ firstName: 'Late', locale: 'nl' });
    clock.advance({ days: 31 });
    await t.app.dispatcher.dispatchDue();
    const expired = await t.http(path);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('Deze vragenlijst is gesloten');
    const post = await t.http(path, form({ questionId: survey.questions[0]!.id, score: '5' }));
    expect(post.status).toBe(410);
  });

  it('lets a customer unsubscribe from all surveys (page and one-click POST)', async () => {
    const { path, customerId } = await invite({ firstName: 'Stop', locale: 'nl' });
    const confirm = await t.http(`${path}/unsubscribe`);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('Wilt u geen vragenlijsten meer van ons ontvangen?');
    const done = await t.http(`${path}/unsubscribe`, form({ 'List-Unsubscribe': 'One-Click' }));
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('U bent afgemeld');
    const customer = await t.app.database.prisma.customer.findUniqueOrThrow({ where: { id: Buffer.from(customerId, 'base64').toString().split(':')[1]! } });
    expect(customer.unsubscribedAt).toEqual(clock.now());
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customerId], channel: 'link' } });
    await t.app.dispatcher.dispatchDue();
    const [latest] = await api.invitations({ customerId });
    expect(latest).toMatchObject({ status: 'SKIPPED', skipReason: 'UNSUBSCRIBED' });
    expect((await t.http(`/s/${'B'.repeat(32)}/unsubscribe`)).status).toBe(404);
  });

  it('escapes everything a customer or survey author typed', async () => {
    const evil = await api.survey({ name: 'Evil', kind: 'CUSTOM', questions: [{ type: 'OPEN_TEXT', texts: [{ locale: 'nl', text: '<script>alert(1)</script>' }] }] });
    const customerId = await api.customer({ firstName: '<img src=x onerror=alert(1)>' });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: evil.id, customerIds: [customerId], channel: 'link' } });
    await t.app.dispatcher.dispatchDue();
    const [invitation] = await api.invitations({ customerId });
    const html = await (await t.http(`/s/${tokenOf(invitation.url)}`)).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('serves the widget script and the signed visitor’s pending survey with CORS', async () => {
    const script = await t.http('/widget.js');
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(script.headers.get('access-control-allow-origin')).toBe('*');

    const secret = 's'.repeat(40);
    await api.ok(`mutation($input: ConfigureSurveyChannelInput!) { configureSurveyChannel(input: $input) { __typename } }`, {
      input: { code: 'widget', settings: { secret, allowedOrigins: ['https://shop.example'] } },
    });
    const { customerId } = await invite({ firstName: 'Web', externalId: 'web-1' }, 'widget');
    const workspace = (await t.app.database.prisma.customer.findFirstOrThrow({ where: { externalId: 'web-1' } })).workspaceId;
    const pending = await t.http(`/widget/pending?workspace=${workspace}&customer=web-1&signature=${signCustomer(secret, 'web-1')}`, { headers: { origin: 'https://shop.example' } });
    expect(pending.status).toBe(200);
    expect(pending.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(pending.headers.get('vary')).toBe('Origin');
    const body = (await pending.json()) as { url: string };
    expect(body.url).toMatch(/\/s\/[A-Za-z0-9_-]{32}\?embed=1$/);
    expect((await api.invitations({ customerId }))[0].status).toBe('DELIVERED');

    const forged = await t.http(`/widget/pending?workspace=${workspace}&customer=web-1&signature=${signCustomer('wrong'.repeat(8), 'web-1')}`, { headers: { origin: 'https://evil.example' } });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('rate limits on the survey page', () => {
  it('answers 429 with Retry-After beyond the limit per client', async () => {
    const t = await startTestApp(DATABASE_TARGETS[0]!, { pageLimits: { perIp: 3, postsPerToken: 2 } });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await t.http('/s/whatever')).status);
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
    } finally {
      await t.close();
    }
  });
});

describe("the survey page speaks the respondent's language", () => {
  it('labels a bare CSAT scale and explains a missing choice in Dutch', async () => {
    const t = await startTestApp(DATABASE_TARGETS[0]!, { pageLimits: { perIp: 1000, postsPerToken: 1000 } });
    try {
      const api = surveyApi(t, (await t.workspace('Taal')).key);
      const survey = await api.survey({
        name: 'Taal',
        kind: 'CSAT',
        questions: [
          { type: 'CSAT', required: true, texts: [{ locale: 'nl', text: 'Hoe tevreden bent u?' }] },
          {
            type: 'MULTIPLE_CHOICE',
            required: true,
            texts: [{ locale: 'nl', text: 'Wat viel op?' }],
            options: [
              { value: 'a', labels: [{ locale: 'nl', text: 'A' }] },
              { value: 'b', labels: [{ locale: 'nl', text: 'B' }] },
            ],
          },
        ],
      });
      const customerId = await api.customer({ firstName: 'Taal', locale: 'nl' });
      await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customerId], channel: 'link' } });
      await t.app.dispatcher.dispatchDue();
      const [invitation] = await api.invitations({ customerId });
      const path = `/s/${tokenOf(invitation.url)}`;
      const first = await (await t.http(path)).text();
      expect(first).toContain('Zeer ontevreden');
      expect(first).toContain('Zeer tevreden');
      const refused = await t.http(`${path}?q=1`, form({ questionId: survey.questions[1]!.id }));
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(html).toContain('Kies ten minste één antwoord.');
      expect(html).not.toMatch(/pick at least|option/);
    } finally {
      await t.close();
    }
  });
});
