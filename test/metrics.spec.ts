import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nps } from '../src/core/metrics/nps.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';
import { surveyApi } from './support/survey-helpers.js';

const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

/** A small deterministic random generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface Seeded {
  type: 'NPS' | 'CSAT' | 'CES';
  score: number | null;
  skipped: boolean;
  answeredAt: Date;
  businessUnitId: string | null;
  channel: string;
}

const NPS_FIELDS = `score responses lowSample marginOfError source promoters { count share } passives { count } detractors { count share } distribution { score count }`;

describe.each(DATABASE_TARGETS)('metrics ($name)', (target) => {
  let t: TestApp;
  let key: string;
  let api: ReturnType<typeof surveyApi>;
  let workspaceId: string;
  const seeded: Seeded[] = [];
  const units: string[] = [];
  const surveys: Record<'NPS' | 'CSAT' | 'CES', { id: string; question: string }> = {} as never;

  const metrics = async (filter: Record<string, unknown>, selection: string) => {
    const res = await t.gql(key, `query($f: MetricsFilter!) { metrics(filter: $f) { ${selection} } }`, { f: filter });
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    return res.body.data.metrics as Loose;
  };

  async function insertAnswers(rows: Seeded[]) {
    await t.app.database.sql.session(async (conn) => {
      for (const row of rows) {
        const survey = surveys[row.type];
        const [response] = await conn.query<{ id: string }>(
          `INSERT INTO "SurveyResponse" ("workspaceId", "surveyId", source, channel, locale, "businessUnitId", "journeyPhase", "touchpointType", "startedAt", "completedAt", "updatedAt")
           VALUES ($1, $2, 'API', $3, 'nl', $4, 'DELIVERY', 'delivery', $5, $5, $5) RETURNING id`,
          [workspaceId, rawId(survey.id), row.channel, row.businessUnitId, row.answeredAt],
        );
        await conn.query(`INSERT INTO "Answer" ("workspaceId", "responseId", "questionId", score, skipped, "answeredAt", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6, $6)`, [
          workspaceId,
          response!.id,
          rawId(survey.question),
          row.score,
          row.skipped,
          row.answeredAt,
        ]);
      }
    });
  }

  beforeAll(async () => {
    t = await startTestApp(target);
    const ws = await t.workspace('Metrics');
    key = ws.key;
    workspaceId = ws.id;
    api = surveyApi(t, key);
    for (const name of ['North', 'South', 'East']) {
      const res = await api.ok(`mutation($n: String!) { createBusinessUnit(input: { name: $n }) { ... on CreateBusinessUnitPayload { businessUnit { id } } } }`, { n: name });
      units.push(res.createBusinessUnit.businessUnit.id);
    }
    for (const kind of ['NPS', 'CSAT', 'CES'] as const) {
      const survey = await api.survey({ name: kind, kind });
      surveys[kind] = { id: survey.id, question: survey.questions[0]!.id };
    }
    const next = random(42);
    const start = Date.parse('2025-01-01T00:00:00Z');
    for (let i = 0; i < 900; i++) {
      const type = (['NPS', 'NPS', 'CSAT', 'CES'] as const)[Math.floor(next() * 4)]!;
      const [min, max] = type === 'NPS' ? [0, 10] : type === 'CSAT' ? [1, 5] : [1, 7];
      const skipped = next() < 0.05;
      seeded.push({
        type,
        score: skipped ? null : min + Math.floor(next() * (max - min + 1)),
        skipped,
        // Spread over 14 months, at any minute: some land just before or after midnight in Amsterdam.
        answeredAt: new Date(start + Math.floor(next() * 425 * 24 * 60) * 60_000),
        businessUnitId: next() < 0.15 ? null : rawId(units[Math.floor(next() * 3)]!),
        channel: next() < 0.5 ? 'email' : 'sms',
      });
    }
    await insertAnswers(seeded);
  });
  afterAll(() => t.close());

  /** Reference NPS computed in JS from the generated rows. */
  const reference = (predicate: (row: Seeded) => boolean) => {
    const counts = new Array<number>(11).fill(0);
    for (const row of seeded) if (row.type === 'NPS' && !row.skipped && predicate(row)) counts[row.score!]! += 1;
    return nps(counts);
  };
  const amsterdamDay = (date: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(date);

  it('computes NPS exactly as the formula does, from the month rollup', async () => {
    const result = await metrics({ period: { from: '2025-01-01', to: '2026-01-01' } }, `nps { ${NPS_FIELDS} }`);
    const expected = reference((row) => amsterdamDay(row.answeredAt) < '2026-01-01');
    expect(result.nps.source).toBe('ROLLUP_MONTH');
    expect(result.nps.responses).toBe(expected.responses);
    expect(result.nps.score).toBeCloseTo(expected.score!, 10);
    expect(result.nps.marginOfError).toBeCloseTo(expected.marginOfError!, 10);
    expect(result.nps.distribution.map((d: { count: number }) => d.count)).toEqual(expected.distribution.map((d) => d.count));
    expect(result.nps.promoters.count + result.nps.passives.count + result.nps.detractors.count).toBe(expected.responses);
  });

  it('gives the same numbers from the day rollup, the month rollup and the live answers', async () => {
    const selection = (bucket: string) => `npsTrend(bucket: ${bucket}) { bucket nps { score responses source distribution { count } } }`;
    for (const [period, bucket] of [
      [{ from: '2025-01-01', to: '2026-03-01' }, 'MONTH'],
      [{ from: '2025-01-01', to: '2026-01-01' }, 'QUARTER'],
      [{ from: '2025-02-03', to: '2025-05-19' }, 'WEEK'],
      [{ from: '2025-06-10', to: '2025-07-02' }, 'DAY'],
    ] as const) {
      const rollup = await metrics({ period }, selection(bucket));
      // An empty customer filter matches every answer and forces the live path.
      const live = await metrics({ period, customer: {} }, selection(bucket));
      expect(rollup.npsTrend.map((p: Loose) => p.nps.source)[0]).toMatch(/ROLLUP/);
      expect(live.npsTrend[0].nps.source).toBe('LIVE');
      expect(rollup.npsTrend.map((p: Loose) => [p.bucket, p.nps.score, p.nps.responses, p.nps.distribution.map((d: Loose) => d.count)])).toEqual(
        live.npsTrend.map((p: Loose) => [p.bucket, p.nps.score, p.nps.responses, p.nps.distribution.map((d: Loose) => d.count)]),
      );
    }
  });

  it('slices by business unit and channel, rollup equal to live and to the reference', async () => {
    const period = { from: '2025-01-01', to: '2026-03-01' };
    const rollup = await metrics({ period }, `npsBy(dimension: BUSINESS_UNIT) { value nps { score responses source } }`);
    const live = await metrics({ period, customer: {} }, `npsBy(dimension: BUSINESS_UNIT) { value nps { score responses source } }`);
    expect(rollup.npsBy.map((g: Loose) => [g.value, g.nps.score, g.nps.responses])).toEqual(live.npsBy.map((g: Loose) => [g.value, g.nps.score, g.nps.responses]));
    for (const group of rollup.npsBy) {
      const inPeriod = (row: Seeded) => amsterdamDay(row.answeredAt) < '2026-03-01';
      const expected = reference((row) => inPeriod(row) && (group.value === null ? row.businessUnitId === null : row.businessUnitId === rawId(group.value)));
      expect(group.nps.responses).toBe(expected.responses);
      expect(group.nps.score).toBeCloseTo(expected.score!, 10);
    }
    const email = await metrics({ period, channels: ['email'], businessUnitIds: [units[0]] }, `nps { score responses source }`);
    const expected = reference((row) => amsterdamDay(row.answeredAt) < '2026-03-01' && row.channel === 'email' && row.businessUnitId === rawId(units[0]!));
    expect(email.nps).toMatchObject({ responses: expected.responses, source: 'ROLLUP_MONTH' });
    expect(email.nps.score).toBeCloseTo(expected.score!, 10);
  });

  it('CSAT and CES per journey phase', async () => {
    const period = { from: '2025-01-01', to: '2026-03-01' };
    const result = await metrics({ period }, `csat { score mean responses lowSample } ces { mean agreeShare responses } csatBy(dimension: JOURNEY_PHASE) { value csat { responses } }`);
    const inPeriod = (row: Seeded) => amsterdamDay(row.answeredAt) < '2026-03-01';
    const csatRows = seeded.filter((row) => row.type === 'CSAT' && !row.skipped && inPeriod(row));
    const cesRows = seeded.filter((row) => row.type === 'CES' && !row.skipped && inPeriod(row));
    expect(result.csat.responses).toBe(csatRows.length);
    expect(result.csat.score).toBeCloseTo((csatRows.filter((row) => row.score! >= 4).length / csatRows.length) * 100, 10);
    expect(result.csat.mean).toBeCloseTo(csatRows.reduce((sum, row) => sum + row.score!, 0) / csatRows.length, 10);
    expect(result.ces.mean).toBeCloseTo(cesRows.reduce((sum, row) => sum + row.score!, 0) / cesRows.length, 10);
    expect(result.ces.agreeShare).toBeCloseTo((cesRows.filter((row) => row.score! >= 5).length / cesRows.length) * 100, 10);
    expect(result.csatBy).toEqual([{ value: 'DELIVERY', csat: { responses: csatRows.length } }]);
  });

  it('CSAT of a journey phase weighs each touchpoint type equally, beside the pooled figure', async () => {
    const ws = await t.workspace('Phase CSAT');
    const wsApi = surveyApi(t, ws.key);
    const survey = await wsApi.survey({ name: 'CSAT', kind: 'CSAT' });
    // DELIVERY: delivery 5, 5, 4, 2 (CSAT 75) and installation 1 (CSAT 0); SERVICE: repair 4 (CSAT 100).
    const rows: Array<[string, string, number]> = [
      ['DELIVERY', 'delivery', 5],
      ['DELIVERY', 'delivery', 5],
      ['DELIVERY', 'delivery', 4],
      ['DELIVERY', 'delivery', 2],
      ['DELIVERY', 'installation', 1],
      ['SERVICE', 'repair', 4],
    ];
    await t.app.database.sql.session(async (conn) => {
      for (const [phase, type, score] of rows) {
        const [response] = await conn.query<{ id: string }>(
          `INSERT INTO "SurveyResponse" ("workspaceId", "surveyId", source, channel, locale, "journeyPhase", "touchpointType", "startedAt", "completedAt", "updatedAt")
           VALUES ($1, $2, 'API', 'email', 'nl', $3::"JourneyPhase", $4, '2026-02-10T10:00:00Z', '2026-02-10T10:00:00Z', '2026-02-10T10:00:00Z') RETURNING id`,
          [ws.id, rawId(survey.id), phase, type],
        );
        await conn.query(`INSERT INTO "Answer" ("workspaceId", "responseId", "questionId", score, "answeredAt", "updatedAt") VALUES ($1, $2, $3, $4, '2026-02-10T10:00:00Z', '2026-02-10T10:00:00Z')`, [
          ws.id,
          response!.id,
          rawId(survey.questions[0]!.id),
          score,
        ]);
      }
    });
    const res = await t.gql(
      ws.key,
      `{ metrics(filter: { period: { from: "2026-02-01", to: "2026-03-01" } }) { csatBy(dimension: JOURNEY_PHASE) { value phaseScore touchpointTypes csat { score responses } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.metrics.csatBy).toEqual([
      { value: 'DELIVERY', phaseScore: 37.5, touchpointTypes: 2, csat: { score: 60, responses: 5 } },
      { value: 'SERVICE', phaseScore: 100, touchpointTypes: 1, csat: { score: 100, responses: 1 } },
    ]);
  });

  it('compares CSAT between two filters: the satisfied share with a two-proportion test, the mean with Welch', async () => {
    const ws = await t.workspace('Compare CSAT');
    const wsApi = surveyApi(t, ws.key);
    const survey = await wsApi.survey({ name: 'CSAT', kind: 'CSAT' });
    // email: 5, 5, 4, 2 (75% satisfied, mean 4, variance 2); phone: 1, 4 (50%, mean 2.5, variance 4.5).
    await t.app.database.sql.session(async (conn) => {
      for (const [channel, score] of [
        ['email', 5],
        ['email', 5],
        ['email', 4],
        ['email', 2],
        ['phone', 1],
        ['phone', 4],
      ] as const) {
        const [response] = await conn.query<{ id: string }>(
          `INSERT INTO "SurveyResponse" ("workspaceId", "surveyId", source, channel, locale, "startedAt", "completedAt", "updatedAt") VALUES ($1, $2, 'API', $3, 'nl', '2026-02-10T10:00:00Z', '2026-02-10T10:00:00Z', '2026-02-10T10:00:00Z') RETURNING id`,
          [ws.id, rawId(survey.id), channel],
        );
        await conn.query(`INSERT INTO "Answer" ("workspaceId", "responseId", "questionId", score, "answeredAt", "updatedAt") VALUES ($1, $2, $3, $4, '2026-02-10T10:00:00Z', '2026-02-10T10:00:00Z')`, [
          ws.id,
          response!.id,
          rawId(survey.questions[0]!.id),
          score,
        ]);
      }
    });
    const period = { from: '2026-02-01', to: '2026-03-01' };
    const res = await t.gql(
      ws.key,
      `query($a: MetricsFilter!, $b: MetricsFilter!) { metrics(filter: $a) { compareCsat(with: $b) { a { score mean } b { score mean } share { difference z pValue significant } mean { difference t degreesOfFreedom pValue significant lowSample { a b } } } } }`,
      {
        a: { period, channels: ['email'] },
        b: { period, channels: ['phone'] },
      },
    );
    expect(res.body.errors).toBeUndefined();
    const compared = res.body.data.metrics.compareCsat;
    expect(compared.a).toEqual({ score: 75, mean: 4 });
    expect(compared.b).toEqual({ score: 50, mean: 2.5 });
    // Pooled p = 4/6, se = sqrt(p(1-p)(1/4 + 1/2)): z = 0.612372, p = 0.540291.
    expect(compared.share.difference).toBeCloseTo(25, 8);
    expect(compared.share.z).toBeCloseTo(0.612372, 5);
    expect(compared.share.pValue).toBeCloseTo(0.540291, 5);
    // Welch: t = 1.5 / sqrt(2/4 + 4.5/2) = 0.904534, df = 1.469636, p = 0.489201 (numerical integration).
    expect(compared.mean.difference).toBeCloseTo(1.5, 10);
    expect(compared.mean.t).toBeCloseTo(0.904534, 5);
    expect(compared.mean.degreesOfFreedom).toBeCloseTo(1.469636, 5);
    expect(compared.mean.pValue).toBeCloseTo(0.489201, 3);
    expect(compared.mean).toMatchObject({ significant: false, lowSample: { a: true, b: true } });
    const ces = await t.gql(ws.key, `query($a: MetricsFilter!) { metrics(filter: $a) { compareCes(with: $a) { share { difference } mean { difference pValue } } } }`, { a: { period } });
    expect(ces.body.data.metrics.compareCes).toEqual({ share: { difference: null }, mean: { difference: null, pValue: null } });
  });

  it('keeps rollups exact when answers change, are deleted, and arrive concurrently', async () => {
    const period = { from: '2025-01-01', to: '2026-03-01' };
    await t.app.database.sql.session(async (conn) => {
      await conn.query(
        `UPDATE "Answer" SET score = 10 WHERE id IN (SELECT a.id FROM "Answer" a JOIN "Question" q ON q.id = a."questionId" WHERE q.type = 'NPS' AND a.score < 3 AND a."workspaceId" = $1 LIMIT 20)`,
        [workspaceId],
      );
      await conn.query(
        `UPDATE "Answer" SET skipped = true, score = NULL WHERE id IN (SELECT a.id FROM "Answer" a JOIN "Question" q ON q.id = a."questionId" WHERE q.type = 'NPS' AND a.score = 7 AND a."workspaceId" = $1 LIMIT 10)`,
        [workspaceId],
      );
      await conn.query(`DELETE FROM "SurveyResponse" WHERE id IN (SELECT "responseId" FROM "Answer" WHERE score = 9 AND "workspaceId" = $1 LIMIT 15)`, [workspaceId]);
    });
    const next = random(7);
    const extra: Seeded[] = Array.from({ length: 60 }, () => ({
      type: 'NPS' as const,
      score: Math.floor(next() * 11),
      skipped: false,
      answeredAt: new Date(Date.parse('2025-03-15T12:00:00Z') + Math.floor(next() * 10) * 3_600_000),
      businessUnitId: rawId(units[1]!),
      channel: 'email',
    }));
    await Promise.all([insertAnswers(extra.slice(0, 20)), insertAnswers(extra.slice(20, 40)), insertAnswers(extra.slice(40))]);
    const selection = `nps { score responses distribution { count } } npsTrend(bucket: MONTH) { nps { responses score } } npsBy(dimension: CHANNEL) { value nps { responses } }`;
    const rollup = await metrics({ period }, selection);
    const live = await metrics({ period, customer: {} }, selection);
    expect(rollup.nps).toEqual(live.nps);
    expect(rollup.npsTrend).toEqual(live.npsTrend);
    expect(rollup.npsBy).toEqual(live.npsBy);
  });

  it('rollups and monthly totals plus unfolded deltas: exact before, during and after a fold', async () => {
    const { foldScoreDeltas } = await import('../src/core/metrics/score-month-totals.js');
    const period = { from: '2025-01-01', to: '2026-03-01' };
    const selection = `nps { score responses distribution { count } } npsTrend(bucket: MONTH) { bucket nps { responses score } } csatTrend: csat { responses }
      npsBy(dimension: CHANNEL) { value nps { responses score } }`;
    // Days that are not month starts: the day rollup plus its deltas.
    const days = { from: '2025-01-10', to: '2026-02-20' };
    const daySelection = `nps { score responses } npsTrend(bucket: WEEK) { bucket nps { responses } } npsBy(dimension: BUSINESS_UNIT) { value nps { responses } }`;
    const dayCounts = () => metrics({ period: days }, daySelection);
    const dayLive = () => metrics({ period: days, customer: {} }, daySelection);
    const pending = async () =>
      Number((await t.app.database.sql.session((conn) => conn.query<{ n: string }>('SELECT count(*)::text AS n FROM "ScoreRollupDelta" WHERE "workspaceId" = $1', [workspaceId])))[0]!.n);
    const live = () => metrics({ period, customer: {} }, selection);
    expect(await pending()).toBeGreaterThan(0);
    const before = await metrics({ period }, selection);
    expect(before).toEqual(await live());
    const daysBefore = await dayCounts();
    expect(daysBefore).toEqual(await dayLive());
    expect(await foldScoreDeltas(t.app.database.sql)).toBeGreaterThan(0);
    expect(await pending()).toBe(0);
    expect(await metrics({ period }, selection)).toEqual(before);
    expect(await dayCounts()).toEqual(daysBefore);
    // New answers and a changed one after the fold: totals plus the new deltas.
    await insertAnswers([{ type: 'NPS', score: 0, skipped: false, answeredAt: new Date('2025-02-10T10:00:00Z'), businessUnitId: null, channel: 'sms' }]);
    await t.app.database.sql.session((conn) =>
      conn.query(
        `UPDATE "Answer" SET score = 10 WHERE id = (SELECT a.id FROM "Answer" a JOIN "Question" q ON q.id = a."questionId" WHERE q.type = 'NPS' AND a.score = 5 AND a."workspaceId" = $1 LIMIT 1)`,
        [workspaceId],
      ),
    );
    expect(await pending()).toBe(3);
    const after = await metrics({ period }, selection);
    expect(after.nps.responses).toBe(before.nps.responses + 1);
    expect(after).toEqual(await live());
    const daysAfter = await dayCounts();
    expect(daysAfter).toEqual(await dayLive());
    await foldScoreDeltas(t.app.database.sql);
    expect(await metrics({ period }, selection)).toEqual(after);
    expect(await dayCounts()).toEqual(daysAfter);
  });

  it('rebuilds rollups from the answers to the same counts', async () => {
    const selection = `nps { responses score distribution { count } } npsTrend(bucket: MONTH) { nps { responses } }`;
    const period = { from: '2025-01-01', to: '2026-03-01' };
    const before = await metrics({ period }, selection);
    const { rebuildScoreRollups } = await import('../src/core/metrics/rebuild-rollups.js');
    const result = await rebuildScoreRollups(t.app.database.sql, workspaceId);
    expect(result.dayRows).toBeGreaterThan(0);
    expect(await metrics({ period }, selection)).toEqual(before);
  });

  it('compares two periods with the z-test', async () => {
    const result = await metrics(
      { period: { from: '2025-01-01', to: '2025-07-01' } },
      `compareNps(with: { period: { from: "2025-07-01", to: "2026-01-01" } }) { difference z pValue significant lowSample a { score responses } b { score responses } }`,
    );
    const { a, b, difference, pValue } = result.compareNps;
    expect(difference).toBeCloseTo(a.score - b.score, 10);
    expect(pValue).toBeGreaterThan(0);
    expect(pValue).toBeLessThanOrEqual(1);
    expect(result.compareNps.lowSample).toBe(a.responses < 100 || b.responses < 100);
  });

  it('rejects a bad filter naming the field', async () => {
    const res = await t.gql(key, `query { metrics(filter: { period: { from: "2026-02-01", to: "2026-01-01" } }) { nps { score } } }`);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: ['filter', 'period', 'to'], message: 'from must be before to' }] });
    const wrongId = await t.gql(key, `query { metrics(filter: { period: { from: "2026-01-01", to: "2026-02-01" }, surveyIds: ["nope"] }) { nps { score } } }`);
    expect(wrongId.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: ['filter', 'surveyIds.0'] }] });
  });
});

describe.each(DATABASE_TARGETS)('business metrics ($name)', (target) => {
  let t: TestApp;
  let key: string;
  let api: ReturnType<typeof surveyApi>;

  beforeAll(async () => {
    t = await startTestApp(target);
    key = (await t.workspace('Shop')).key;
    api = surveyApi(t, key);
  });
  afterAll(() => t.close());

  it('domain.md example through the API: 75 promoters and 15 detractors of 100 give 60', async () => {
    const survey = await api.survey({ name: 'Example', kind: 'NPS' });
    const customers = [];
    for (let i = 0; i < 100; i++) customers.push(await api.customer({ firstName: `C${i}`, customerSince: '2024-01-01T00:00:00Z' }));
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: customers, channel: 'link' } });
    await t.app.dispatcher.dispatchDue();
    const invitations = await api.invitations({ surveyId: survey.id });
    for (const [index, invitation] of invitations.entries()) {
      const score = index < 75 ? 10 : index < 85 ? 8 : 3;
      await api.ok(`mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { __typename } }`, {
        input: { token: invitation.url.split('/s/')[1], answers: [{ questionId: survey.questions[0]!.id, score }], complete: true },
      });
    }
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const res = await api.ok(
      `query($id: ID!, $p: DateRange!) { node(id: $id) { ... on Survey { metrics(period: $p) { nps { score responses lowSample promoters { share } detractors { share } } responseRate { rate delivered completed } } } } }`,
      {
        id: survey.id,
        p: { from: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10), to: tomorrow },
      },
    );
    expect(res.node.metrics.nps).toEqual({ score: 60, responses: 100, lowSample: false, promoters: { share: 75 }, detractors: { share: 15 } });
    expect(res.node.metrics.responseRate).toEqual({ rate: 100, delivered: 100, completed: 100 });
    expect(today < tomorrow).toBe(true);

    // A second survey to four customers, one of whom answers: the response rate per survey and per day.
    const second = await api.survey({ name: 'Second', kind: 'NPS' });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: second.id, customerIds: customers.slice(0, 4), channel: 'link' } });
    await t.app.dispatcher.dispatchDue();
    const [answered] = await api.invitations({ surveyId: second.id });
    await api.ok(`mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { __typename } }`, {
      input: { token: answered.url.split('/s/')[1], answers: [{ questionId: second.questions[0]!.id, score: 9 }], complete: true },
    });
    const period = { from: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10), to: tomorrow };
    const rates = await metrics(
      t,
      key,
      { period, surveyIds: [survey.id, second.id] },
      `responseRate { rate delivered completed } responseRateBy(dimension: SURVEY) { value responseRate { rate delivered completed } } responseRateTrend(bucket: DAY) { bucket responseRate { rate delivered } }`,
    );
    expect(rates.responseRate).toEqual({ rate: (101 / 104) * 100, delivered: 104, completed: 101 });
    expect(rates.responseRateBy).toEqual(
      expect.arrayContaining([
        { value: survey.id, responseRate: { rate: 100, delivered: 100, completed: 100 } },
        { value: second.id, responseRate: { rate: 25, delivered: 4, completed: 1 } },
      ]),
    );
    expect(rates.responseRateBy).toHaveLength(2);
    const days = rates.responseRateTrend.filter((point: Loose) => point.responseRate.delivered > 0);
    expect(days).toHaveLength(1);
    expect(days[0].responseRate.rate).toBeCloseTo((101 / 104) * 100, 10);
    expect(rates.responseRateTrend.length).toBeGreaterThanOrEqual(3);
    const bySegment = await t.gql(key, `query($f: MetricsFilter!) { metrics(filter: $f) { responseRateBy(dimension: SEGMENT) { value } } }`, { f: { period } });
    expect(bySegment.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });

  it('NPS x behaviour never adds revenue in different currencies together', async () => {
    const survey = await api.survey({ name: 'Currencies', kind: 'NPS' });
    const euro = await api.customer({ firstName: 'Euro', externalId: 'cur-eur', customerSince: '2024-01-01T00:00:00Z' });
    const dollar = await api.customer({ firstName: 'Dollar', externalId: 'cur-usd', customerSince: '2024-01-01T00:00:00Z' });
    const other = await api.customer({ firstName: 'Other', externalId: 'cur-other', customerSince: '2024-01-01T00:00:00Z' });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [euro, dollar, other], channel: 'link' } });
    await t.app.dispatcher.dispatchDue();
    const invitations = await api.invitations({ surveyId: survey.id });
    const scoreOf = new Map([
      [euro, 10],
      [dollar, 9],
      [other, 2],
    ]);
    for (const invitation of invitations) {
      await api.ok(`mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { __typename } }`, {
        input: { token: invitation.url.split('/s/')[1], answers: [{ questionId: survey.questions[0]!.id, score: scoreOf.get(invitation.customer.id) }], complete: true },
      });
    }
    // Groups come from the latest answer before the period starts: the period begins the day after
    // tomorrow (tomorrow's midnight in the workspace's zone can be less than an hour away in UTC).
    const inPeriod = new Date(Date.now() + 3 * 86_400_000).toISOString();
    for (const [customerId, amount, currency, ref] of [
      [euro, '100.50', 'EUR', 'e1'],
      [euro, '20', 'EUR', 'e2'],
      [dollar, '70', 'USD', 'u1'],
      [other, '5', 'EUR', 'o1'],
    ] as const) {
      await api.ok(`mutation($input: CreateOrderInput!) { createOrder(input: $input) { __typename } }`, { input: { customerId, externalId: `cur-${ref}`, amount, currency, orderedAt: inPeriod } });
    }
    const from = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const res = await api.ok(
      `query($p: DateRange!, $s: [ID!]) { metrics(filter: { period: $p, surveyIds: $s }) { npsBehaviour { group customers orders revenue revenuePerCustomer revenueByCurrency { currency amount perCustomer } } } }`,
      { p: { from, to }, s: [survey.id] },
    );
    const byGroup = Object.fromEntries(res.metrics.npsBehaviour.map((row: { group: string }) => [row.group, row]));
    expect(byGroup.PROMOTERS).toMatchObject({ customers: 2, orders: 3, revenue: null, revenuePerCustomer: null });
    expect(byGroup.PROMOTERS.revenueByCurrency).toEqual([
      { currency: 'EUR', amount: '120.50', perCustomer: 60.25 },
      { currency: 'USD', amount: '70.00', perCustomer: 35 },
    ]);
    expect(byGroup.DETRACTORS).toMatchObject({ customers: 1, orders: 1, revenue: '5.00', revenuePerCustomer: 5, revenueByCurrency: [{ currency: 'EUR', amount: '5.00', perCustomer: 5 }] });
    expect(byGroup.PASSIVES).toMatchObject({ customers: 0, orders: 0, revenue: '0', revenueByCurrency: [] });
    // An answer given during the period does not group its customer: it cannot predict that period.
    const during = await api.ok(`query($p: DateRange!, $s: [ID!]) { metrics(filter: { period: $p, surveyIds: $s }) { npsBehaviour { group customers } } }`, {
      p: { from: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10), to },
      s: [survey.id],
    });
    expect(during.metrics.npsBehaviour.map((row: { customers: number }) => row.customers)).toEqual([0, 0, 0]);
    // Per day: each bucket groups by the answers before that day, as npsBehaviour over that day does.
    const GROUP = 'group customers orders revenue revenueByCurrency { currency amount perCustomer }';
    const daily = await api.ok(`query($p: DateRange!, $s: [ID!]) { metrics(filter: { period: $p, surveyIds: $s }) { npsBehaviourTrend(bucket: DAY) { bucket groups { ${GROUP} } } } }`, {
      p: { from, to },
      s: [survey.id],
    });
    expect(daily.metrics.npsBehaviourTrend).toHaveLength(3);
    for (const point of daily.metrics.npsBehaviourTrend) {
      const next = new Date(Date.parse(`${point.bucket}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      const single = await api.ok(`query($p: DateRange!, $s: [ID!]) { metrics(filter: { period: $p, surveyIds: $s }) { npsBehaviour { ${GROUP} } } }`, {
        p: { from: point.bucket, to: next },
        s: [survey.id],
      });
      expect(point.groups).toEqual(single.metrics.npsBehaviour);
    }
    // The answer's slices narrow it like every score metric: these answers came through the link channel.
    const otherChannel = await api.ok(`query($p: DateRange!, $s: [ID!]) { metrics(filter: { period: $p, surveyIds: $s, channels: ["email"] }) { npsBehaviour { customers } } }`, {
      p: { from, to },
      s: [survey.id],
    });
    expect(otherChannel.metrics.npsBehaviour.map((row: { customers: number }) => row.customers)).toEqual([0, 0, 0]);
    const linkChannel = await api.ok(`query($p: DateRange!, $s: [ID!]) { metrics(filter: { period: $p, surveyIds: $s, channels: ["link"] }) { npsBehaviour { customers } } }`, {
      p: { from, to },
      s: [survey.id],
    });
    expect(linkChannel.metrics.npsBehaviour.map((row: { customers: number }) => row.customers)).toEqual([2, 0, 1]);
  });

  it('commerce counts an order for its own business unit and channel, not the customer’s home unit', async () => {
    const ws = await t.workspace('Commerce slices');
    const wsApi = surveyApi(t, ws.key);
    const unit = async (name: string) =>
      (await wsApi.ok(`mutation($n: String!) { createBusinessUnit(input: { name: $n }) { ... on CreateBusinessUnitPayload { businessUnit { id } } } }`, { n: name })).createBusinessUnit.businessUnit
        .id;
    const [home, other] = [await unit('Thuiswinkel'), await unit('Filiaal')];
    const customerId = await wsApi.customer({ firstName: 'Koper', businessUnitId: home });
    const order = (input: Record<string, unknown>) =>
      wsApi.ok(`mutation($input: CreateOrderInput!) { createOrder(input: $input) { __typename } }`, { input: { customerId, currency: 'EUR', orderedAt: '2026-02-10T10:00:00Z', ...input } });
    await order({ amount: '100.00', businessUnitId: other, channel: 'web' });
    await order({ amount: '30.00', channel: 'store' });
    const revenue = async (filter: Record<string, unknown>) => {
      const res = await t.gql(ws.key, `query($f: MetricsFilter!) { metrics(filter: $f) { commerce { orders revenue } } }`, { f: { period: { from: '2026-02-01', to: '2026-03-01' }, ...filter } });
      expect(res.body.errors).toBeUndefined();
      return res.body.data.metrics.commerce;
    };
    expect(await revenue({})).toEqual([{ orders: 2, revenue: '130.00' }]);
    expect(await revenue({ businessUnitIds: [other] })).toEqual([{ orders: 1, revenue: '100.00' }]);
    // An order that names no unit counts for the customer's home unit.
    expect(await revenue({ businessUnitIds: [home] })).toEqual([{ orders: 1, revenue: '30.00' }]);
    expect(await revenue({ channels: ['web'] })).toEqual([{ orders: 1, revenue: '100.00' }]);
  });

  it('retention and churn by activity: no order for N days ends a relationship', async () => {
    const ws = await t.workspace('Activiteit');
    const wsApi = surveyApi(t, ws.key);
    const customer = async (since: string, orders: string[]) => {
      const id = await wsApi.customer({ firstName: 'A', customerSince: since });
      for (const at of orders)
        await wsApi.ok(`mutation($input: CreateOrderInput!) { createOrder(input: $input) { __typename } }`, { input: { customerId: id, amount: '10.00', currency: 'EUR', orderedAt: at } });
    };
    await customer('2024-01-01T00:00:00Z', ['2024-11-15T12:00:00Z', '2025-11-20T12:00:00Z']); // active at start and at end
    await customer('2024-01-01T00:00:00Z', ['2024-12-10T12:00:00Z']); // active at start, lost
    await customer('2024-01-01T00:00:00Z', ['2024-06-01T12:00:00Z']); // inactive throughout
    await customer('2025-05-01T00:00:00Z', ['2025-12-01T12:00:00Z']); // acquired
    await customer('2025-03-01T00:00:00Z', ['2025-04-01T12:00:00Z']); // joined and lapsed within the year
    const retention = async (args: string) =>
      (await metrics(t, ws.key, { period: { from: '2025-01-01', to: '2026-01-01' } }, `retention${args} { atStart atEnd acquired lostFromStart retentionRate churnRate inactiveAfterDays }`)).retention;
    const byActivity = { atStart: 2, atEnd: 2, acquired: 1, lostFromStart: 1, retentionRate: 50, churnRate: 50, inactiveAfterDays: 90 };
    expect(await retention('(inactiveAfterDays: 90)')).toEqual(byActivity);
    // Without a window: by customerSince and churnedAt (nobody churned).
    expect(await retention('')).toEqual({ atStart: 3, atEnd: 5, acquired: 2, lostFromStart: 0, retentionRate: 100, churnRate: 0, inactiveAfterDays: null });
    // The workspace setting makes it the default.
    const set = await wsApi.ok(`mutation { updateWorkspace(input: { churnAfterDaysWithoutOrder: 90 }) { ... on UpdateWorkspacePayload { workspace { churnAfterDaysWithoutOrder } } } }`);
    expect(set.updateWorkspace.workspace.churnAfterDaysWithoutOrder).toBe(90);
    expect(await retention('')).toEqual(byActivity);
    const refused = await t.gql(ws.key, `{ metrics(filter: { period: { from: "2025-01-01", to: "2026-01-01" } }) { retention(inactiveAfterDays: 0) { atStart } } }`);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    // Per quarter: each bucket is a period of its own, with the same figures as retention over that quarter.
    const FIELDS = 'atStart atEnd acquired lostFromStart retentionRate churnRate inactiveAfterDays';
    const trend = (await metrics(t, ws.key, { period: { from: '2025-01-01', to: '2026-01-01' } }, `retentionTrend(bucket: QUARTER) { bucket retention { ${FIELDS} } }`)).retentionTrend;
    expect(trend.map((point: { bucket: string }) => point.bucket)).toEqual(['2025-01-01', '2025-04-01', '2025-07-01', '2025-10-01']);
    const ends = ['2025-04-01', '2025-07-01', '2025-10-01', '2026-01-01'];
    for (const [index, point] of trend.entries()) {
      expect(point.retention).toEqual((await metrics(t, ws.key, { period: { from: point.bucket, to: ends[index] } }, `retention { ${FIELDS} }`)).retention);
    }
    const tooFine = await t.gql(ws.key, `{ metrics(filter: { period: { from: "2025-01-01", to: "2026-01-01" } }) { retentionTrend(bucket: DAY) { bucket } } }`);
    expect(tooFine.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(tooFine.body.errors?.[0]?.message).toContain('at most 60');
  });

  it('retention, churn, commerce and Pareto from customers and orders', async () => {
    // 4 customers at the start of 2025 (one leaves in March), 2 join in 2025 (one leaves again).
    const ids: string[] = [];
    const make = async (since: string, churned: string | null) => {
      const id = await api.customer({ firstName: 'R', customerSince: since, churnedAt: churned, country: 'BE' });
      ids.push(id);
      return id;
    };
    const a = await make('2023-01-01T00:00:00Z', null);
    const b = await make('2023-06-01T00:00:00Z', null);
    const c = await make('2024-02-01T00:00:00Z', '2025-03-10T00:00:00Z');
    await make('2024-12-31T10:00:00Z', null);
    const e = await make('2025-04-01T00:00:00Z', null);
    await make('2025-05-01T00:00:00Z', '2025-08-01T00:00:00Z');
    const order = (customerId: string, amount: string, at: string) =>
      api.ok(`mutation($input: CreateOrderInput!) { createOrder(input: $input) { __typename } }`, { input: { customerId, amount, currency: 'EUR', orderedAt: at } });
    await order(a, '100.00', '2025-02-01T10:00:00Z');
    await order(a, '50.50', '2025-06-01T10:00:00Z');
    await order(b, '20.00', '2025-03-01T10:00:00Z');
    await order(c, '9.50', '2025-01-05T10:00:00Z');
    await order(e, '70.00', '2025-09-01T10:00:00Z');
    await order(e, '1.00', '2024-12-01T10:00:00Z');
    const res = await metrics(
      t,
      key,
      { period: { from: '2025-01-01', to: '2026-01-01' }, customer: { country: 'BE' } },
      `retention { atStart atEnd acquired lostFromStart retentionRate churnRate } commerce { currency orders orderingCustomers repeatCustomers revenue repeatCustomerRate purchaseFrequency averageOrderValue customerValue pareto { topPercent customers revenueShare } pyramid { tier customers revenueShare } }`,
    );
    expect(res.retention).toEqual({ atStart: 4, atEnd: 4, acquired: 1, lostFromStart: 1, retentionRate: 75, churnRate: 25 });
    const [eur] = res.commerce;
    expect(eur).toMatchObject({
      currency: 'EUR',
      orders: 5,
      orderingCustomers: 4,
      repeatCustomers: 1,
      revenue: '250.00',
      repeatCustomerRate: 25,
      purchaseFrequency: 1.25,
      averageOrderValue: 50,
      customerValue: 62.5,
    });
    expect(eur.pareto).toEqual([
      { topPercent: 1, customers: 1, revenueShare: (150.5 / 250) * 100 },
      { topPercent: 5, customers: 1, revenueShare: (150.5 / 250) * 100 },
      { topPercent: 10, customers: 1, revenueShare: (150.5 / 250) * 100 },
      { topPercent: 20, customers: 1, revenueShare: (150.5 / 250) * 100 },
    ]);
    const quarters = await metrics(
      t,
      key,
      { period: { from: '2025-01-01', to: '2026-01-01' }, customer: { country: 'BE' } },
      `commerceTrend(bucket: QUARTER) { bucket currency orders revenue orderingCustomers averageOrderValue }`,
    );
    expect(quarters.commerceTrend).toEqual([
      { bucket: '2025-01-01', currency: 'EUR', orders: 3, revenue: '129.50', orderingCustomers: 3, averageOrderValue: 129.5 / 3 },
      { bucket: '2025-04-01', currency: 'EUR', orders: 1, revenue: '50.50', orderingCustomers: 1, averageOrderValue: 50.5 },
      { bucket: '2025-07-01', currency: 'EUR', orders: 1, revenue: '70.00', orderingCustomers: 1, averageOrderValue: 70 },
      { bucket: '2025-10-01', currency: 'EUR', orders: 0, revenue: '0', orderingCustomers: 0, averageOrderValue: null },
    ]);
    // Four ordering customers: the first is at the 25th percentile, so every one is SMALL; the two
    // customers of the period without an order (one joined, one left during it) are INACTIVE.
    expect(eur.pyramid).toEqual([
      { tier: 'TOP', customers: 0, revenueShare: 0 },
      { tier: 'LARGE', customers: 0, revenueShare: 0 },
      { tier: 'MEDIUM', customers: 0, revenueShare: 0 },
      { tier: 'SMALL', customers: 4, revenueShare: 100 },
      { tier: 'INACTIVE', customers: 2, revenueShare: null },
    ]);
  });
});

async function metrics(t: TestApp, key: string, filter: Record<string, unknown>, selection: string) {
  const res = await t.gql(key, `query($f: MetricsFilter!) { metrics(filter: $f) { ${selection} } }`, { f: filter });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data.metrics as Loose;
}
