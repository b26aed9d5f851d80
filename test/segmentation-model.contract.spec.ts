import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../src/core/clock.js';
import { sql as kysql } from 'kysely';
import { definePlugin, type SegmentationModel } from '../src/core/plugin-sdk/index.js';
import { PluginRegistry } from '../src/core/plugin-sdk/registry.js';
import { previewSegment } from '../src/core/segments/segment.service.js';
import { segmentMembersQuery } from '../src/core/segments/segmentation-query.js';
import { demographicModel, geographicModel, psychographicModel, technographicModel } from '../src/plugins/attribute-models/attribute-models.plugin.js';
import { behaviourModel } from '../src/plugins/behaviour-model/behaviour-model.plugin.js';
import { needsModel } from '../src/plugins/needs-model/needs-model.plugin.js';
import { npsGroupModel } from '../src/plugins/nps-group-model/nps-group-model.plugin.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { pyramidModel, rfmModel } from '../src/plugins/value-models/value-models.plugin.js';
import { fakeSegmentationModel, fakeSegmentationPlugin } from './fixtures/fake-segmentation-model.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { surveyApi } from './support/survey-helpers.js';

const INJECTION = `x'); DROP TABLE "Customer"; --`;

interface Case {
  model: SegmentationModel<unknown>;
  /** Parameters, given the ids the fixture created. */
  parameters: (ids: Record<string, string>) => unknown;
  /** First names of the customers the parameters select in the fixture. */
  members: string[];
  /** Parameters carrying a hostile string, to show it is bound, not spliced. */
  hostile?: (ids: Record<string, string>) => unknown;
}

const CASES: Case[] = [
  { model: fakeSegmentationModel as SegmentationModel<unknown>, parameters: () => ({ initial: 'a' }), members: ['Anna'] },
  {
    model: demographicModel as SegmentationModel<unknown>,
    parameters: () => ({ rules: { match: 'ALL', rules: [{ field: 'ageBand', op: 'in', values: ['25-34'] }] } }),
    members: ['Anna', 'Bram'],
    hostile: () => ({ rules: { match: 'ALL', rules: [{ field: 'gender', op: 'equals', value: INJECTION }] } }),
  },
  {
    model: geographicModel as SegmentationModel<unknown>,
    parameters: () => ({
      rules: {
        match: 'ANY',
        rules: [
          { field: 'city', op: 'equals', value: 'Gent' },
          { field: 'postcode', op: 'range', min: '3500', max: '3599' },
        ],
      },
    }),
    members: ['Anna', 'Cees'],
    hostile: () => ({ rules: { match: 'ALL', rules: [{ field: 'city', op: 'contains', value: INJECTION }] } }),
  },
  { model: technographicModel as SegmentationModel<unknown>, parameters: () => ({ rules: { match: 'ALL', rules: [{ field: 'devices', op: 'contains', value: 'ios' }] } }), members: ['Anna', 'Cees'] },
  { model: psychographicModel as SegmentationModel<unknown>, parameters: () => ({ rules: { match: 'ALL', rules: [{ field: 'lifestyle', op: 'exists' }] } }), members: ['Bram'] },
  { model: behaviourModel as SegmentationModel<unknown>, parameters: () => ({ windowDays: 90, minOrders: 2 }), members: ['Anna'] },
  { model: rfmModel as SegmentationModel<unknown>, parameters: () => ({ recency: [1, 5] }), members: ['Anna', 'Bram'] },
  { model: pyramidModel as SegmentationModel<unknown>, parameters: () => ({ tier: 'INACTIVE' }), members: ['Cees', 'Dirk'] },
  { model: npsGroupModel as SegmentationModel<unknown>, parameters: () => ({ group: 'DETRACTORS' }), members: ['Bram'] },
  {
    model: needsModel as SegmentationModel<unknown>,
    parameters: (ids) => ({
      questionId: ids.needs!,
      profile: 'speed',
      profiles: [
        { name: 'speed', options: ['fast'] },
        { name: 'advice', options: ['help'] },
        { name: 'price', options: ['cheap'] },
        { name: 'choice', options: ['range'] },
      ],
    }),
    members: ['Anna'],
    hostile: (ids) => ({
      questionId: ids.needs!,
      profile: 'speed',
      profiles: [
        { name: 'speed', options: [INJECTION] },
        { name: 'b', options: ['b'] },
        { name: 'c', options: ['c'] },
        { name: 'd', options: ['d'] },
      ],
    }),
  },
];

