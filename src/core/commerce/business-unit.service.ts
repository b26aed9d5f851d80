import type { ScopedPrisma } from '../../db/workspace-scope.js';
import { InUseError } from '../errors.js';
import { parseOrThrow } from '../validation.js';
import { createBusinessUnitSchema, updateBusinessUnitSchema, upsertBusinessUnitSchema } from './business-unit.input.js';
import { findOrThrow, mapWriteErrorOrRethrow } from './references.js';

export async function createBusinessUnit(db: ScopedPrisma, input: unknown) {
  const fields = parseOrThrow(createBusinessUnitSchema, input);
  return db.businessUnit.create({ data: { ...fields, workspaceId: '' } }).catch((error: unknown) => mapWriteErrorOrRethrow(error, 'BusinessUnit'));
}

export async function updateBusinessUnitOrThrow(db: ScopedPrisma, id: string, input: unknown) {
  const fields = parseOrThrow(updateBusinessUnitSchema, input);
  await findOrThrow(db.businessUnit.findFirst({ where: { id }, select: { id: true } }), 'BusinessUnit', id);
  return db.businessUnit.update({ where: { id }, data: fields }).catch((error: unknown) => mapWriteErrorOrRethrow(error, 'BusinessUnit'));
}

export async function upsertBusinessUnitByExternalId(db: ScopedPrisma, input: unknown) {
  const fields = parseOrThrow(upsertBusinessUnitSchema, input);
  return db.businessUnit
    .upsert({
      where: { workspaceId_externalId: { workspaceId: '', externalId: fields.externalId } },
      create: { ...fields, workspaceId: '' },
      update: fields,
    })
    .catch((error: unknown) => mapWriteErrorOrRethrow(error, 'BusinessUnit'));
}

/** Refuses while customers, orders or touchpoints still refer to the unit. */
export async function deleteBusinessUnitOrThrow(db: ScopedPrisma, id: string) {
  const existing = await findOrThrow(db.businessUnit.findFirst({ where: { id } }), 'BusinessUnit', id);
  const [customers, orders, touchpoints] = await Promise.all([
    db.customer.count({ where: { businessUnitId: id } }),
    db.order.count({ where: { businessUnitId: id } }),
    db.touchpoint.count({ where: { businessUnitId: id } }),
  ]);
  if (customers + orders + touchpoints > 0) {
    throw new InUseError('BusinessUnit', `Business unit is still used by ${customers} customer(s), ${orders} order(s) and ${touchpoints} touchpoint(s)`);
  }
  await db.businessUnit.delete({ where: { id } });
  return existing;
}
