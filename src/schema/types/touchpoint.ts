import type { Prisma } from '../../generated/prisma/client.js';
import { findPage } from '../keyset.js';
import { listReads } from '../compiled-reads.js';
import { plannedConnection } from '../planned-reads/planned-list.js';
import { createTouchpoint, deleteTouchpointOrThrow, updateTouchpointOrThrow, upsertTouchpointByExternalId } from '../../core/commerce/touchpoint.service.js';
import { builder, type InputFieldBuilder } from '../builder.js';
import { checkedMaxSize } from '../connection-size.js';
import { decodeInputIds, idOfOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';
import { JourneyPhaseEnum } from './enums.js';

export const TouchpointRef = builder.prismaNode('Touchpoint', {
  id: { field: 'id' },
  // node(id) with a missing or foreign id resolves to null instead of failing.
  nullable: true,
  authScopes: { read: 'customers' },
  description: 'A moment of contact (a delivery, a support call, a visit) in a phase of the customer journey.',
  fields: (t) => ({
    externalId: t.exposeString('externalId', { nullable: true }),
    type: t.exposeString('type', { description: 'Lower-case code such as delivery or support_call; surveys subscribe to these.' }),
    journeyPhase: t.expose('journeyPhase', { type: JourneyPhaseEnum }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    channel: t.exposeString('channel', { nullable: true }),
    subject: t.exposeString('subject', { nullable: true, description: 'The concrete subject, used in survey texts ("the television you bought").' }),
    attributes: t.expose('attributes', { type: 'JSONObject' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    customer: t.relation('customer'),
    order: t.relation('order', { nullable: true }),
    businessUnit: t.relation('businessUnit', { nullable: true }),
  }),
});

const TouchpointFilter = builder.inputType('TouchpointFilter', {
  fields: (t) => ({
    customerId: t.id(),
    businessUnitId: t.id(),
    types: t.stringList(),
    journeyPhase: t.field({ type: JourneyPhaseEnum }),
    occurredFrom: t.field({ type: 'DateTime', description: 'Inclusive.' }),
    occurredTo: t.field({ type: 'DateTime', description: 'Exclusive.' }),
  }),
});

function touchpointWhere(filter: typeof TouchpointFilter.$inferInput | null | undefined): Prisma.TouchpointWhereInput {
  if (!filter) return {};
  return {
    ...(filter.customerId ? { customerId: idOfOrThrow(String(filter.customerId), 'Customer') } : {}),
    ...(filter.businessUnitId ? { businessUnitId: idOfOrThrow(String(filter.businessUnitId), 'BusinessUnit') } : {}),
    ...(filter.types ? { type: { in: filter.types } } : {}),
    ...(filter.journeyPhase ? { journeyPhase: filter.journeyPhase } : {}),
    ...(filter.occurredFrom || filter.occurredTo ? { occurredAt: { ...(filter.occurredFrom ? { gte: filter.occurredFrom } : {}), ...(filter.occurredTo ? { lt: filter.occurredTo } : {}) } } : {}),
  };
}

builder.queryField('touchpoints', (t) =>
  plannedConnection(t)({
    type: 'Touchpoint',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'customers' },
    description: 'Touchpoints matching the filter, newest first.',
    args: { filter: t.arg({ type: TouchpointFilter }) },
    resolve: (query, _root, { filter }, ctx) => findPage(listReads(ctx, 'touchpoint'), query, { where: touchpointWhere(filter), orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }] }),
    totalCount: (_root, { filter }, ctx) => ctx.db.touchpoint.count({ where: touchpointWhere(filter) }),
  }),
);

function touchpointInputFields(t: InputFieldBuilder) {
  return {
    externalId: t.string(),
    customerId: t.id(),
    orderId: t.id(),
    businessUnitId: t.id(),
    type: t.string(),
    journeyPhase: t.field({ type: JourneyPhaseEnum }),
    occurredAt: t.field({ type: 'DateTime' }),
    channel: t.string(),
    subject: t.string(),
    attributes: t.field({ type: 'JSONObject' }),
  };
}

const required = (t: InputFieldBuilder) => ({
  customerId: t.id({ required: true }),
  type: t.string({ required: true }),
  journeyPhase: t.field({ type: JourneyPhaseEnum, required: true }),
  occurredAt: t.field({ type: 'DateTime', required: true }),
});

const CreateTouchpointInput = builder.inputType('CreateTouchpointInput', { fields: (t) => ({ ...touchpointInputFields(t), ...required(t) }) });
const UpdateTouchpointInput = builder.inputType('UpdateTouchpointInput', {
  fields: (t) => {
    const { customerId: _customer, ...rest } = touchpointInputFields(t);
    return { id: t.id({ required: true }), ...rest };
  },
});
const UpsertTouchpointInput = builder.inputType('UpsertTouchpointInput', {
  fields: (t) => ({ ...touchpointInputFields(t), ...required(t), externalId: t.string({ required: true }) }),
});
const DeleteTouchpointInput = builder.inputType('DeleteTouchpointInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

const REFERENCES = { customerId: 'Customer', orderId: 'Order', businessUnitId: 'BusinessUnit' };

builder.mutationFields((t) => ({
  createTouchpoint: t.field({
    type: TouchpointRef,
    authScopes: { write: 'customers' },
    args: { input: t.arg({ type: CreateTouchpointInput, required: true }) },
    errors: mutationErrors('CreateTouchpoint', 'touchpoint'),
    resolve: (_root, { input }, ctx) => createTouchpoint(ctx.db, decodeInputIds(input, REFERENCES), ctx.surveys.clock.now()),
  }),
  updateTouchpoint: t.field({
    type: TouchpointRef,
    authScopes: { write: 'customers' },
    args: { input: t.arg({ type: UpdateTouchpointInput, required: true }) },
    errors: mutationErrors('UpdateTouchpoint', 'touchpoint'),
    resolve: (_root, { input: { id, ...patch } }, ctx) => updateTouchpointOrThrow(ctx.db, idOfOrThrow(String(id), 'Touchpoint'), decodeInputIds(patch, REFERENCES)),
  }),
  upsertTouchpoint: t.field({
    type: TouchpointRef,
    authScopes: { write: 'customers' },
    description: 'Creates or updates the touchpoint with this externalId; safe to retry.',
    args: { input: t.arg({ type: UpsertTouchpointInput, required: true }) },
    errors: mutationErrors('UpsertTouchpoint', 'touchpoint'),
    resolve: (_root, { input }, ctx) => upsertTouchpointByExternalId(ctx.db, decodeInputIds(input, REFERENCES), ctx.surveys.clock.now()),
  }),
  deleteTouchpoint: t.field({
    type: TouchpointRef,
    authScopes: { write: 'customers' },
    args: { input: t.arg({ type: DeleteTouchpointInput, required: true }) },
    errors: mutationErrors('DeleteTouchpoint', 'touchpoint'),
    resolve: (_root, { input }, ctx) => deleteTouchpointOrThrow(ctx.db, idOfOrThrow(String(input.id), 'Touchpoint')),
  }),
}));
