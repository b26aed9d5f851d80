import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { ManualClock } from '../src/core/clock.js';
import { csvRows } from '../src/core/imports/csv-records.js';
import { historicalCsv } from '../src/core/surveys/historical-csv.js';
import { importHistoricalResponsesOrThrow, surveyQuestionColumns } from '../src/core/surveys/historical-import.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';
import { surveyApi } from './support/survey-helpers.js';

const IMPORT = `mutation($input: ImportResponsesInput!) { importResponses(input: $input) {
  __typename
  ... on ImportResponsesPayload { summary { created alreadyImported answers } }
  ... on BulkImportRejectedError { issues { collection index field message } }
  ... on Error { code message }
} }`;

/**
 * A team moving from another tool brings its past responses with their original dates: they count
 * in the metrics of their own periods at once, raise no follow-ups and emit no events, and
 * importing the same file again changes nothing.
 */
describe.each(DATABASE_TARGETS)('historical response import ($name)', (target) => {
  let t: TestApp;
  let key: string;
  let api: ReturnType<typeof surveyApi>;
  const clock = new ManualClock('2026-11-30T12:00:00Z');
  let surveyId = '';
  let nps = '';
  let open = '';

  const past = (externalId: string, score: number, at: string, extra: Record<string, unknown> = {}) => ({
    externalId,
    startedAt: at,
    completedAt: at,
    channel: 'email',
    answers: [
      { questionId: nps, score },
      { questionId: open, text: `Antwoord ${externalId}` },
    ],
    ...extra,
  });

  beforeAll(async () => {
    t = await startTestApp(target, { clock });
    key = (await t.workspace('Historie')).key;
    api = surveyApi(t, key);
    const survey = await api.survey({
      name: 'Oud NPS',
      kind: 'NPS',
      questions: [
        { type: 'NPS', required: true, texts: [{ locale: 'nl', text: 'Aanraden?' }] },
        { type: 'OPEN_TEXT', texts: [{ locale: 'nl', text: 'Waarom?' }] },
      ],
    });
    surveyId = survey.id;
    [nps, open] = survey.questions.map((question) => question.id) as [string, string];
    await api.ok(`mutation { importCommerceData(input: { customers: [{ externalId: "k-1", firstName: "Kees" }] }) { __typename } }`);
  });
  afterAll(() => t.close());

  it('imports past responses that count in the metrics of their own period, without follow-ups or events', async () => {
    const responses = [
      past('old-1', 10, '2025-06-03T09:00:00Z', { customerExternalId: 'k-1' }),
      past('old-2', 9, '2025-06-14T15:30:00Z'),
      past('old-3', 2, '2025-06-20T08:00:00Z'),
      { externalId: 'old-4', startedAt: '2025-06-21T08:00:00Z', answers: [{ questionId: nps, score: 7 }] },
    ];
    const res = await api.ok(IMPORT, { input: { surveyId, responses } });
    expect(res.importResponses).toEqual({ __typename: 'ImportResponsesPayload', summary: { created: 4, alreadyImported: 0, answers: 7 } });

    const metrics = await api.ok(
      `query($s: ID!) { june: metrics(filter: { period: { from: "2025-06-01", to: "2025-07-01" }, surveyIds: [$s] }) { nps { responses score promoters { count } detractors { count } } }
      july: metrics(filter: { period: { from: "2025-07-01", to: "2025-08-01" }, surveyIds: [$s] }) { nps { responses } } }`,
      { s: surveyId },
    );
    // Answers of unfinished responses count too, as answers given on the page do: 10, 9, 2 and 7.
    expect(metrics.june.nps).toMatchObject({ responses: 4, promoters: { count: 2 }, detractors: { count: 1 }, score: 25 });
    expect(metrics.july.nps.responses).toBe(0);

    const followUps = await api.ok('{ followUps { totalCount } events(first: 500) { type } }');
    expect(followUps.followUps.totalCount).toBe(0);
    expect(followUps.events.filter((event: Loose) => event.type.startsWith('response.'))).toEqual([]);

    const list = await api.ok(`query($s: ID!) { surveyResponses(first: 10, filter: { surveyId: $s }) { edges { node { source startedAt completedAt completed customer { externalId } } } } }`, {
      s: surveyId,
    });
    const first = list.surveyResponses.edges.map((edge: Loose) => edge.node).find((node: Loose) => node.startedAt === '2025-06-03T09:00:00.000Z');
    expect(first).toEqual({ source: 'IMPORT', startedAt: '2025-06-03T09:00:00.000Z', completedAt: '2025-06-03T09:00:00.000Z', completed: true, customer: { externalId: 'k-1' } });
  });

  it('is idempotent by external id', async () => {
    const again = await api.ok(IMPORT, { input: { surveyId, responses: [past('old-1', 10, '2025-06-03T09:00:00Z'), past('old-5', 8, '2025-07-02T10:00:00Z')] } });
    expect(again.importResponses.summary).toEqual({ created: 1, alreadyImported: 1, answers: 2 });
  });

  it('reports every bad record with its index and field, and writes nothing', async () => {
    const before = await api.ok('{ surveyResponses { totalCount } }');
    const res = await api.ok(IMPORT, {
      input: {
        surveyId,
        responses: [
          past('bad-1', 11, '2025-08-01T10:00:00Z'),
          past('bad-2', 5, '2025-08-01T10:00:00Z', { customerExternalId: 'nobody' }),
          past('bad-3', 5, '2027-01-01T10:00:00Z'),
          { ...past('bad-4', 5, '2025-08-02T10:00:00Z'), completedAt: '2025-08-01T10:00:00Z' },
          past('bad-2', 5, '2025-08-01T10:00:00Z'),
        ],
      },
    });
    expect(res.importResponses.__typename).toBe('BulkImportRejectedError');
    expect(res.importResponses.issues.map((issue: Loose) => `${issue.index} ${issue.field}: ${issue.message}`).sort()).toEqual([
      '0 answers.0.score: must be a whole number from 0 to 10',
      '1 customerExternalId: no customer with external id "nobody" in this workspace',
      '2 startedAt: is in the future',
      '3 completedAt: must not be before startedAt',
      '4 externalId: duplicates record 1 of this import',
    ]);
    expect(await api.ok('{ surveyResponses { totalCount } }')).toEqual(before);
  });

  it('refuses a question of another survey and a survey of another workspace', async () => {
    const other = await api.survey({ name: 'Ander', kind: 'CSAT' });
    const res = await api.ok(IMPORT, { input: { surveyId, responses: [{ externalId: 'x-1', startedAt: '2025-01-01T00:00:00Z', answers: [{ questionId: other.questions[0]!.id, score: 4 }] }] } });
    expect(res.importResponses.issues).toEqual([{ collection: 'responses', index: 0, field: 'answers.0.questionId', message: 'is not a question of this survey' }]);
    const stranger = await t.workspace('Vreemd');
    const foreign = await t.gql(stranger.key, IMPORT, { input: { surveyId, responses: [] } });
    expect(foreign.body.data.importResponses).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });

  it('an export imported into a fresh workspace gives the same figures', async () => {
    const FIGURES = `query($s: ID!) { metrics(filter: { period: { from: "2025-01-01", to: "2026-01-01" }, surveyIds: [$s] }) {
      nps { responses score promoters { count } passives { count } detractors { count } marginOfError }
      npsTrend(bucket: MONTH) { bucket nps { responses score } }
    } }`;
    const link = await api.ok(`query($s: ID!) { responseExportLink(filter: { period: { from: "2025-01-01", to: "2026-01-01" }, surveyIds: [$s] }) { url } }`, { s: surveyId });
    const url = new URL(link.responseExportLink.url);
    const csv = await (await t.http(url.pathname + url.search)).text();

    const fresh = await t.workspace('Verhuisd');
    const freshApi = surveyApi(t, fresh.key);
    const copy = await freshApi.survey({
      name: 'Oud NPS',
      kind: 'NPS',
      questions: [
        { type: 'NPS', required: true, texts: [{ locale: 'nl', text: 'Aanraden?' }] },
        { type: 'OPEN_TEXT', texts: [{ locale: 'nl', text: 'Waarom?' }] },
      ],
    });
    await freshApi.ok(`mutation { importCommerceData(input: { customers: [{ externalId: "k-1", firstName: "Kees" }] }) { __typename } }`);
    const copyUuid = Buffer.from(copy.id, 'base64').toString().split(':')[1]!;
    const questions = await surveyQuestionColumns(t.app.database.sql, fresh.id, copyUuid);
    let reader: ReturnType<typeof historicalCsv> | null = null;
    const records: Array<Record<string, unknown>> = [];
    for await (const { headers, row } of csvRows(Readable.from([csv]))) {
      reader ??= historicalCsv(headers, questions, 'Europe/Amsterdam');
      records.push(reader.toRecord(row));
    }
    expect(records).toHaveLength(5);
    const result = await importHistoricalResponsesOrThrow(t.app.database.sql, fresh.id, copyUuid, records, new Date('2026-11-30T12:00:00Z'));
    expect(result).toEqual({ created: 5, alreadyImported: 0, answers: 9 });

    const original = await api.ok(FIGURES, { s: surveyId });
    const moved = await freshApi.ok(FIGURES, { s: copy.id });
    expect(moved).toEqual(original);
    expect(original.metrics.nps.responses).toBe(5);
  });
});
