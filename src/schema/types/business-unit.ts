import { findPage } from '../keyset.js';
import { listReads } from '../compiled-reads.js';
import { plannedConnection } from '../planned-reads/planned-list.js';
import { createBusinessUnit, deleteBusinessUnitOrThrow, updateBusinessUnitOrThrow, upsertBusinessUnitByExternalId } from '../../core/commerce/business-unit.service.js';
import { builder, type InputFieldBuilder } from '../builder.js';
import { idOfOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';
import { checkedMaxSize } from '../connection-size.js';

export const BusinessUnitRef = builder.prismaNode('BusinessUnit', {
  id: { field: 'id' },
  // node(id) with a missing or foreign id resolves to null instead of failing.
  nullable: true,
  authScopes: { read: 'customers' },
  description: 'A team, brand or shop of the workspace; scores can be compared between units.',
  fields: (t) => ({
    externalId: t.exposeString('externalId', { nullable: true }),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryField('businessUnits', (t) =>
  plannedConnection(t)({
    type: 'BusinessUnit',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'customers' },
    description: 'Business units, by name.',
    resolve: (query, _root, _args, ctx) => findPage(listReads(ctx, 'businessUnit'), query, { orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    totalCount: (_root, _args, ctx) => ctx.db.businessUnit.count(),
  }),
);

const fields = (t: InputFieldBuilder) => ({
  externalId: t.string({ required: false, description: 'Id in the source system, unique per workspace.' }),
  name: t.string({ required: false }),
});

const CreateBusinessUnitInput = builder.inputType('CreateBusinessUnitInput', { fields: (t) => ({ ...fields(t), name: t.string({ required: true }) }) });
const UpdateBusinessUnitInput = builder.inputType('UpdateBusinessUnitInput', { fields: (t) => ({ id: t.id({ required: true }), ...fields(t) }) });
const UpsertBusinessUnitInput = builder.inputType('UpsertBusinessUnitInput', {
  fields: (t) => ({ ...fields(t), externalId: t.string({ required: true }), name: t.string({ required: true }) }),
});
const DeleteInput = builder.inputType('DeleteBusinessUnitInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

builder.mutationFields((t) => ({
  createBusinessUnit: t.field({
    type: BusinessUnitRef,
    authScopes: { write: 'customers' },
    args: { input: t.arg({ type: CreateBusinessUnitInput, required: true }) },
    errors: mutationErrors('CreateBusinessUnit', 'businessUnit'),
    resolve: (_root, { input }, ctx) => createBusinessUnit(ctx.db, input),
  }),
  updateBusinessUnit: t.field({
    type: BusinessUnitRef,
    authScopes: { write: 'customers' },
    args: { input: t.arg({ type: UpdateBusinessUnitInput, required: true }) },
    errors: mutationErrors('UpdateBusinessUnit', 'businessUnit'),
    resolve: (_root, { input: { id, ...patch } }, ctx) => updateBusinessUnitOrThrow(ctx.db, idOfOrThrow(String(id), 'BusinessUnit'), patch),
  }),
  upsertBusinessUnit: t.field({
    type: BusinessUnitRef,
    authScopes: { write: 'customers' },
    description: 'Creates or updates the business unit with this externalId.',
    args: { input: t.arg({ type: UpsertBusinessUnitInput, required: true }) },
    errors: mutationErrors('UpsertBusinessUnit', 'businessUnit'),
    resolve: (_root, { input }, ctx) => upsertBusinessUnitByExternalId(ctx.db, input),
  }),
  deleteBusinessUnit: t.field({
    type: BusinessUnitRef,
    authScopes: { write: 'customers' },
    description: 'Deletes a business unit that nothing refers to any more.',
    args: { input: t.arg({ type: DeleteInput, required: true }) },
    errors: mutationErrors('DeleteBusinessUnit', 'businessUnit'),
    resolve: (_root, { input }, ctx) => deleteBusinessUnitOrThrow(ctx.db, idOfOrThrow(String(input.id), 'BusinessUnit')),
  }),
}));
