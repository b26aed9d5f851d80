import { inWriteTransaction } from '../../db/write-transaction.js';
import type { ScopedPrisma } from '../../db/workspace-scope.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { parseOrThrow } from '../validation.js';
import { createOrderSchema, updateOrderSchema, upsertOrderSchema, type OrderFields } from './order.input.js';
import { assertReferencesExist, findOrThrow, mapWriteErrorOrRethrow } from './references.js';

function toData(fields: OrderFields) {
  const { lines, ...rest } = fields;
  return { ...rest, ...(lines === undefined ? {} : { lines: lines as unknown as Prisma.InputJsonArray }) };
}

function references(fields: OrderFields) {
  return [
    { field: 'customerId', entity: 'Customer' as const, id: fields.customerId },
    { field: 'businessUnitId', entity: 'BusinessUnit' as const, id: fields.businessUnitId },
  ];
}

export async function createOrder(db: ScopedPrisma, input: unknown) {
  const fields = parseOrThrow(createOrderSchema, input);
  await assertReferencesExist(db, references(fields));
  return db.order.create({ data: toData(fields) as Prisma.OrderUncheckedCreateInput }).catch((error: unknown) => mapWriteErrorOrRethrow(error, 'Order'));
}

export async function updateOrderOrThrow(db: ScopedPrisma, id: string, input: unknown) {
  const fields = parseOrThrow(updateOrderSchema, input);
  await findOrThrow(db.order.findFirst({ where: { id }, select: { id: true } }), 'Order', id);
  await assertReferencesExist(db, references(fields));
  return db.order.update({ where: { id }, data: toData(fields) }).catch((error: unknown) => mapWriteErrorOrRethrow(error, 'Order'));
}

export async function upsertOrderByExternalId(db: ScopedPrisma, input: unknown) {
  const fields = parseOrThrow(upsertOrderSchema, input);
  await assertReferencesExist(db, references(fields));
  const data = toData(fields);
  return db.order
    .upsert({
      where: { workspaceId_externalId: { workspaceId: '', externalId: fields.externalId } },
      create: data as Prisma.OrderUncheckedCreateInput,
      update: data,
    })
    .catch((error: unknown) => mapWriteErrorOrRethrow(error, 'Order'));
}

/** Deletes an order; touchpoints that pointed at it keep existing without the link. */
export async function deleteOrderOrThrow(db: ScopedPrisma, id: string) {
  const existing = await findOrThrow(db.order.findFirst({ where: { id } }), 'Order', id);
  await inWriteTransaction(db, async ({ prisma }) => {
    await prisma.touchpoint.updateMany({ where: { orderId: id }, data: { orderId: null } });
    await prisma.order.delete({ where: { id } });
  });
  return existing;
}
