import type { Prisma } from '../../generated/prisma/client.js';
import { findPage } from '../keyset.js';
import { listReads } from '../compiled-reads.js';
import { plannedConnection } from '../planned-reads/planned-list.js';
import { createCustomer, updateCustomerOrThrow, upsertCustomerByExternalId } from '../../core/customers/customer.service.js';
import { formatFullName } from '../../core/customers/format-name.js';
import { eraseCustomerOrThrow } from '../../core/customers/erasure.js';
import { builder, type InputFieldBuilder } from '../builder.js';
import { checkedMaxSize } from '../connection-size.js';
import { decodeInputIds, idOfOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';
import { JourneyPhaseEnum, SalutationEnum, SortDirectionEnum } from './enums.js';

export const CustomerRef = builder.prismaNode('Customer', {
  id: { field: 'id' },
  // Select mode: a customer loads only the columns its selected fields expose (not its free-form
  // attributes unless asked). Fields that read other columns declare them (see fullName).
  select: { id: true },
  // node(id) with a missing or foreign id resolves to null instead of failing.
  nullable: true,
  authScopes: { read: 'customers' },
  description: 'A customer of the workspace, with the name, contact, attributes and consent needed to approach them well.',
  fields: (t) => ({
    externalId: t.exposeString('externalId', { nullable: true, description: 'Id in the source system, unique per workspace.' }),
    firstName: t.exposeString('firstName', { nullable: true }),
    infix: t.exposeString('infix', { nullable: true, description: 'Name infix such as "van der", kept apart so it is never dropped.' }),
    lastName: t.exposeString('lastName', { nullable: true }),
    fullName: t.string({
      nullable: true,
      description: 'First name, infix and last name.',
      select: { firstName: true, infix: true, lastName: true },
      // A pure function of the selected columns: planned reads call it on the row (src/schema/planned-reads).
      extensions: { plannedRead: 'row' },
      resolve: (c) => formatFullName(c),
    }),
    salutation: t.expose('salutation', { type: SalutationEnum }),
    email: t.exposeString('email', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true }),
    locale: t.exposeString('locale', { nullable: true, description: 'Preferred language, for example nl or nl-BE.' }),
    ageBand: t.exposeString('ageBand', { nullable: true }),
    gender: t.exposeString('gender', { nullable: true }),
    incomeBand: t.exposeString('incomeBand', { nullable: true }),
    education: t.exposeString('education', { nullable: true }),
    maritalStatus: t.exposeString('maritalStatus', { nullable: true }),
    country: t.exposeString('country', { nullable: true, description: 'ISO 3166-1 alpha-2.' }),
    province: t.exposeString('province', { nullable: true }),
    city: t.exposeString('city', { nullable: true }),
    postcode: t.exposeString('postcode', { nullable: true }),
    devices: t.exposeStringList('devices'),
    apps: t.exposeStringList('apps'),
    attributes: t.expose('attributes', { type: 'JSONObject', description: 'Free-form attributes from the source system.' }),
    preferredChannel: t.exposeString('preferredChannel', { nullable: true, description: 'Survey channel code the customer prefers.' }),
    consentEmail: t.exposeBoolean('consentEmail'),
    consentSms: t.exposeBoolean('consentSms'),
    consentPhone: t.exposeBoolean('consentPhone'),
    consentSurveys: t.exposeBoolean('consentSurveys', { description: 'Whether the customer may be asked for feedback at all.' }),
    unsubscribedAt: t.expose('unsubscribedAt', { type: 'DateTime', nullable: true }),
    customerSince: t.expose('customerSince', { type: 'DateTime', description: 'Start of the relationship.' }),
    erasedAt: t.expose('erasedAt', { type: 'DateTime', nullable: true, description: 'When the person was erased: every personal field is empty; orders, scores and statuses stay for past figures.' }),
    churnedAt: t.expose('churnedAt', { type: 'DateTime', nullable: true, description: 'End of the relationship, when it ended.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    businessUnit: t.relation('businessUnit', { nullable: true }),
    orders: t.relatedConnection('orders', {
      cursor: 'id',
      totalCount: true,
      maxSize: checkedMaxSize,
      description: 'Orders, newest first.',
      query: () => ({ orderBy: [{ orderedAt: 'desc' }, { id: 'desc' }] }),
    }),
    touchpoints: t.relatedConnection('touchpoints', {
      cursor: 'id',
      totalCount: true,
      maxSize: checkedMaxSize,
      description: 'Touchpoints, newest first.',
      query: () => ({ orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }] }),
    }),
    invitations: t.relatedConnection('invitations', {
      cursor: 'id',
      totalCount: true,
      maxSize: checkedMaxSize,
      authScopes: { read: 'surveys' },
      description: 'Survey invitations to this customer (sent, skipped and why), newest first.',
      query: () => ({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    }),
    surveyResponses: t.relatedConnection('responses', {
      cursor: 'id',
      totalCount: true,
      maxSize: checkedMaxSize,
      authScopes: { read: 'surveys' },
      description: 'Survey responses of this customer, partial and complete, newest first.',
      query: () => ({ orderBy: [{ startedAt: 'desc' }, { id: 'desc' }] }),
    }),
  }),
});

const CustomerSortField = builder.enumType('CustomerSortField', { values: ['CREATED_AT', 'LAST_NAME', 'CUSTOMER_SINCE', 'UPDATED_AT'] as const });
const SORT_COLUMN = { CREATED_AT: 'createdAt', LAST_NAME: 'lastName', CUSTOMER_SINCE: 'customerSince', UPDATED_AT: 'updatedAt' } as const;

const CustomerOrderBy = builder.inputType('CustomerOrderBy', {
  fields: (t) => ({
    field: t.field({ type: CustomerSortField, required: true }),
    direction: t.field({ type: SortDirectionEnum, defaultValue: 'ASC' }),
  }),
});

const CustomerFilter = builder.inputType('CustomerFilter', {
  description: 'All given conditions must hold.',
  fields: (t) => ({
    search: t.string({ description: 'Matches name, email or external id (case-insensitive).' }),
    email: t.string(),
    externalIds: t.stringList(),
    businessUnitId: t.id(),
    country: t.string(),
    city: t.string(),
    locale: t.string(),
    customerSinceFrom: t.field({ type: 'DateTime' }),
    customerSinceTo: t.field({ type: 'DateTime' }),
    churned: t.boolean({ description: 'true: only customers whose relationship ended; false: only current customers.' }),
    hasTouchpointIn: t.field({ type: JourneyPhaseEnum, description: 'Customers with at least one touchpoint in this journey phase.' }),
  }),
});

type CustomerFilterShape = typeof CustomerFilter.$inferInput;

function customerWhere(filter: CustomerFilterShape | null | undefined): Prisma.CustomerWhereInput {
  if (!filter) return {};
  const search = filter.search?.trim();
  return {
    ...(search
      ? {
          OR: [
            { firstName: { contains: search, mode: 'insensitive' } },
            { lastName: { contains: search, mode: 'insensitive' } },
            { email: { contains: search, mode: 'insensitive' } },
            { externalId: search },
          ],
        }
      : {}),
    ...(filter.email ? { email: { equals: filter.email, mode: 'insensitive' } } : {}),
    ...(filter.externalIds ? { externalId: { in: filter.externalIds } } : {}),
    ...(filter.businessUnitId ? { businessUnitId: idOfOrThrow(String(filter.businessUnitId), 'BusinessUnit') } : {}),
    ...(filter.country ? { country: filter.country } : {}),
    ...(filter.city ? { city: { equals: filter.city, mode: 'insensitive' } } : {}),
    ...(filter.locale ? { locale: filter.locale } : {}),
    ...(filter.customerSinceFrom || filter.customerSinceTo
      ? { customerSince: { ...(filter.customerSinceFrom ? { gte: filter.customerSinceFrom } : {}), ...(filter.customerSinceTo ? { lt: filter.customerSinceTo } : {}) } }
      : {}),
    ...(filter.churned === true ? { churnedAt: { not: null } } : filter.churned === false ? { churnedAt: null } : {}),
    ...(filter.hasTouchpointIn ? { touchpoints: { some: { journeyPhase: filter.hasTouchpointIn } } } : {}),
  };
}

builder.queryFields((t) => ({
  customers: plannedConnection(t)({
    type: 'Customer',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'customers' },
    description: 'Customers matching the filter, in a stable order (keyset pagination: pass endCursor as after).',
    args: { filter: t.arg({ type: CustomerFilter }), orderBy: t.arg({ type: CustomerOrderBy }) },
    resolve: (query, _root, { filter, orderBy }, ctx) => {
      const direction = orderBy?.direction === 'DESC' ? 'desc' : 'asc';
      const column = SORT_COLUMN[orderBy?.field ?? 'CREATED_AT'];
      return findPage(listReads(ctx, 'customer'), query, { where: customerWhere(filter), orderBy: [{ [column]: direction }, { id: direction }] });
    },
    totalCount: (_root, { filter }, ctx) => ctx.db.customer.count({ where: customerWhere(filter) }),
  }),
  customerByExternalId: t.prismaField({
    type: 'Customer',
    nullable: true,
    authScopes: { read: 'customers' },
    description: 'The customer with this id from the source system.',
    args: { externalId: t.arg.string({ required: true }) },
    resolve: (query, _root, { externalId }, ctx) => ctx.db.customer.findFirst({ ...query, where: { externalId } }),
  }),
}));

function customerInputFields(t: InputFieldBuilder) {
  return {
    externalId: t.string({ description: 'Id in the source system, unique per workspace.' }),
    businessUnitId: t.id(),
    firstName: t.string(),
    infix: t.string({ description: 'Name infix such as "van der".' }),
    lastName: t.string(),
    salutation: t.field({ type: SalutationEnum }),
    email: t.string(),
    phone: t.string(),
    locale: t.string(),
    ageBand: t.string(),
    gender: t.string(),
    incomeBand: t.string(),
    education: t.string(),
    maritalStatus: t.string(),
    country: t.string(),
    province: t.string(),
    city: t.string(),
    postcode: t.string(),
    devices: t.stringList(),
    apps: t.stringList(),
    attributes: t.field({ type: 'JSONObject' }),
    preferredChannel: t.string(),
    consentEmail: t.boolean(),
    consentSms: t.boolean(),
    consentPhone: t.boolean(),
    consentSurveys: t.boolean(),
    unsubscribedAt: t.field({ type: 'DateTime' }),
    customerSince: t.field({ type: 'DateTime' }),
    churnedAt: t.field({ type: 'DateTime' }),
  };
}

const CreateCustomerInput = builder.inputType('CreateCustomerInput', { fields: customerInputFields });
const UpdateCustomerInput = builder.inputType('UpdateCustomerInput', {
  description: 'Fields left out are kept; null clears a field.',
  fields: (t) => ({ id: t.id({ required: true }), ...customerInputFields(t) }),
});
const UpsertCustomerInput = builder.inputType('UpsertCustomerInput', {
  fields: (t) => ({ ...customerInputFields(t), externalId: t.string({ required: true }) }),
});
const DeleteCustomerInput = builder.inputType('DeleteCustomerInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

const REFERENCES = { businessUnitId: 'BusinessUnit' };

builder.mutationFields((t) => ({
  createCustomer: t.field({
    type: CustomerRef,
    authScopes: { write: 'customers' },
    args: { input: t.arg({ type: CreateCustomerInput, required: true }) },
    errors: mutationErrors('CreateCustomer', 'customer'),
    resolve: (_root, { input }, ctx) => createCustomer(ctx.db, decodeInputIds(input, REFERENCES)),
  }),
  updateCustomer: t.field({
    type: CustomerRef,
    authScopes: { write: 'customers' },
    args: { input: t.arg({ type: UpdateCustomerInput, required: true }) },
    errors: mutationErrors('UpdateCustomer', 'customer'),
    resolve: (_root, { input: { id, ...patch } }, ctx) => updateCustomerOrThrow(ctx.db, idOfOrThrow(String(id), 'Customer'), decodeInputIds(patch, REFERENCES)),
  }),
  upsertCustomer: t.field({
    type: CustomerRef,
    authScopes: { write: 'customers' },
    description: 'Creates or updates the customer with this externalId; safe to retry.',
    args: { input: t.arg({ type: UpsertCustomerInput, required: true }) },
    errors: mutationErrors('UpsertCustomer', 'customer'),
    resolve: (_root, { input }, ctx) => upsertCustomerByExternalId(ctx.db, decodeInputIds(input, REFERENCES)),
  }),
  deleteCustomer: t.field({
    type: CustomerRef,
    authScopes: { write: 'customers' },
    description: 'Erases the person (the same as eraseCustomer) and returns the anonymous row that stays for past figures.',
    args: { input: t.arg({ type: DeleteCustomerInput, required: true }) },
    errors: mutationErrors('DeleteCustomer', 'customer'),
    resolve: async (_root, { input }, ctx) => {
      const id = idOfOrThrow(String(input.id), 'Customer');
      await eraseCustomerOrThrow(ctx.surveys.sql, ctx.viewer.workspaceId, id, { apiKeyId: ctx.viewer.apiKeyId }, ctx.surveys.clock.now());
      return ctx.db.customer.findFirstOrThrow({ where: { id } });
    },
  }),
}));
