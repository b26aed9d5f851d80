import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { pyramidTier } from '../src/core/metrics/pareto.js';
import { rfmGroup, RFM_GROUPS } from '../src/plugins/value-models/value-models.plugin.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';
import { surveyApi } from './support/survey-helpers.js';

const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** PostgreSQL's ntile(5) over rows already sorted: the first (n mod 5) buckets get one row more. */
function ntile5<T>(sorted: T[]): Map<T, number> {
  const result = new Map<T, number>();
  const base = Math.floor(sorted.length / 5);
  const extra = sorted.length % 5;
  let index = 0;
  for (let bucket = 1; bucket <= 5; bucket++) {
    const size = base + (bucket <= extra ? 1 : 0);
    for (let i = 0; i < size; i++) result.set(sorted[index++]!, bucket);
  }
  return result;
}

describe.each(DATABASE_TARGETS)('segments ($name)', (target) => {
  let t: TestApp;
  let key: string;
  let api: ReturnType<typeof surveyApi>;
  const clock = new ManualClock('2026-06-01T12:00:00Z');

  const createSegment = async (input: Record<string, unknown>) => {
    const res = await api.ok(
      `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { __typename ... on CreateSegmentPayload { segment { id size } } ... on ValidationError { issues { path message } } } }`,
      { input },
    );
    return res.createSegment;
  };
  const memberIds = async (segmentId: string) => {
    const res = await api.ok(`query($id: ID!) { node(id: $id) { ... on Segment { memberships(first: 100) { edges { node { customer { id } } } } } } }`, { id: segmentId });
    return res.node.memberships.edges.map((edge: Loose) => edge.node.customer.id).sort();
  };

  beforeAll(async () => {
    t = await startTestApp(target, { clock });
    key = (await t.workspace('Segments')).key;
    api = surveyApi(t, key);
  });
  afterAll(() => t.close());

  it('lists every model with a JSON Schema of its parameters', async () => {
    const res = await api.ok(`{ segmentationModels { code plugin parametersSchema } }`);
    const codes = res.segmentationModels.map((model: Loose) => model.code).sort();
    expect(codes).toEqual(['behavioural', 'customer-pyramid', 'demographic', 'geographic', 'needs-based', 'nps-group', 'psychographic', 'rfm', 'technographic']);
    const geographic = res.segmentationModels.find((model: Loose) => model.code === 'geographic');
    expect(geographic.parametersSchema.type).toBe('object');
    expect(JSON.stringify(geographic.parametersSchema)).toContain('"country"');
  });

  it('rule models: preview, create, AND/OR groups, and errors that name the parameter', async () => {
    const people = [
      { firstName: 'A', country: 'NL', city: 'Utrecht', devices: ['ios'], attributes: { lifestyle: 'outdoor' }, ageBand: '25-34' },
      { firstName: 'B', country: 'NL', city: 'Zeist', devices: ['android'], attributes: { lifestyle: 'urban' }, ageBand: '35-44' },
      { firstName: 'C', country: 'BE', city: 'Gent', devices: ['ios', 'desktop'], ageBand: '25-34' },
      { firstName: 'D' },
    ];
    const ids: string[] = [];
    for (const person of people) ids.push(await api.customer(person));
    const preview = await api.ok(`query($p: JSONObject!) { previewSegment(modelCode: "geographic", parameters: $p, sampleSize: 5) { count sample { firstName } } }`, {
      p: {
        rules: {
          match: 'ALL',
          rules: [
            { field: 'country', op: 'equals', value: 'NL' },
            {
              match: 'ANY',
              rules: [
                { field: 'city', op: 'equals', value: 'Utrecht' },
                { field: 'city', op: 'contains', value: 'eis' },
              ],
            },
          ],
        },
      },
    });
    expect(preview.previewSegment).toEqual({ count: 2, sample: [{ firstName: 'A' }, { firstName: 'B' }] });
    const notNl = await api.ok(`query($p: JSONObject!) { previewSegment(modelCode: "geographic", parameters: $p) { count } }`, {
      p: { rules: { match: 'ALL', rules: [{ field: 'country', op: 'equals', value: 'NL', not: true }] } },
    });
    expect(notNl.previewSegment.count).toBe(1);
    const ios = await createSegment({ name: 'iOS', kind: 'DYNAMIC', modelCode: 'technographic', parameters: { rules: { match: 'ALL', rules: [{ field: 'devices', op: 'contains', value: 'ios' }] } } });
    expect(ios.segment.size).toBe(2);
    expect(await memberIds(ios.segment.id)).toEqual([ids[0], ids[2]].sort());
    const outdoor = await createSegment({
      name: 'Outdoor',
      kind: 'DYNAMIC',
      modelCode: 'psychographic',
      parameters: { rules: { match: 'ALL', rules: [{ field: 'lifestyle', op: 'in', values: ['outdoor', 'sport'] }] } },
    });
    expect(outdoor.segment.size).toBe(1);
    const young = await createSegment({
      name: 'Young',
      kind: 'DYNAMIC',
      modelCode: 'demographic',
      parameters: { rules: { match: 'ALL', rules: [{ field: 'ageBand', op: 'equals', value: '25-34' }] } },
    });
    expect(young.segment.size).toBe(2);

    const bad = await createSegment({ name: 'Bad', kind: 'DYNAMIC', modelCode: 'geographic', parameters: { rules: { match: 'ALL', rules: [{ field: 'planet', op: 'equals', value: 'Mars' }] } } });
    expect(bad.__typename).toBe('ValidationError');
    expect(bad.issues[0].path.slice(0, 4)).toEqual(['input', 'parameters', 'rules', 'rules']);
    const unknown = await createSegment({ name: 'X', kind: 'DYNAMIC', modelCode: 'astrology', parameters: {} });
    expect(unknown.issues).toEqual([{ path: ['input', 'modelCode'], message: 'no segmentation model "astrology" is installed' }]);
  });

  it('static segments: add and remove by hand, with history, and Customer.segments', async () => {
    const a = await api.customer({ firstName: 'Static A' });
    const b = await api.customer({ firstName: 'Static B' });
    const segment = await createSegment({ name: 'VIP', kind: 'STATIC' });
    const add = `mutation($input: AddCustomersToSegmentInput!) { addCustomersToSegment(input: $input) { __typename ... on AddCustomersToSegmentPayload { segment { size } } } }`;
    expect((await api.ok(add, { input: { segmentId: segment.segment.id, customerIds: [a, b] } })).addCustomersToSegment.segment.size).toBe(2);
    expect((await api.ok(add, { input: { segmentId: segment.segment.id, customerIds: [a] } })).addCustomersToSegment.segment.size).toBe(2);
    clock.advance({ days: 1 });
    await api.ok(`mutation($input: RemoveCustomersFromSegmentInput!) { removeCustomersFromSegment(input: $input) { __typename } }`, { input: { segmentId: segment.segment.id, customerIds: [b] } });
    const res = await api.ok(
      `query($id: ID!, $a: ID!, $b: ID!) {
      s: node(id: $id) { ... on Segment { size memberships(first: 10, includeHistory: true) { edges { node { customer { id } leftAt } } } } }
      a: node(id: $a) { ... on Customer { segments { name } } }
      b: node(id: $b) { ... on Customer { segments { name } } } }`,
      { id: segment.segment.id, a, b },
    );
    expect(res.s.size).toBe(1);
    expect(res.s.memberships.edges).toHaveLength(2);
    expect(res.s.memberships.edges.find((edge: Loose) => edge.node.customer.id === b).node.leftAt).toBe(clock.now().toISOString());
    expect(res.a.segments).toEqual([{ name: 'VIP' }]);
    expect(res.b.segments).toEqual([]);
  });

  it('NPS group: membership follows the latest answer and keeps its history', async () => {
    const survey = await api.survey({ name: 'Seg NPS', kind: 'NPS', channel: 'link', reminderAfterHours: null });
    const customer = await api.customer({ firstName: 'Nina' });
    const answer = async (score: number) => {
      await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customer] } });
      await t.app.dispatcher.dispatchDue();
      const [invitation] = await api.invitations({ customerId: customer, statuses: ['DELIVERED'] });
      await api.ok(`mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { __typename } }`, {
        input: { token: invitation.url.split('/s/')[1], answers: [{ questionId: survey.questions[0]!.id, score }], complete: true },
      });
    };
    await api.ok(`mutation { updateContactPolicy(input: { cap: 10 }) { __typename } }`);
    await answer(3);
    const detractors = await createSegment({ name: 'Detractors', kind: 'DYNAMIC', modelCode: 'nps-group', parameters: { group: 'DETRACTORS' } });
    expect(await memberIds(detractors.segment.id)).toContain(customer);
    clock.advance({ days: 10 });
    await answer(10);
    const recomputed = await api.ok(`mutation($input: RecomputeSegmentInput!) { recomputeSegment(input: $input) { ... on RecomputeSegmentPayload { result { members entered left } } } }`, {
      input: { id: detractors.segment.id },
    });
    expect(recomputed.recomputeSegment.result).toMatchObject({ left: 1, entered: 0 });
    const history = await api.ok(`query($id: ID!) { node(id: $id) { ... on Segment { explanation memberships(first: 10, includeHistory: true) { edges { node { enteredAt leftAt } } } } } }`, {
      id: detractors.segment.id,
    });
    expect(history.node.memberships.edges).toEqual([{ node: { enteredAt: '2026-06-02T12:00:00.000Z', leftAt: '2026-06-12T12:00:00.000Z' } }]);
    expect(history.node.explanation[0]).toContain('detractors');
  });

  it('RFM groups and pyramid tiers match a reference computation on generated data', async () => {
    const next = random(11);
    const customers: string[] = [];
    const orders: Array<{ customerId: string; amount: number; at: Date }> = [];
    for (let i = 0; i < 60; i++) customers.push(rawId(await api.customer({ firstName: `RFM ${i}` })));
    const workspaceId = (await t.app.database.prisma.customer.findFirstOrThrow({ where: { id: customers[0] } })).workspaceId;
    for (const customerId of customers) {
      const count = Math.floor(next() * 6);
      for (let k = 0; k < count; k++)
        orders.push({ customerId, amount: Math.round(next() * 50000) / 100 + 1, at: new Date(clock.now().getTime() - Math.floor(next() * 400) * 86_400_000 - k * 3_600_000) });
    }
    await t.app.database.sql.session(async (conn) => {
      for (const order of orders) {
        await conn.query(`INSERT INTO "Order" ("workspaceId", "customerId", amount, currency, "orderedAt", "updatedAt") VALUES ($1, $2, $3, 'EUR', $4, now())`, [
          workspaceId,
          order.customerId,
          order.amount.toFixed(2),
          order.at,
        ]);
      }
    });
    const since = clock.now().getTime() - 365 * 86_400_000;
    const inWindow = orders.filter((order) => order.at.getTime() >= since && order.at <= clock.now());
    const stats = new Map<string, { last: number; count: number; total: number }>();
    for (const order of inWindow) {
      const s = stats.get(order.customerId) ?? { last: 0, count: 0, total: 0 };
      stats.set(order.customerId, { last: Math.max(s.last, order.at.getTime()), count: s.count + 1, total: Math.round((s.total + order.amount) * 100) / 100 });
    }
    const ids = [...stats.keys()];
    const byKey = (key: 'last' | 'count' | 'total') => ntile5([...ids].sort((a, b) => stats.get(a)![key] - stats.get(b)![key] || (a < b ? -1 : 1)));
    const [r, f, m] = [byKey('last'), byKey('count'), byKey('total')];
    const expectedGroups = new Map(ids.map((id) => [id, rfmGroup(r.get(id)!, f.get(id)!, m.get(id)!)]));
    for (const group of RFM_GROUPS) {
      const res = await api.ok(`query($p: JSONObject!) { previewSegment(modelCode: "rfm", parameters: $p, sampleSize: 100) { count sample { id } } }`, { p: { group } });
      const expected = ids.filter((id) => expectedGroups.get(id) === group).sort();
      expect(res.previewSegment.sample.map((c: Loose) => rawId(c.id)).sort(), group).toEqual(expected);
    }
    const ranked = [...ids].filter((id) => stats.get(id)!.total > 0).sort((a, b) => stats.get(b)!.total - stats.get(a)!.total || (a < b ? -1 : 1));
    for (const tier of ['TOP', 'LARGE', 'MEDIUM', 'SMALL'] as const) {
      const res = await api.ok(`query($p: JSONObject!) { previewSegment(modelCode: "customer-pyramid", parameters: $p, sampleSize: 100) { sample { id } } }`, { p: { tier } });
      const expected = ranked.filter((id, index) => pyramidTier(index + 1, ranked.length, stats.get(id)!.total) === tier).sort();
      expect(res.previewSegment.sample.map((c: Loose) => rawId(c.id)).sort(), tier).toEqual(expected);
    }
  });

  it('behavioural: orders and touchpoints in a window', async () => {
    const frequent = await api.customer({ firstName: 'Frequent' });
    const lapsed = await api.customer({ firstName: 'Lapsed' });
    const order = (customerId: string, days: number) =>
      api.ok(`mutation($input: CreateOrderInput!) { createOrder(input: $input) { __typename } }`, {
        input: { customerId, amount: '10', currency: 'EUR', orderedAt: new Date(clock.now().getTime() - days * 86_400_000).toISOString() },
      });
    for (const days of [1, 5, 20]) await order(frequent, days);
    await order(lapsed, 200);
    await api.touchpoint({ customerId: frequent, type: 'support_call', journeyPhase: 'SERVICE', occurredAt: clock.now().toISOString() });
    const preview = async (parameters: Record<string, unknown>) =>
      (await api.ok(`query($p: JSONObject!) { previewSegment(modelCode: "behavioural", parameters: $p, sampleSize: 100) { sample { firstName } } }`, { p: parameters })).previewSegment.sample
        .map((c: Loose) => c.firstName)
        .filter((name: string) => ['Frequent', 'Lapsed'].includes(name));
    expect(await preview({ windowDays: 30, minOrders: 3 })).toEqual(['Frequent']);
    expect(await preview({ noOrderForDays: 90, windowDays: 365, minOrders: 1 })).toEqual(['Lapsed']);
    expect(await preview({ windowDays: 7, touchpointTypes: ['support_call'] })).toEqual(['Frequent']);
  });

  it('metrics by segment: filter, group and compare', async () => {
    const survey = await api.survey({ name: 'Seg metrics', kind: 'NPS', channel: 'link', reminderAfterHours: null });
    const north: string[] = [];
    const south: string[] = [];
    for (let i = 0; i < 6; i++) north.push(await api.customer({ firstName: `N${i}`, province: 'Noord' }));
    for (let i = 0; i < 4; i++) south.push(await api.customer({ firstName: `S${i}`, province: 'Zuid' }));
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [...north, ...south] } });
    await t.app.dispatcher.dispatchDue();
    const invitations = await api.invitations({ surveyId: survey.id });
    for (const invitation of invitations) {
      const score = north.includes(invitation.customer.id) ? 10 : 2;
      await api.ok(`mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { __typename } }`, {
        input: { token: invitation.url.split('/s/')[1], answers: [{ questionId: survey.questions[0]!.id, score }], complete: true },
      });
    }
    const segment = async (name: string, province: string) =>
      (await createSegment({ name, kind: 'DYNAMIC', modelCode: 'geographic', parameters: { rules: { match: 'ALL', rules: [{ field: 'province', op: 'equals', value: province }] } } })).segment.id;
    const [n, s] = [await segment('Noord', 'Noord'), await segment('Zuid', 'Zuid')];
    const day = clock.now().toISOString().slice(0, 10);
    const period = { from: '2026-01-01', to: '2027-01-01' };
    expect(day >= period.from).toBe(true);
    const res = await api.ok(
      `query($f: MetricsFilter!, $g: MetricsFilter!, $w: MetricsFilter!) {
        only: metrics(filter: $f) { nps { score responses source } }
        grouped: metrics(filter: $g) { npsBy(dimension: SEGMENT) { value nps { score responses } } }
        compared: metrics(filter: $f) { compareNps(with: $w) { difference significant lowSample } } }`,
      { f: { period, surveyIds: [survey.id], segmentIds: [n] }, g: { period, surveyIds: [survey.id], segmentIds: [n, s] }, w: { period, surveyIds: [survey.id], segmentIds: [s] } },
    );
    expect(res.only.nps).toEqual({ score: 100, responses: 6, source: 'LIVE' });
    expect(res.grouped.npsBy).toEqual(
      expect.arrayContaining([
        { value: n, nps: { score: 100, responses: 6 } },
        { value: s, nps: { score: -100, responses: 4 } },
      ]),
    );
    expect(res.compared.compareNps).toMatchObject({ difference: 200, lowSample: true });
    const bySegmentNode = await api.ok(
      `query($id: ID!, $p: DateRange!) { node(id: $id) { ... on Segment { metrics(period: $p) { nps { responses } } sizeHistory(period: { from: "2026-06-01", to: "2026-06-03" }) { day members } } } }`,
      { id: s, p: period },
    );
    expect(bySegmentNode.node.metrics.nps.responses).toBe(4);
    expect(bySegmentNode.node.sizeHistory.map((p: Loose) => p.day)).toEqual(['2026-06-01', '2026-06-02']);
  });
});
