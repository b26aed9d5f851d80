import { addMembersOrThrow, createSegmentOrThrow, deleteSegmentOrThrow, previewSegment, recomputeSegment, removeMembersOrThrow, updateSegmentOrThrow } from '../../core/segments/segment.service.js';
import { findPage } from '../keyset.js';
import { listReads } from '../compiled-reads.js';
import { plannedConnection } from '../planned-reads/planned-list.js';
import { segmentSizeHistory } from '../../core/segments/segment-history.js';
import { NotFoundError } from '../../core/errors.js';
import { builder, type InputFieldBuilder } from '../builder.js';
import { checkedMaxSize } from '../connection-size.js';
import { idOfOrThrow, inputIdOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';
import { CustomerRef } from './customer.js';
import { metricsScope, MetricsRef, toMetricsFilter } from './metrics/metrics.js';
import { DateRangeInput } from './metrics/metrics-filter.input.js';

const SegmentKindEnum = builder.enumType('SegmentKind', { values: ['STATIC', 'DYNAMIC'] as const, description: 'STATIC: members by hand or import. DYNAMIC: a segmentation model with parameters.' });

export const SegmentRef = builder.prismaNode('Segment', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { read: 'segments' },
  description: 'A group of customers, with its membership history.',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    kind: t.expose('kind', { type: SegmentKindEnum }),
    modelCode: t.exposeString('modelCode', { nullable: true }),
    parameters: t.expose('parameters', { type: 'JSONObject' }),
    recomputedAt: t.expose('recomputedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    explanation: t.stringList({
      description: 'Why customers are in this segment, in words.',
      resolve: (segment, _args, ctx) => {
        if (!segment.modelCode || !ctx.registry.segmentationModels.has(segment.modelCode)) return ['added by hand or import'];
        const model = ctx.registry.segmentationModels.getByCodeOrThrow(segment.modelCode);
        const parsed = model.settingsSchema.safeParse(segment.parameters);
        return parsed.success && model.explain ? model.explain(parsed.data, {}) : [model.description];
      },
    }),
    size: t.int({
      description: 'Current members.',
      resolve: (segment, _args, ctx) => ctx.db.segmentMembership.count({ where: { segmentId: segment.id, leftAt: null } }),
    }),
    sizeHistory: t.field({
      type: [SegmentSizePointRef],
      description: 'Members at the end of each day of a period (workspace time zone, at most 400 days).',
      args: { period: t.arg({ type: DateRangeInput, required: true }) },
      resolve: async (segment, { period }, ctx) => {
        const filter = toMetricsFilter({ period }, ['period']);
        return segmentSizeHistory(ctx.surveys.sql, segment.workspaceId, segment.id, filter.period);
      },
    }),
    memberships: t.relatedConnection('memberships', {
      cursor: 'id',
      totalCount: true,
      maxSize: checkedMaxSize,
      description: 'Stays in the segment, newest first; with includeHistory also those that ended.',
      args: { includeHistory: t.arg.boolean({ defaultValue: false }), enteredFrom: t.arg({ type: 'DateTime' }) },
      query: (args) => ({
        where: { ...(args.includeHistory ? {} : { leftAt: null }), ...(args.enteredFrom ? { enteredAt: { gte: args.enteredFrom } } : {}) },
        orderBy: [{ enteredAt: 'desc' }, { id: 'desc' }],
      }),
    }),
    metrics: t.field({
      type: MetricsRef,
      authScopes: { read: 'metrics' },
      args: { period: t.arg({ type: DateRangeInput, required: true }) },
      resolve: (segment, { period }, ctx) => metricsScope(ctx, { ...toMetricsFilter({ period }, ['period']), segmentIds: [segment.id] }),
    }),
  }),
});

const SegmentSizePointRef = builder.objectRef<{ day: string; members: number }>('SegmentSizePoint').implement({
  fields: (t) => ({ day: t.field({ type: 'LocalDate', resolve: (p) => p.day }), members: t.exposeInt('members') }),
});

