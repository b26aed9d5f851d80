import type { ScopedPrisma } from '../../db/workspace-scope.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { assertReferencesExist, findOrThrow, mapWriteErrorOrRethrow } from '../commerce/references.js';
import { ValidationError } from '../errors.js';
import { parseOrThrow } from '../validation.js';
import { createCustomerSchema, updateCustomerSchema, upsertCustomerSchema, type CustomerFields } from './customer.input.js';

function toData(fields: CustomerFields) {
  const { attributes, ...rest } = fields;
  return { ...rest, ...(attributes === undefined ? {} : { attributes: attributes as Prisma.InputJsonObject }) };
}

export async function createCustomer(db: ScopedPrisma, input: unknown) {
  const fields = parseOrThrow(createCustomerSchema, input);
  await assertReferencesExist(db, [{ field: 'businessUnitId', entity: 'BusinessUnit', id: fields.businessUnitId }]);
  // workspaceId is added by the scoped client.
  return db.customer.create({ data: toData(fields) as Prisma.CustomerUncheckedCreateInput }).catch((error: unknown) => mapWriteErrorOrRethrow(error, 'Customer'));
}

export async function updateCustomerOrThrow(db: ScopedPrisma, id: string, input: unknown) {
  const fields = parseOrThrow(updateCustomerSchema, input);
  // An erased person stays erased: their anonymous row cannot be filled in again.
  const existing = await findOrThrow(db.customer.findFirst({ where: { id, erasedAt: null } }), 'Customer', id);
  const since = fields.customerSince ?? existing.customerSince;
  const churned = fields.churnedAt === undefined ? existing.churnedAt : fields.churnedAt;
  if (churned && churned < since) {
    throw new ValidationError([{ path: ['input', 'churnedAt'], message: 'must not be before customerSince' }]);
  }
  await assertReferencesExist(db, [{ field: 'businessUnitId', entity: 'BusinessUnit', id: fields.businessUnitId }]);
  return db.customer.update({ where: { id }, data: toData(fields) }).catch((error: unknown) => mapWriteErrorOrRethrow(error, 'Customer'));
}

/** Creates or updates the customer with this external id; safe to retry. */
export async function upsertCustomerByExternalId(db: ScopedPrisma, input: unknown) {
  const fields = parseOrThrow(upsertCustomerSchema, input);
  await assertReferencesExist(db, [{ field: 'businessUnitId', entity: 'BusinessUnit', id: fields.businessUnitId }]);
  const data = toData(fields);
  return db.customer
    .upsert({
      where: { workspaceId_externalId: { workspaceId: '', externalId: fields.externalId } },
      create: data as Prisma.CustomerUncheckedCreateInput,
      update: data,
    })
    .catch((error: unknown) => mapWriteErrorOrRethrow(error, 'Customer'));
}
