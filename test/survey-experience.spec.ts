import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { surveyApi, tokenOf } from './support/survey-helpers.js';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual' as const,
});

const UPDATE_WORKSPACE = `mutation($input: UpdateWorkspaceInput!) { updateWorkspace(input: $input) { __typename
  ... on UpdateWorkspacePayload { workspace { name companyName logoUrl accentColor senderName } } ... on ValidationError { issues { path message } } } }`;

/** Branding, the four languages, survey owners, partial question updates and A/B results, as a CX team and its customers meet them. */
describe.each(DATABASE_TARGETS)('the survey experience ($name)', (target) => {
  let t: TestApp;
  let api: ReturnType<typeof surveyApi>;
  let key: string;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  const clock = new ManualClock('2026-01-11T10:00:00Z');

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp(target, { clock, env: { PUBLIC_URL: 'https://survey.example.com' } });
    ({ key } = await t.workspace('My workspace'));
    api = surveyApi(t, key);
    await api.ok(`mutation($input: ConfigureSurveyChannelInput!) { configureSurveyChannel(input: $input) { __typename } }`, {
      input: { code: 'email', settings: { host: '127.0.0.1', port: smtp.port, from: 'Service <service@fietshuis.example>' } },
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('sets the branding through updateWorkspace, refusing bad values with the field named', async () => {
    const bad = (await api.ok(UPDATE_WORKSPACE, { input: { accentColor: '#ffdd00', logoUrl: 'http://fietshuis.example/logo.png', companyName: ' ' } })).updateWorkspace;
    expect(bad.__typename).toBe('ValidationError');
    expect(bad.issues.map((issue: Loose) => issue.path.join('.')).sort()).toEqual(['input.accentColor', 'input.companyName', 'input.logoUrl']);
    expect(bad.issues.find((issue: Loose) => issue.path[1] === 'accentColor').message).toMatch(/contrast of 1\.\d:1 .* at least 4\.5:1/);
    expect((await api.ok(`{ workspace { companyName accentColor } }`)).workspace).toEqual({ companyName: null, accentColor: '#1463d8' });

    const ok = (
      await api.ok(UPDATE_WORKSPACE, {
        input: { name: 'Fietshuis (intern)', companyName: 'Fietshuis Berg', logoUrl: 'https://cdn.fietshuis.example/logo.png', accentColor: '#0B5E3A', senderName: 'Fietshuis Berg klantenservice' },
      })
    ).updateWorkspace;
    expect(ok.workspace).toEqual({
      name: 'Fietshuis (intern)',
      companyName: 'Fietshuis Berg',
      logoUrl: 'https://cdn.fietshuis.example/logo.png',
      accentColor: '#0b5e3a',
      senderName: 'Fietshuis Berg klantenservice',
    });
    // Only admins change what customers see.
    const created = (
      await api.ok(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreateApiKeyPayload { created { secret } } } }`, {
        input: { name: 'writer', scopes: ['surveys:write', 'customers:write'] },
      })
    ).createApiKey.created.secret;
    const refused = await t.gql(created, UPDATE_WORKSPACE, { input: { companyName: 'Hijacked' } });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // Another workspace keeps its own.
    const other = await t.workspace('Other');
    expect((await t.gql(other.key, `{ workspace { companyName } }`)).body.data.workspace.companyName).toBeNull();
  });

  it('writes to German and French customers in their language, under the company brand', async () => {
    await api.survey({ name: 'Levering', kind: 'NPS', triggerTouchpointTypes: ['delivery'], texts: [{ locale: 'nl', title: 'Uw fiets', signature: 'Met vriendelijke groet,\nEva' }] });
    const lena = await api.customer({ firstName: 'Lena', lastName: 'Schmidt', salutation: 'MS', email: 'lena@example.de', consentEmail: true, locale: 'de-DE' });
    const chloe = await api.customer({ firstName: 'Chloé', lastName: 'Dubois', salutation: 'MS', email: 'chloe@example.be', consentEmail: true, locale: 'fr-BE' });
    const pablo = await api.customer({ firstName: 'Pablo', email: 'pablo@example.es', consentEmail: true, locale: 'es' });
    for (const customerId of [lena, chloe, pablo]) await api.touchpoint({ customerId, type: 'delivery', journeyPhase: 'DELIVERY', occurredAt: clock.now().toISOString(), subject: 'ein Fahrrad' });
    clock.advance({ days: 3 });
    expect((await t.app.dispatcher.dispatchDue()).sent).toBe(3);
    const mails = await smtp.waitFor(3);
    const to = (address: string) => mails.find((mail) => JSON.stringify(mail.to).includes(address))!;

    const german = to('lena@example.de');
    expect(german.subject).toBe('Wie waren Sie zufrieden?');
    expect(german.from?.value).toEqual([{ name: 'Fietshuis Berg klantenservice', address: 'service@fietshuis.example' }]);
    expect(german.text).toContain('Sehr geehrte Frau Schmidt,');
    expect(german.text).toContain('Am 11. Januar 2026 haben Sie ein Fahrrad gekauft.');
    expect(german.text).toContain('Lieber keine Umfragen mehr?');
    // The survey's own Dutch texts never leak into the German mail.
    expect(german.text).not.toContain('Eva');
    const html = String(german.html);
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<img src="https://cdn.fietshuis.example/logo.png" alt="Fietshuis Berg"');
    expect(html).toContain('background:#0b5e3a');

    const french = to('chloe@example.be');
    expect(french.subject).toBe('Qu’en avez-vous pensé ?');
    expect(french.text).toContain('Bonjour Madame Dubois,');
    expect(french.text).toContain('Le 11 janvier 2026, vous avez acheté ein Fahrrad.');
    expect(french.text).toContain('Vous ne souhaitez plus recevoir de questionnaires ?');
    expect(String(french.html)).toContain('>Se désinscrire</a>');

    // A language the survey does not have: the survey's default (Dutch) with its own texts.
    const spanish = to('pablo@example.es');
    expect(spanish.subject).toBe('Wat vond u ervan?');
    expect(spanish.text).toContain('Met vriendelijke groet,\nEva');

    // The German page: German words, the German question, the logo, German validation messages.
    const [invitation] = await api.invitations({ customerId: lena });
    const path = `/s/${tokenOf(invitation.url)}`;
    const page = await (await t.http(path)).text();
    expect(page).toContain('<html lang="de" style="--accent:#0b5e3a">');
    expect(page).toContain('Frage 1 von 1');
    expect(page).toContain('Wie wahrscheinlich ist es, dass Sie uns Freunden oder Kollegen empfehlen?');
    expect(page).toContain('Sehr unwahrscheinlich');
    expect(page).toContain('<img src="https://cdn.fietshuis.example/logo.png" alt="Fietshuis Berg">');
    expect(page).toContain('>Absenden</button>');
    const rejected = await t.http(`${path}?q=0`, form({ questionId: (await questionIds(invitation))[0]!, action: 'next' }));
    expect(rejected.status).toBe(400);
    expect(await rejected.text()).toContain('Bitte wählen Sie einen Wert.');
    const widget = await t.http(`/widget/pending?workspace=x&customer=y&signature=z`);
    expect(widget.status).toBe(403);
  });

  async function questionIds(invitation: Loose): Promise<string[]> {
    const data = await api.ok(`query($id: ID!) { node(id: $id) { ... on Invitation { survey { questions { id } } } } }`, { id: invitation.id });
    return data.node.survey.questions.map((question: Loose) => question.id);
  }

  it('gives the standard question the survey owner, so its follow-ups have one', async () => {
    const survey = await api.survey({ name: 'Service', kind: 'CSAT', channel: 'link', ownerName: 'Team Service', ownerEmail: 'service@fietshuis.example' });
    const detail = await api.ok(`query($id: ID!) { node(id: $id) { ... on Survey { ownerName questions { ownerName ownerEmail texts { locale } } } } }`, { id: survey.id });
    expect(detail.node.ownerName).toBe('Team Service');
    expect(detail.node.questions[0]).toMatchObject({ ownerName: 'Team Service', ownerEmail: 'service@fietshuis.example' });
    expect(detail.node.questions[0].texts.map((text: Loose) => text.locale).sort()).toEqual(['de', 'en', 'fr', 'nl']);

    // A question without an owner of its own follows the survey's owner when it raises a follow-up.
    await t.app.database.prisma.question.updateMany({ where: { surveyId: decodeGlobalID(survey.id).id }, data: { ownerName: null, ownerEmail: null } });
    const customerId = await api.customer({ firstName: 'Boos', locale: 'nl' });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customerId], channel: 'link' } });
    await t.app.dispatcher.dispatchDue();
    const [invitation] = await api.invitations({ customerId });
    const posted = await t.http(`/s/${tokenOf(invitation.url)}?q=0`, form({ questionId: survey.questions[0]!.id, score: '1', action: 'next' }));
    expect(posted.status).toBe(303);
    const followUps = await api.ok(`{ followUps(first: 10) { edges { node { score ownerName ownerEmail } } } }`);
    expect(followUps.followUps.edges.map((edge: Loose) => edge.node)).toContainEqual({ score: 1, ownerName: 'Team Service', ownerEmail: 'service@fietshuis.example' });
  });

  it('updateQuestion changes only the fields sent, merging texts per locale', async () => {
    const survey = await api.survey({ name: 'Merge', kind: 'NPS' }, false);
    const UPDATE = `mutation($input: UpdateQuestionInput!) { updateQuestion(input: $input) { __typename
      ... on UpdateQuestionPayload { question { required ownerName texts { locale text } } } ... on ValidationError { issues { path message } } } }`;
    const owner = (await api.ok(UPDATE, { input: { id: survey.questions[0]!.id, question: { ownerName: 'Sanne' } } })).updateQuestion;
    expect(owner.question.ownerName).toBe('Sanne');
    expect(owner.question.required).toBe(true);
    expect(owner.question.texts).toHaveLength(4);
    const english = (await api.ok(UPDATE, { input: { id: survey.questions[0]!.id, question: { texts: [{ locale: 'en', text: 'Would you recommend {company}?' }] } } })).updateQuestion;
    expect(english.question.texts.find((text: Loose) => text.locale === 'en').text).toBe('Would you recommend {company}?');
    expect(english.question.texts.find((text: Loose) => text.locale === 'de').text).toContain('Wie wahrscheinlich');
    expect(english.question.ownerName).toBe('Sanne');
    const bad = (await api.ok(UPDATE, { input: { id: survey.questions[0]!.id, question: { scaleMax: 5 } } })).updateQuestion;
    expect(bad).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'question', 'scaleMax'] }] });
  });

  it('reports the A/B test per variant against a hand-computed fixture', async () => {
    const survey = await api.survey({ name: 'AB', kind: 'NPS', channel: 'link', embedFirstQuestionPercent: 50 });
    const names = ['a1', 'a2', 'a3', 'a4', 'a5', 'b1', 'b2', 'b3', 'b4', 'b5'];
    const customers = new Map<string, string>();
    for (const name of names) customers.set(name, await api.customer({ firstName: name, locale: 'nl' }));
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [...customers.values()], channel: 'link' } });
    await t.app.dispatcher.dispatchDue();
    // The fixture fixes each customer's variant (assignment is random) and one bounce in A.
    const prisma = t.app.database.prisma;
    const rowId = (name: string) => decodeGlobalID(customers.get(name)!).id;
    for (const name of names) await prisma.invitation.updateMany({ where: { customerId: rowId(name) }, data: { variant: name.startsWith('a') ? 'A' : 'B' } });
    await prisma.invitation.updateMany({ where: { customerId: rowId('a5') }, data: { status: 'BOUNCED' } });
    const pathOf = async (name: string) => `/s/${tokenOf((await api.invitations({ customerId: customers.get(name)! }))[0].url)}`;
    const answer = async (name: string, score: number) => {
      const res = await t.http(`${await pathOf(name)}?q=0`, form({ questionId: survey.questions[0]!.id, score: String(score), action: 'next' }));
      expect(res.status).toBe(303);
    };
    await answer('a1', 10);
    await answer('a2', 6);
    // a3 clicked 8 in the mail and never finished: a started, incomplete response with its score.
    expect((await t.http(`${await pathOf('a3')}?score=8`, { redirect: 'manual' })).status).toBe(303);
    for (const [name, score] of [
      ['b1', 9],
      ['b2', 9],
      ['b3', 7],
      ['b4', 2],
    ] as const)
      await answer(name, score);

    const data = await api.ok(
      `query($id: ID!) { node(id: $id) { ... on Survey { abResults { questionId variants { variant sent delivered started completed responseRate completionRate
         firstQuestion { responses mean nps goodShare lowSample distribution { score count } } }
         responseRateDifference { difference z pValue significant lowSample { a b } } } } } }`,
      { id: survey.id },
    );
    const results = data.node.abResults;
    expect(results.questionId).toBe(survey.questions[0]!.id);
    const [a, b] = results.variants;
    expect(a).toMatchObject({ variant: 'A', sent: 5, delivered: 4, started: 3, completed: 2, responseRate: 50 });
    expect(a.completionRate).toBeCloseTo(66.6667, 3);
    expect(a.firstQuestion).toMatchObject({ responses: 3, mean: 8, nps: 0, goodShare: null, lowSample: true });
    expect(a.firstQuestion.distribution.filter((entry: Loose) => entry.count > 0)).toEqual([
      { score: 6, count: 1 },
      { score: 8, count: 1 },
      { score: 10, count: 1 },
    ]);
    expect(b).toMatchObject({ variant: 'B', sent: 5, delivered: 5, started: 4, completed: 4, responseRate: 80, completionRate: 100 });
    expect(b.firstQuestion).toMatchObject({ responses: 4, mean: 6.75, nps: 25 });
    // Pooled two-proportion z-test: p = 6/9, se = sqrt(p(1-p)(1/4 + 1/5)) = 0.316228, z = 0.3 / se.
    expect(results.responseRateDifference.difference).toBeCloseTo(30, 6);
    expect(results.responseRateDifference.z).toBeCloseTo(0.948683, 5);
    expect(results.responseRateDifference.pValue).toBeCloseTo(0.342782, 5);
    expect(results.responseRateDifference).toMatchObject({ significant: false, lowSample: { a: true, b: true } });
  });
});
