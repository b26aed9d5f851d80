import { inWriteTransaction } from '../../db/write-transaction.js';
import type { ScopedPrisma } from '../../db/workspace-scope.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { scheduleTriggeredInvitations } from '../surveys/invitation-scheduler.js';
import { parseOrThrow } from '../validation.js';
import { assertReferencesExist, findOrThrow, mapWriteErrorOrRethrow } from './references.js';
import { createTouchpointSchema, updateTouchpointSchema, upsertTouchpointSchema, type TouchpointFields } from './touchpoint.input.js';

function toData(fields: TouchpointFields) {
  const { attributes, ...rest } = fields;
  return { ...rest, ...(attributes === undefined ? {} : { attributes: attributes as Prisma.InputJsonObject }) };
}

function references(fields: TouchpointFields) {
  return [
    { field: 'customerId', entity: 'Customer' as const, id: fields.customerId },
    { field: 'orderId', entity: 'Order' as const, id: fields.orderId },
    { field: 'businessUnitId', entity: 'BusinessUnit' as const, id: fields.businessUnitId },
  ];
}

/**
 * Creates the touchpoint and, in the same transaction, the survey invitations it triggers (see
 * scheduleTriggeredInvitations): a touchpoint is never recorded without its invitations.
 */
export async function createTouchpoint(db: ScopedPrisma, input: unknown, now: Date) {
  const fields = parseOrThrow(createTouchpointSchema, input);
  await assertReferencesExist(db, references(fields));
  return inWriteTransaction(db, async ({ prisma: tx, conn }) => {
    const touchpoint = await tx.touchpoint.create({ data: toData(fields) as Prisma.TouchpointUncheckedCreateInput });
    await scheduleTriggeredInvitations(conn, touchpoint.workspaceId, { ids: [touchpoint.id] }, now);
    return touchpoint;
  }).catch((error: unknown) => mapWriteErrorOrRethrow(error, 'Touchpoint'));
}

export async function updateTouchpointOrThrow(db: ScopedPrisma, id: string, input: unknown) {
  const fields = parseOrThrow(updateTouchpointSchema, input);
  await findOrThrow(db.touchpoint.findFirst({ where: { id }, select: { id: true } }), 'Touchpoint', id);
  await assertReferencesExist(db, references(fields));
  return db.touchpoint.update({ where: { id }, data: toData(fields) }).catch((error: unknown) => mapWriteErrorOrRethrow(error, 'Touchpoint'));
}

export async function upsertTouchpointByExternalId(db: ScopedPrisma, input: unknown, now: Date) {
  const fields = parseOrThrow(upsertTouchpointSchema, input);
  await assertReferencesExist(db, references(fields));
  const data = toData(fields);
  return inWriteTransaction(db, async ({ prisma: tx, conn }) => {
    const touchpoint = await tx.touchpoint.upsert({
      where: { workspaceId_externalId: { workspaceId: '', externalId: fields.externalId } },
      create: data as Prisma.TouchpointUncheckedCreateInput,
      update: data,
    });
    // Idempotent: a retried upsert finds the invitations already there.
    await scheduleTriggeredInvitations(conn, touchpoint.workspaceId, { ids: [touchpoint.id] }, now);
    return touchpoint;
  }).catch((error: unknown) => mapWriteErrorOrRethrow(error, 'Touchpoint'));
}

export async function deleteTouchpointOrThrow(db: ScopedPrisma, id: string) {
  const existing = await findOrThrow(db.touchpoint.findFirst({ where: { id } }), 'Touchpoint', id);
  await db.touchpoint.delete({ where: { id } });
  return existing;
}