describe.each(DATABASE_TARGETS)('segmentation model contract ($name)', (target) => {
  let t: TestApp;
  let workspaceId: string;
  const ids: Record<string, string> = {};
  const clock = new ManualClock('2026-06-01T12:00:00Z');

  beforeAll(async () => {
    t = await startTestApp(target, { clock, plugins: [...resolvePlugins({}), fakeSegmentationPlugin] });
    const ws = await t.workspace('Contract');
    workspaceId = ws.id;
    const api = surveyApi(t, ws.key);
    const anna = await api.customer({ firstName: 'Anna', ageBand: '25-34', city: 'Utrecht', postcode: '3511', devices: ['ios'] });
    const bram = await api.customer({ firstName: 'Bram', ageBand: '25-34', city: 'Zeist', postcode: '3700', attributes: { lifestyle: 'outdoor' } });
    await api.customer({ firstName: 'Cees', ageBand: '45-54', city: 'Gent', devices: ['ios', 'desktop'] });
    await api.customer({ firstName: 'Dirk' });
    const order = (customerId: string, days: number) =>
      api.ok(`mutation($input: CreateOrderInput!) { createOrder(input: $input) { __typename } }`, {
        input: { customerId, amount: '25', currency: 'EUR', orderedAt: new Date(clock.now().getTime() - days * 86_400_000).toISOString() },
      });
    await order(anna, 3);
    await order(anna, 30);
    await order(bram, 60);
    const nps = await api.survey({ name: 'C NPS', kind: 'NPS', channel: 'link' });
    const needs = await api.survey({
      name: 'C needs',
      kind: 'CUSTOM',
      channel: 'link',
      questions: [
        {
          type: 'SINGLE_CHOICE',
          texts: [{ locale: 'nl', text: 'Wat is voor u het belangrijkst?' }],
          options: ['fast', 'help', 'cheap', 'range'].map((value) => ({ value, labels: [{ locale: 'nl', text: value }] })),
        },
      ],
    });
    ids.needs = Buffer.from(needs.questions[0]!.id, 'base64').toString().split(':')[1]!;
    const answer = async (survey: { id: string; questions: Array<{ id: string }> }, customerId: string, value: Record<string, unknown>) => {
      await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customerId] } });
      await t.app.dispatcher.dispatchDue();
      const [invitation] = await api.invitations({ customerId, surveyId: survey.id });
      await api.ok(`mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { __typename } }`, {
        input: { token: invitation.url.split('/s/')[1], answers: [{ questionId: survey.questions[0]!.id, ...value }], complete: true },
      });
    };
    await answer(nps, bram, { score: 4 });
    await answer(nps, anna, { score: 9 });
    await answer(needs, anna, { choices: ['fast'] });
  });
  afterAll(() => t.close());

  describe.each(CASES.map((c) => [c.model.code, c] as const))('%s', (_code, c) => {
    it('validates its parameters and publishes them as JSON Schema', () => {
      expect(c.model.settingsSchema.safeParse(c.parameters(ids)).success).toBe(true);
      expect(c.model.settingsSchema.safeParse({ nonsense: true }).success).toBe(false);
      expect(() => z.toJSONSchema(c.model.settingsSchema, { io: 'input', unrepresentable: 'any' })).not.toThrow();
    });

    it('selects its members in the database', async () => {
      const preview = await previewSegment(t.app.database.sql, t.app.registry, workspaceId, c.model.code, c.parameters(ids), clock.now(), 100);
      const names = (await t.app.database.prisma.customer.findMany({ where: { id: { in: preview.sampleIds } }, select: { firstName: true } })).map((row) => row.firstName).sort();
      expect(names).toEqual(c.members);
      expect(preview.count).toBe(c.members.length);
    });

    it('binds parameter values instead of splicing them into the SQL', async () => {
      const parsed = c.model.settingsSchema.parse((c.hostile ?? c.parameters)(ids));
      const compiled = segmentMembersQuery(c.model, parsed, workspaceId, clock.now()).compile();
      expect(compiled.sql).not.toContain('DROP TABLE');
      // The workspace is a bound parameter of every table the model reads.
      expect(compiled.parameters).toContain(workspaceId);
      if (c.hostile) {
        expect(JSON.stringify(compiled.parameters)).toContain('DROP TABLE');
        await previewSegment(t.app.database.sql, t.app.registry, workspaceId, c.model.code, parsed, clock.now());
        expect(await t.app.database.prisma.customer.count({ where: { workspaceId } })).toBe(4);
      }
    });

    it('explains membership in words', () => {
      if (!c.model.capabilities.includes('explain')) return;
      const words = c.model.explain!(c.model.settingsSchema.parse(c.parameters(ids)), {});
      expect(words.length).toBeGreaterThan(0);
      expect(words.every((line) => line.length > 0)).toBe(true);
    });
  });
});

