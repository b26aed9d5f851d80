import type { ScopedPrisma } from '../../db/workspace-scope.js';
import { Prisma } from '../../generated/prisma/client.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../errors.js';

type Referenced = 'BusinessUnit' | 'Customer' | 'Order';

/**
 * Checks that ids given in an input point at rows of the caller's workspace. An id of another
 * workspace reads exactly like an id that does not exist.
 */
export async function assertReferencesExist(db: ScopedPrisma, refs: Array<{ field: string; entity: Referenced; id: string | null | undefined }>): Promise<void> {
  const issues: FieldIssue[] = [];
  for (const ref of refs) {
    if (!ref.id) continue;
    const where = { where: { id: ref.id }, select: { id: true } };
    const found = ref.entity === 'BusinessUnit' ? await db.businessUnit.findFirst(where) : ref.entity === 'Customer' ? await db.customer.findFirst(where) : await db.order.findFirst(where);
    if (!found) issues.push({ path: ['input', ref.field], message: `no ${ref.entity} with this id exists` });
  }
  if (issues.length > 0) throw new ValidationError(issues);
}

/**
 * Whether an error is a unique violation: Prisma's P2002, or the raw PostgreSQL 23505 that the
 * PGlite adapter passes through as a DriverAdapterError.
 */
function uniqueViolationText(error: unknown): string | null {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return JSON.stringify(error.meta ?? {}) + error.message;
  if (error instanceof Error && error.name === 'DriverAdapterError') {
    const cause = (error as Error & { cause?: { code?: string; message?: string; detail?: string } }).cause;
    if (cause?.code === '23505') return `${cause.message ?? ''} ${cause.detail ?? ''}`;
  }
  return null;
}

/** Turns a unique-constraint violation into a ConflictError naming the field. */
export function mapWriteErrorOrRethrow(error: unknown, entity: string): never {
  const text = uniqueViolationText(error);
  if (text !== null) {
    const field = text.includes('externalId') ? 'externalId' : text.includes('name') ? 'name' : 'id';
    throw new ConflictError(field, `Another ${entity} in this workspace already has this ${field}`);
  }
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') {
    throw new NotFoundError(entity, 'requested');
  }
  throw error;
}

export async function findOrThrow<T>(lookup: Promise<T | null>, entity: string, id: string): Promise<T> {
  const row = await lookup;
  if (!row) throw new NotFoundError(entity, id);
  return row;
}