builder.prismaObject('SegmentMembership', {
  description: 'One stay of a customer in a segment.',
  fields: (t) => ({
    enteredAt: t.expose('enteredAt', { type: 'DateTime' }),
    leftAt: t.expose('leftAt', { type: 'DateTime', nullable: true, description: 'Null while the customer is a member.' }),
    customer: t.relation('customer'),
    segment: t.relation('segment'),
  }),
});

builder.objectField(CustomerRef, 'segments', (t) =>
  t.prismaField({
    type: ['Segment'],
    authScopes: { read: 'segments' },
    description: 'Segments the customer is in now.',
    resolve: (query, customer, _args, ctx) => ctx.db.segment.findMany({ ...query, where: { memberships: { some: { customerId: customer.id, leftAt: null } } }, orderBy: { name: 'asc' } }),
  }),
);

builder.queryField('segments', (t) =>
  plannedConnection(t)({
    type: 'Segment',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'segments' },
    args: { kind: t.arg({ type: SegmentKindEnum }) },
    resolve: (query, _root, args, ctx) => findPage(listReads(ctx, 'segment'), query, { where: args.kind ? { kind: args.kind } : {}, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    totalCount: (_root, args, ctx) => ctx.db.segment.count({ where: args.kind ? { kind: args.kind } : {} }),
  }),
);

const SegmentPreviewRef = builder.objectRef<{ count: number; sampleIds: string[] }>('SegmentPreview').implement({
  fields: (t) => ({
    count: t.exposeInt('count'),
    sample: t.prismaField({
      type: ['Customer'],
      description: 'Up to `sampleSize` customers, oldest first.',
      resolve: (query, preview, _args, ctx) => ctx.db.customer.findMany({ ...query, where: { id: { in: preview.sampleIds } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    }),
  }),
});

builder.queryField('previewSegment', (t) =>
  t.field({
    type: SegmentPreviewRef,
    authScopes: { read: 'segments' },
    description: 'How many customers a model with these parameters holds now, and a sample, without saving anything.',
    args: { modelCode: t.arg.string({ required: true }), parameters: t.arg({ type: 'JSONObject', required: true }), sampleSize: t.arg.int({ defaultValue: 10 }) },
    resolve: (_root, args, ctx) => previewSegment(ctx.surveys.sql, ctx.registry, ctx.viewer.workspaceId, args.modelCode, args.parameters, ctx.surveys.clock.now(), args.sampleSize ?? 10),
  }),
);

const CreateSegmentInput = builder.inputType('CreateSegmentInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    kind: t.field({ type: SegmentKindEnum, required: true }),
    modelCode: t.string({ description: 'For DYNAMIC segments: the segmentation model.' }),
    parameters: t.field({ type: 'JSONObject', description: 'Validated by the model’s parameter schema (see segmentationModels).' }),
  }),
});
const UpdateSegmentInput = builder.inputType('UpdateSegmentInput', {
  fields: (t) => ({ id: t.id({ required: true }), name: t.string(), description: t.string(), parameters: t.field({ type: 'JSONObject' }) }),
});
const DeleteSegmentInput = builder.inputType('DeleteSegmentInput', { fields: (t) => ({ id: t.id({ required: true }) }) });
const RecomputeSegmentInput = builder.inputType('RecomputeSegmentInput', { fields: (t) => ({ id: t.id({ required: true }) }) });
const membersFields = (t: InputFieldBuilder) => ({ segmentId: t.id({ required: true }), customerIds: t.idList({ required: true, description: 'Up to 10,000.' }) });
const AddCustomersToSegmentInput = builder.inputType('AddCustomersToSegmentInput', { fields: membersFields });
const RemoveCustomersFromSegmentInput = builder.inputType('RemoveCustomersFromSegmentInput', { fields: membersFields });

const RecomputeResultRef = builder.objectRef<{ members: number; entered: number; left: number; segmentId: string }>('SegmentRecomputed').implement({
  fields: (t) => ({
    members: t.exposeInt('members'),
    entered: t.exposeInt('entered'),
    left: t.exposeInt('left'),
    segment: t.prismaField({ type: 'Segment', resolve: (query, result, _args, ctx) => ctx.db.segment.findFirstOrThrow({ ...query, where: { id: result.segmentId } }) }),
  }),
});

const decodeCustomers = (ids: Array<string | number>) => ids.map((id, index) => inputIdOrThrow(String(id), 'Customer', `customerIds.${index}`)!);

builder.mutationFields((t) => ({
  createSegment: t.field({
    type: SegmentRef,
    authScopes: { write: 'segments' },
    description: 'Creates a segment; a dynamic one is computed right away.',
    args: { input: t.arg({ type: CreateSegmentInput, required: true }) },
    errors: mutationErrors('CreateSegment', 'segment'),
    resolve: async (_root, { input }, ctx) => {
      const segment = await createSegmentOrThrow(ctx.db, ctx.registry, input);
      if (segment.kind === 'DYNAMIC') await recomputeSegment(ctx.surveys.sql, ctx.registry, segment, ctx.surveys.clock.now());
      return ctx.db.segment.findFirstOrThrow({ where: { id: segment.id } });
    },
  }),
  updateSegment: t.field({
    type: SegmentRef,
    authScopes: { write: 'segments' },
    description: 'New parameters recompute a dynamic segment.',
    args: { input: t.arg({ type: UpdateSegmentInput, required: true }) },
    errors: mutationErrors('UpdateSegment', 'segment'),
    resolve: async (_root, { input: { id, ...patch } }, ctx) => {
      const segment = await updateSegmentOrThrow(ctx.db, ctx.registry, idOfOrThrow(String(id), 'Segment'), patch);
      if (segment.kind === 'DYNAMIC' && patch.parameters) await recomputeSegment(ctx.surveys.sql, ctx.registry, segment, ctx.surveys.clock.now());
      return ctx.db.segment.findFirstOrThrow({ where: { id: segment.id } });
    },
  }),
  deleteSegment: t.field({
    type: SegmentRef,
    authScopes: { write: 'segments' },
    args: { input: t.arg({ type: DeleteSegmentInput, required: true }) },
    errors: mutationErrors('DeleteSegment', 'segment'),
    resolve: (_root, { input }, ctx) => deleteSegmentOrThrow(ctx.db, idOfOrThrow(String(input.id), 'Segment')),
  }),
  recomputeSegment: t.field({
    type: RecomputeResultRef,
    authScopes: { write: 'segments' },
    description: 'Recomputes a dynamic segment now: who left, who entered.',
    args: { input: t.arg({ type: RecomputeSegmentInput, required: true }) },
    errors: mutationErrors('RecomputeSegment', 'result'),
    resolve: async (_root, { input }, ctx) => {
      const id = idOfOrThrow(String(input.id), 'Segment');
      const segment = await ctx.db.segment.findFirst({ where: { id } });
      if (!segment) throw new NotFoundError('Segment', String(input.id));
      return { ...(await recomputeSegment(ctx.surveys.sql, ctx.registry, segment, ctx.surveys.clock.now())), segmentId: id };
    },
  }),
  addCustomersToSegment: t.field({
    type: SegmentRef,
    authScopes: { write: 'segments' },
    description: 'Static segments: adds customers (members stay members).',
    args: { input: t.arg({ type: AddCustomersToSegmentInput, required: true }) },
    errors: mutationErrors('AddCustomersToSegment', 'segment'),
    resolve: (_root, { input }, ctx) => addMembersOrThrow(ctx.db, idOfOrThrow(String(input.segmentId), 'Segment'), decodeCustomers(input.customerIds), ctx.surveys.clock.now()),
  }),
  removeCustomersFromSegment: t.field({
    type: SegmentRef,
    authScopes: { write: 'segments' },
    description: 'Static segments: ends the customers’ membership (history kept).',
    args: { input: t.arg({ type: RemoveCustomersFromSegmentInput, required: true }) },
    errors: mutationErrors('RemoveCustomersFromSegment', 'segment'),
    resolve: (_root, { input }, ctx) => removeMembersOrThrow(ctx.db, idOfOrThrow(String(input.segmentId), 'Segment'), decodeCustomers(input.customerIds), ctx.surveys.clock.now()),
  }),
}));
