import type { Prisma } from '../../generated/prisma/client.js';
import { findPage } from '../keyset.js';
import { listReads } from '../compiled-reads.js';
import { plannedConnection } from '../planned-reads/planned-list.js';
import { createOrder, deleteOrderOrThrow, updateOrderOrThrow, upsertOrderByExternalId } from '../../core/commerce/order.service.js';
import { builder, type InputFieldBuilder } from '../builder.js';
import { checkedMaxSize } from '../connection-size.js';
import { decodeInputIds, idOfOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';

export const OrderRef = builder.prismaNode('Order', {
  id: { field: 'id' },
  // Select mode: an order loads only the columns its selected fields expose (not its JSON lines
  // unless asked), so a customer list with its last orders carries no more than it shows.
  select: { id: true },
  // node(id) with a missing or foreign id resolves to null instead of failing.
  nullable: true,
  authScopes: { read: 'customers' },
  description: 'A purchase: the source of behavioural and value metrics.',
  fields: (t) => ({
    externalId: t.exposeString('externalId', { nullable: true }),
    amount: t.expose('amount', { type: 'Decimal', description: 'Order total, exact.' }),
    currency: t.exposeString('currency', { description: 'ISO 4217.' }),
    orderedAt: t.expose('orderedAt', { type: 'DateTime' }),
    channel: t.exposeString('channel', { nullable: true, description: 'Sales channel, for example webshop or store.' }),
    lines: t.expose('lines', { type: 'JSON', description: 'Order lines: [{ sku, name, category, quantity, unitPrice }].' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    customer: t.relation('customer'),
    businessUnit: t.relation('businessUnit', { nullable: true }),
    touchpoints: t.relatedConnection('touchpoints', { cursor: 'id', totalCount: true, maxSize: checkedMaxSize, query: () => ({ orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }] }) }),
  }),
});

const OrderFilter = builder.inputType('OrderFilter', {
  fields: (t) => ({
    customerId: t.id(),
    businessUnitId: t.id(),
    channel: t.string(),
    currency: t.string(),
    orderedFrom: t.field({ type: 'DateTime', description: 'Inclusive.' }),
    orderedTo: t.field({ type: 'DateTime', description: 'Exclusive.' }),
  }),
});

function orderWhere(filter: typeof OrderFilter.$inferInput | null | undefined): Prisma.OrderWhereInput {
  if (!filter) return {};
  return {
    ...(filter.customerId ? { customerId: idOfOrThrow(String(filter.customerId), 'Customer') } : {}),
    ...(filter.businessUnitId ? { businessUnitId: idOfOrThrow(String(filter.businessUnitId), 'BusinessUnit') } : {}),
    ...(filter.channel ? { channel: filter.channel } : {}),
    ...(filter.currency ? { currency: filter.currency } : {}),
    ...(filter.orderedFrom || filter.orderedTo ? { orderedAt: { ...(filter.orderedFrom ? { gte: filter.orderedFrom } : {}), ...(filter.orderedTo ? { lt: filter.orderedTo } : {}) } } : {}),
  };
}

builder.queryField('orders', (t) =>
  plannedConnection(t)({
    type: 'Order',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'customers' },
    description: 'Orders matching the filter, newest first.',
    args: { filter: t.arg({ type: OrderFilter }) },
    resolve: (query, _root, { filter }, ctx) => findPage(listReads(ctx, 'order'), query, { where: orderWhere(filter), orderBy: [{ orderedAt: 'desc' }, { id: 'desc' }] }),
    totalCount: (_root, { filter }, ctx) => ctx.db.order.count({ where: orderWhere(filter) }),
  }),
);

const OrderLineInput = builder.inputType('OrderLineInput', {
  fields: (t) => ({
    sku: t.string(),
    name: t.string({ required: true }),
    category: t.string(),
    quantity: t.int({ required: true }),
    unitPrice: t.field({ type: 'Decimal', required: true }),
  }),
});

function orderInputFields(t: InputFieldBuilder) {
  return {
    externalId: t.string(),
    customerId: t.id(),
    businessUnitId: t.id(),
    amount: t.field({ type: 'Decimal' }),
    currency: t.string(),
    orderedAt: t.field({ type: 'DateTime' }),
    channel: t.string(),
    lines: t.field({ type: [OrderLineInput] }),
  };
}

const CreateOrderInput = builder.inputType('CreateOrderInput', {
  fields: (t) => ({
    ...orderInputFields(t),
    customerId: t.id({ required: true }),
    amount: t.field({ type: 'Decimal', required: true }),
    currency: t.string({ required: true }),
    orderedAt: t.field({ type: 'DateTime', required: true }),
  }),
});
const UpdateOrderInput = builder.inputType('UpdateOrderInput', {
  fields: (t) => {
    const { customerId: _customer, ...rest } = orderInputFields(t);
    return { id: t.id({ required: true }), ...rest };
  },
});
const UpsertOrderInput = builder.inputType('UpsertOrderInput', {
  fields: (t) => ({
    ...orderInputFields(t),
    externalId: t.string({ required: true }),
    customerId: t.id({ required: true }),
    amount: t.field({ type: 'Decimal', required: true }),
    currency: t.string({ required: true }),
    orderedAt: t.field({ type: 'DateTime', required: true }),
  }),
});
const DeleteOrderInput = builder.inputType('DeleteOrderInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

const REFERENCES = { customerId: 'Customer', businessUnitId: 'BusinessUnit' };

builder.mutationFields((t) => ({
  createOrder: t.field({
    type: OrderRef,
    authScopes: { write: 'customers' },
    args: { input: t.arg({ type: CreateOrderInput, required: true }) },
    errors: mutationErrors('CreateOrder', 'order'),
    resolve: (_root, { input }, ctx) => createOrder(ctx.db, decodeInputIds(input, REFERENCES)),
  }),
  updateOrder: t.field({
    type: OrderRef,
    authScopes: { write: 'customers' },
    args: { input: t.arg({ type: UpdateOrderInput, required: true }) },
    errors: mutationErrors('UpdateOrder', 'order'),
    resolve: (_root, { input: { id, ...patch } }, ctx) => updateOrderOrThrow(ctx.db, idOfOrThrow(String(id), 'Order'), decodeInputIds(patch, REFERENCES)),
  }),
  upsertOrder: t.field({
    type: OrderRef,
    authScopes: { write: 'customers' },
    description: 'Creates or updates the order with this externalId; safe to retry.',
    args: { input: t.arg({ type: UpsertOrderInput, required: true }) },
    errors: mutationErrors('UpsertOrder', 'order'),
    resolve: (_root, { input }, ctx) => upsertOrderByExternalId(ctx.db, decodeInputIds(input, REFERENCES)),
  }),
  deleteOrder: t.field({
    type: OrderRef,
    authScopes: { write: 'customers' },
    description: 'Deletes an order; its touchpoints stay, unlinked.',
    args: { input: t.arg({ type: DeleteOrderInput, required: true }) },
    errors: mutationErrors('DeleteOrder', 'order'),
    resolve: (_root, { input }, ctx) => deleteOrderOrThrow(ctx.db, idOfOrThrow(String(input.id), 'Order')),
  }),
}));
