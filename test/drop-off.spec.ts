import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';
import { surveyApi } from './support/survey-helpers.js';

/** Drop-off per question for the responses of a period and a filter, against a hand-counted fixture. */
describe.each(DATABASE_TARGETS)('drop-off per period and filter ($name)', (target) => {
  let t: TestApp;
  let api: ReturnType<typeof surveyApi>;
  const clock = new ManualClock('2026-02-01T12:00:00Z');
  let surveyId = '';

  beforeAll(async () => {
    t = await startTestApp(target, { clock });
    api = surveyApi(t, (await t.workspace('Uitval')).key);
    const survey = await api.survey({
      name: 'Drie vragen',
      kind: 'NPS',
      questions: [
        { type: 'NPS', required: true, texts: [{ locale: 'nl', text: 'Aanraden?' }] },
        { type: 'RATING', scaleMin: 1, scaleMax: 5, texts: [{ locale: 'nl', text: 'Levering?' }] },
        { type: 'OPEN_TEXT', texts: [{ locale: 'nl', text: 'Waarom?' }] },
      ],
    });
    surveyId = survey.id;
    const [q1, q2, q3] = survey.questions.map((question) => question.id);
    const customer = await api.customer({ firstName: 'C', phone: '+31612345678', consentPhone: true });
    const respond = async (at: string, answers: Array<Record<string, unknown>>, complete: boolean, channel?: string) => {
      clock.set(new Date(at));
      const res = await api.ok(`mutation($input: RecordPhoneResponseInput!) { recordPhoneResponse(input: $input) { __typename ... on Error { message } } }`, {
        input: { surveyId, customerId: customer, agentName: channel ?? 'Sanne', answers, complete },
      });
      expect(res.recordPhoneResponse.__typename).toBe('RecordPhoneResponsePayload');
    };
    // In February: one complete, one stopped after Q1, one stopped after Q2 (Q2 skipped).
    await respond(
      '2026-02-02T10:00:00Z',
      [
        { questionId: q1, score: 9 },
        { questionId: q2, score: 4 },
        { questionId: q3, text: 'Snel' },
      ],
      true,
    );
    await respond('2026-02-03T10:00:00Z', [{ questionId: q1, score: 3 }], false);
    await respond(
      '2026-02-04T10:00:00Z',
      [
        { questionId: q1, score: 7 },
        { questionId: q2, skipped: true },
      ],
      false,
    );
    // In March: one stopped after Q1.
    await respond('2026-03-02T10:00:00Z', [{ questionId: q1, score: 5 }], false);
  });
  afterAll(() => t.close());

  const dropOff = async (period: { from: string; to: string }) =>
    (await api.ok(`query($f: MetricsFilter!, $s: ID!) { metrics(filter: $f) { dropOff(surveyId: $s) { position reached answered skipped abandoned dropOffRate } } }`, { f: { period }, s: surveyId }))
      .metrics.dropOff as Loose[];

  it('counts reached, answered, skipped and abandoned per question for the period only', async () => {
    expect(await dropOff({ from: '2026-02-01', to: '2026-03-01' })).toEqual([
      { position: 0, reached: 3, answered: 3, skipped: 0, abandoned: 1, dropOffRate: (1 / 3) * 100 },
      { position: 1, reached: 2, answered: 1, skipped: 1, abandoned: 1, dropOffRate: 50 },
      { position: 2, reached: 1, answered: 1, skipped: 0, abandoned: 0, dropOffRate: 0 },
    ]);
    expect((await dropOff({ from: '2026-03-01', to: '2026-04-01' })).map((row) => [row.reached, row.abandoned])).toEqual([
      [1, 1],
      [0, 0],
      [0, 0],
    ]);
  });

  it('gives another workspace nothing for this survey', async () => {
    const other = surveyApi(t, (await t.workspace('Ander')).key);
    const res = await other.ok(`query($s: ID!) { metrics(filter: { period: { from: "2026-01-01", to: "2027-01-01" } }) { dropOff(surveyId: $s) { reached } } }`, { s: surveyId });
    expect(res.metrics.dropOff).toEqual([]);
  });
});
