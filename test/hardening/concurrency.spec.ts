import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { surveyApi, tokenOf } from '../support/survey-helpers.js';
import { createAnswerBatcher } from '../../src/core/surveys/answer-batcher.js';
import { NotFoundError, ValidationError } from '../../src/core/errors.js';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe.each(DATABASE_TARGETS)('concurrent writes on $name', (target) => {
  let t: TestApp;
  let api: ReturnType<typeof surveyApi>;
  let key: string;
  let workspaceId: string;

  beforeAll(async () => {
    t = await startTestApp(target, { pageLimits: { perIp: 10_000, postsPerToken: 10_000 } });
    ({ key, id: workspaceId } = await t.workspace('Concurrency'));
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

  const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

  async function linkInvitations(count: number) {
    const survey = await api.survey({
      name: `Batch ${count}`,
      kind: 'NPS',
      questions: [
        { type: 'NPS', required: true, texts: [{ locale: 'nl', text: 'Aanbevelen?' }] },
        { type: 'OPEN_TEXT', texts: [{ locale: 'nl', text: 'Waarom?' }] },
      ],
    });
    const customerIds: string[] = [];
    for (let i = 0; i < count; i += 1) customerIds.push(await api.customer({ firstName: `Batch${i}`, locale: 'nl' }));
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds, channel: 'link' } });
    await t.app.dispatcher.dispatchDue();
    const byCustomer = new Map((await api.invitations({ surveyId: survey.id })).map((invitation) => [invitation.customer.id, rawId(invitation.id)]));
    return { surveyId: rawId(survey.id), nps: rawId(survey.questions[0]!.id), why: rawId(survey.questions[1]!.id), invitations: customerIds.map((id) => byCustomer.get(id)!) };
  }

  async function countsOf(surveyId: string) {
    const [row] = await t.app.database.sql.session((conn) =>
      conn.query<{ completed: number; answers: number; followUps: number; completedEvents: number; startedEvents: number }>(
        `SELECT (SELECT count(*)::int FROM "SurveyResponse" WHERE "surveyId" = $1 AND "completedAt" IS NOT NULL) AS completed,
                (SELECT count(*)::int FROM "Answer" a JOIN "SurveyResponse" r ON r.id = a."responseId" WHERE r."surveyId" = $1) AS answers,
                (SELECT count(*)::int FROM "FollowUp" f JOIN "SurveyResponse" r ON r.id = f."responseId" WHERE r."surveyId" = $1) AS "followUps",
                (SELECT count(*)::int FROM "DomainEvent" e JOIN "SurveyResponse" r ON e."subjectId" = translate(encode(convert_to('SurveyResponse:' || r.id::text, 'UTF8'), 'base64'), E'\\n', '')
                  WHERE r."surveyId" = $1 AND e.type = 'response.completed') AS "completedEvents",
                (SELECT count(*)::int FROM "DomainEvent" e JOIN "SurveyResponse" r ON e."subjectId" = translate(encode(convert_to('SurveyResponse:' || r.id::text, 'UTF8'), 'base64'), E'\\n', '')
                  WHERE r."surveyId" = $1 AND e.type = 'response.started') AS "startedEvents"`,
        [surveyId],
      ),
    );
    return row!;
  }

  it('answers arriving together share one transaction, and each keeps its own outcome', async () => {
    const { surveyId, nps, why, invitations } = await linkInvitations(12);
    const batches: number[] = [];
    // One transaction at a time: the first answer goes alone, everything queued behind it goes together.
    const batcher = createAnswerBatcher(t.app.database.sql, { maxInFlight: 1, onBatch: (size) => batches.push(size) });
    const now = new Date();
    const submit = (invitationId: string, answers: Array<{ questionId: string; score?: number; text?: string }>, complete = true) =>
      batcher.submit({ workspaceId, invitationId, answers, options: { now, source: 'PAGE', complete } });
    const outcomes = await Promise.allSettled([
      ...invitations.slice(0, 9).map((invitation, score) =>
        submit(invitation, [
          { questionId: nps, score },
          { questionId: why, text: `reden ${score}` },
        ]),
      ),
      submit(invitations[9]!, [{ questionId: nps, score: 11 }]), // out of range: refused on its own
      submit(invitations[0]!, [
        { questionId: nps, score: 0 },
        { questionId: why, text: 'reden 0' },
      ]), // a repeat of the first: the same response
      submit('not-an-id', [{ questionId: nps, score: 5 }]),
      submit(invitations[10]!, [{ questionId: nps, score: 10 }], false), // partial: started, not complete
      submit(invitations[11]!, [{ questionId: nps, score: 8 }]),
      submit(invitations[11]!, [{ questionId: nps, score: 8 }]), // the same invitation twice: never in one transaction
    ]);
    expect(batches).toEqual([1, 13, 1]);
    const value = (index: number) => (outcomes[index] as PromiseFulfilledResult<{ responseId: string }>).value?.responseId;
    for (const index of [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 13, 14]) expect(outcomes[index]!.status, String(index)).toBe('fulfilled');
    expect((outcomes[9] as PromiseRejectedResult).reason).toBeInstanceOf(ValidationError);
    expect((outcomes[9] as PromiseRejectedResult).reason.issues[0].path).toEqual(['input', 'answers', '0', 'score']);
    expect((outcomes[11] as PromiseRejectedResult).reason).toBeInstanceOf(NotFoundError);
    expect(value(10)).toBe(value(0));
    expect(value(14)).toBe(value(13));
    expect(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13].map(value)).size).toBe(11);
    // Nine complete with two answers, one complete with one, one started: detractors 0-6 raise follow-ups.
    expect(await countsOf(surveyId)).toEqual({ completed: 10, answers: 20, followUps: 7, completedEvents: 10, startedEvents: 11 });
    const statuses = await t.app.database.sql.session((conn) =>
      conn.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM "Invitation" WHERE "surveyId" = $1 GROUP BY 1 ORDER BY 1`, [surveyId]),
    );
    expect(statuses).toEqual([
      { status: 'COMPLETED', n: 10 },
      { status: 'DELIVERED', n: 1 },
      { status: 'STARTED', n: 1 },
    ]);
  });

  it('completing reads the answers written in the same call and those stored before; events keep their order', async () => {
    const { surveyId, nps, why, invitations } = await linkInvitations(2);
    const { submitAnswersOrThrow } = await import('../../src/core/surveys/response.service.js');
    const sql = t.app.database.sql;
    const at = (minute: number) => ({ now: new Date(Date.UTC(2026, 10, 2, 10, minute)), source: 'PAGE' as const });
    // A score changed on completion, with the reason given in the same call.
    await submitAnswersOrThrow(sql, workspaceId, invitations[0]!, [{ questionId: nps, score: 5 }], { ...at(0), complete: false });
    await submitAnswersOrThrow(
      sql,
      workspaceId,
      invitations[0]!,
      [
        { questionId: nps, score: 3 },
        { questionId: why, text: 'Te laat geleverd' },
      ],
      { ...at(1), complete: true },
    );
    // The reason stored first, the score given on completion.
    await submitAnswersOrThrow(sql, workspaceId, invitations[1]!, [{ questionId: why, text: 'Kapot aangekomen' }], { ...at(2), complete: false });
    await submitAnswersOrThrow(sql, workspaceId, invitations[1]!, [{ questionId: nps, score: 9 }], { ...at(3), complete: false });
    await submitAnswersOrThrow(sql, workspaceId, invitations[1]!, [{ questionId: nps, score: 2 }], { ...at(4), complete: true });
    const followUps = await sql.session((conn) =>
      conn.query<{ score: number; comment: string; priority: string }>(
        `SELECT f.score, f.comment, f.priority::text FROM "FollowUp" f JOIN "SurveyResponse" r ON r.id = f."responseId" WHERE r."surveyId" = $1 ORDER BY f.score DESC`,
        [surveyId],
      ),
    );
    expect(followUps).toEqual([
      { score: 3, comment: 'Te laat geleverd', priority: 'HIGH' },
      { score: 2, comment: 'Kapot aangekomen', priority: 'HIGH' },
    ]);
    const events = await sql.session((conn) =>
      conn.query<{ type: string }>(
        `SELECT e.type FROM "DomainEvent" e JOIN "SurveyResponse" r ON e.data->>'responseId' = translate(encode(convert_to('SurveyResponse:' || r.id::text, 'UTF8'), 'base64'), E'\\n', '')
          WHERE r."surveyId" = $1 AND r."invitationId" = $2 ORDER BY e.sequence`,
        [surveyId, invitations[0]],
      ),
    );
    expect(events.map((event) => event.type)).toEqual(['response.started', 'response.completed', 'follow_up.created']);
  });

  it('a batch the database refuses as a whole is retried one by one: only the faulty answer fails', async () => {
    const { surveyId, nps, why, invitations } = await linkInvitations(4);
    const batches: number[] = [];
    const batcher = createAnswerBatcher(t.app.database.sql, { maxInFlight: 1, onBatch: (size) => batches.push(size) });
    const now = new Date();
    const outcomes = await Promise.allSettled(
      invitations.map((invitationId, index) =>
        batcher.submit({
          workspaceId,
          invitationId,
          // A NUL character cannot be stored: the edges refuse it, a direct caller gets the database's error.
          answers: [
            { questionId: nps, score: 9 },
            { questionId: why, text: index === 2 ? 'bad\u0000text' : 'fine' },
          ],
          options: { now, source: 'API', complete: true },
        }),
      ),
    );
    expect(batches).toEqual([1, 3]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await countsOf(surveyId)).toEqual({ completed: 3, answers: 6, followUps: 0, completedEvents: 3, startedEvents: 3 });
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
