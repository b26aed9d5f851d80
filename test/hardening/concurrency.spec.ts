import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { surveyApi, tokenOf } from '../support/survey-helpers.js';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe.each(DATABASE_TARGETS)('concurrent writes on $name', (target) => {
  let t: TestApp;
  let api: ReturnType<typeof surveyApi>;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp(target, { pageLimits: { perIp: 10_000, postsPerToken: 10_000 } });
    key = (await t.workspace('Concurrency')).key;
    api = surveyApi(t, key);
  });
  afterAll(() => t.close());

  async function invitation(questions: number) {
    const survey = await api.survey({
      name: `S${questions}`,
      kind: 'NPS',
      questions: [
        { type: 'NPS', required: true, texts: [{ locale: 'nl', text: 'Aanbevelen?' }] },
        ...Array.from({ length: questions - 1 }, () => ({ type: 'OPEN_TEXT', texts: [{ locale: 'nl', text: 'Waarom?' }] })),
      ],
    });
    const customerId = await api.customer({ firstName: 'Kim', locale: 'nl' });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customerId], channel: 'link' } });
    await t.app.dispatcher.dispatchDue();
    const [sent] = await api.invitations({ customerId });
    return { survey, customerId, path: `/s/${tokenOf(sent.url)}` };
  }

  async function responsesOf(customerId: string): Promise<Array<{ completedAt: string | null; answers: Array<{ score: number | null }> }>> {
    const data = await api.ok(`query ($c: ID!) { surveyResponses(first: 10, filter: { customerId: $c }) { edges { node { completedAt answers { score } } } } }`, { c: customerId });
    return data.surveyResponses.edges.map((edge: { node: unknown }) => edge.node);
  }

  it('ten simultaneous first answers on one link give exactly one response and no 5xx', async () => {
    for (const questions of [1, 2]) {
      const { survey, customerId, path } = await invitation(questions);
      const statuses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => t.http(`${path}?q=0`, form({ questionId: survey.questions[0]!.id, score: String(i % 2 ? 9 : 10) })).then((res) => res.status)),
      );
      for (const status of statuses) expect(status, statuses.join(',')).toBeLessThan(500);
      expect(statuses.filter((status) => status === 303).length).toBeGreaterThanOrEqual(1);
      const responses = await responsesOf(customerId);
      expect(responses).toHaveLength(1);
      expect(responses[0]!.answers).toHaveLength(1);
      expect(questions === 1 ? responses[0]!.completedAt : null, `questions: ${questions}`).toEqual(questions === 1 ? expect.any(String) : null);
    }
  });

  it('an idempotency key is bound to its input (Stripe semantics)', async () => {
    const survey = await api.survey({ name: 'Keys', kind: 'NPS' });
    const a = await api.customer({ firstName: 'A' });
    const b = await api.customer({ firstName: 'B' });
    const send = (customerIds: string[], idempotencyKey: string) =>
      api.ok(
        `mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename ... on SendSurveyPayload { result { count invitations { id } } } ... on Error { code message } ... on IdempotencyKeyReusedError { field } } }`,
        { input: { surveyId: survey.id, customerIds, channel: 'link', idempotencyKey } },
      );
    const first = await send([a], 'order-1001');
    expect(first.sendSurvey.__typename).toBe('SendSurveyPayload');
    const repeat = await send([a], 'order-1001');
    expect(repeat.sendSurvey.result.invitations).toEqual(first.sendSurvey.result.invitations);
    const other = await send([a, b], 'order-1001');
    expect(other.sendSurvey).toMatchObject({ __typename: 'IdempotencyKeyReusedError', code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey' });
    // Concurrent first uses of one key with two inputs: one wins, the other is refused, nothing is half-written.
    const racing = await Promise.all([send([a], 'order-2002'), send([b], 'order-2002')]);
    const kinds = racing.map((data) => data.sendSurvey.__typename).sort();
    expect(kinds).toEqual(['IdempotencyKeyReusedError', 'SendSurveyPayload']);
    const invited = await api.invitations({ surveyId: survey.id });
    expect(invited).toHaveLength(2);
  });
});