/** Models that try to leave the restricted builder: each is refused before any SQL runs. */
describe('the segmentation builder refuses what a model may not read or call', () => {
  const model = (code: string, membership: SegmentationModel<unknown>['membership']): SegmentationModel<unknown> => ({
    code,
    description: code,
    settingsSchema: z.object({}),
    capabilities: [],
    membership,
  });
  type Eb = Parameters<SegmentationModel<unknown>['membership']>[1]['eb'];
  const physical = (eb: Eb) => eb.selectFrom('Customer' as 'customer');
  const CASES: Array<[string, SegmentationModel<unknown>['membership'], RegExp]> = [
    ['a physical table', (_p, { eb }) => eb.exists(physical(eb).select('customer.id')), /reads "Customer"/],
    ['a table in another schema', (_p, { eb }) => eb.exists(eb.selectFrom('pg_catalog.pg_user' as 'customer').select('customer.id')), /reads "pg_user"/],
    ['SQL text', (_p, { eb }) => eb(kysql<boolean>`(SELECT true FROM "Customer" LIMIT 1)`, '=', true), /uses SQL text/],
    ['a function outside the list', (_p, { eb }) => eb(eb.fn('pg_sleep', [eb.lit(10)]), 'is not', null), /calls pg_sleep\(\)/],
    ['an aggregate outside the list', (_p, { eb }) => eb(eb.fn.agg('string_agg', ['customer.id', eb.val(',')]), 'is not', null), /calls string_agg\(\)/],
    ['a cast outside the list', (_p, { eb }) => eb(eb.cast('customer.id', 'bytea'), 'is not', null), /casts to bytea/],
  ];
  it.each(CASES)('%s', (_name, membership, message) => {
    expect(() => segmentMembersQuery(model('hostile-model', membership), {}, '00000000-0000-4000-8000-000000000001', new Date())).toThrow(message);
  });

  it('accepts aliases of its own subqueries and sort directions', () => {
    const compiled = segmentMembersQuery(
      model('aliases', (_p, { eb }) =>
        eb('customer.id', 'in', eb.selectFrom(eb.selectFrom('orders').select('orders.customerId').orderBy('orders.orderedAt', 'desc').as('recent')).select('recent.customerId')),
      ),
      {},
      '00000000-0000-4000-8000-000000000001',
      new Date(),
    ).compile();
    expect(compiled.sql).toContain('"recent"."customerId"');
  });

  it('refuses a model written for SDK 1 (SQL text) at boot, naming the field', () => {
    const legacy = definePlugin({
      name: 'legacy-model',
      version: '1.0.0',
      options: {},
      optionsSchema: z.object({}),
      setup: () => ({
        segmentationModels: [{ code: 'legacy', description: 'old', settingsSchema: z.object({}), capabilities: [], membershipCondition: () => 'TRUE' } as unknown as SegmentationModel<unknown>],
      }),
    });
    expect(() => new PluginRegistry().load(legacy)).toThrow(/segmentationModels\[0\]\.membership: must be a function \(SDK 2\.0 replaced membershipCondition/);
  });
});
