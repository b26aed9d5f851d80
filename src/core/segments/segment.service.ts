import { globalId } from '../events/global-id.js';
import { recordEvents } from '../events/record-events.js';
import { inWriteTransaction } from '../../db/write-transaction.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import type { ScopedPrisma } from '../../db/workspace-scope.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { findOrThrow, mapWriteErrorOrRethrow } from '../commerce/references.js';
import { ValidationError, issuesFromZod } from '../errors.js';
import type { PluginRegistry } from '../plugin-sdk/registry.js';
import { parseOrThrow, text } from '../validation.js';
import { z } from 'zod';
import { db, run } from '../../db/kysely.js';
import { segmentMembersQuery } from './segmentation-query.js';
import { clearMatchingTable, createMatchingTable, enterMatched, fillMatchingTable, leaveUnmatched, lockSegmentRecompute, markRecomputed, matchingCount } from './segments.queries.js';

export const MAX_MEMBERS_PER_CALL = 10_000;
/** Customer ids listed per side in a segment.membership_changed event. */
const EVENT_ID_LIMIT = 1000;

const segmentSchema = z
  .object({
    name: text(200),
    description: text(1000).nullable().optional(),
    kind: z.enum(['STATIC', 'DYNAMIC']),
    modelCode: z.string().nullable().optional(),
    parameters: z.record(z.string(), z.json()).nullable().optional(),
  })
  .strict();

/** Validates a model code and its parameters against the model's schema; issues name the field. */
export function validatedParameters(registry: PluginRegistry, modelCode: string | null | undefined, parameters: unknown, prefix = ['input']) {
  if (!modelCode) throw new ValidationError([{ path: [...prefix, 'modelCode'], message: 'a dynamic segment needs a segmentation model' }]);
  if (!registry.segmentationModels.has(modelCode)) throw new ValidationError([{ path: [...prefix, 'modelCode'], message: `no segmentation model "${modelCode}" is installed` }]);
  const model = registry.segmentationModels.getByCodeOrThrow(modelCode);
  const parsed = model.settingsSchema.safeParse(parameters ?? {});
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error.issues, [...prefix, 'parameters']));
  return { model, parameters: parsed.data };
}

export async function createSegmentOrThrow(db: ScopedPrisma, registry: PluginRegistry, input: unknown) {
  const fields = parseOrThrow(segmentSchema, input);
  if (fields.kind === 'DYNAMIC') validatedParameters(registry, fields.modelCode, fields.parameters);
  else if (fields.modelCode) throw new ValidationError([{ path: ['input', 'modelCode'], message: 'a static segment has no model' }]);
  return db.segment
    .create({ data: { ...fields, modelCode: fields.modelCode ?? null, parameters: (fields.parameters ?? {}) as Prisma.InputJsonObject } as Prisma.SegmentUncheckedCreateInput })
    .catch((error: unknown) => mapWriteErrorOrRethrow(error, 'Segment'));
}

export async function updateSegmentOrThrow(
  db: ScopedPrisma,
  registry: PluginRegistry,
  id: string,
  input: { name?: string | null; description?: string | null; parameters?: Record<string, unknown> | null },
) {
  const segment = await findOrThrow(db.segment.findFirst({ where: { id } }), 'Segment', id);
  const data: Prisma.SegmentUpdateInput = {};
  if (input.name != null) data.name = parseOrThrow(text(200), input.name, ['input', 'name']);
  if (input.description !== undefined) data.description = input.description;
  if (input.parameters != null) {
    if (segment.kind !== 'DYNAMIC') throw new ValidationError([{ path: ['input', 'parameters'], message: 'a static segment has no parameters' }]);
    data.parameters = validatedParameters(registry, segment.modelCode, input.parameters).parameters as Prisma.InputJsonObject;
  }
  return db.segment.update({ where: { id }, data }).catch((error: unknown) => mapWriteErrorOrRethrow(error, 'Segment'));
}

export async function deleteSegmentOrThrow(db: ScopedPrisma, id: string) {
  const segment = await findOrThrow(db.segment.findFirst({ where: { id } }), 'Segment', id);
  await db.segment.delete({ where: { id } });
  return segment;
}

/** The ids of the customers a dynamic segment's model selects now, as one statement of the seam. */
export function modelMembers(registry: PluginRegistry, segment: { modelCode: string | null; parameters: unknown }, workspaceId: string, now: Date) {
  const { model, parameters } = validatedParameters(registry, segment.modelCode, segment.parameters, ['segment']);
  return segmentMembersQuery(model, parameters, workspaceId, now);
}

/**
 * Brings a dynamic segment's open memberships in line with its model, in one transaction: members
 * who no longer match leave (leftAt = now), new matches enter. History rows stay, so "who became a
 * detractor this quarter" is a query over enteredAt.
 */
export async function recomputeSegment(sql: SqlRunner, registry: PluginRegistry, segment: { id: string; workspaceId: string; kind: string; modelCode: string | null; parameters: unknown }, now: Date) {
  if (segment.kind !== 'DYNAMIC') throw new ValidationError([{ path: ['input', 'id'], message: 'only dynamic segments are recomputed; static ones change by hand' }]);
  const members = modelMembers(registry, segment, segment.workspaceId, now);
  return sql.transaction(async (conn) => {
    // One recompute per segment at a time; a second waits and then finds little to do.
    await run(conn, lockSegmentRecompute(segment.id));
    await run(conn, createMatchingTable());
    await run(conn, clearMatchingTable());
    await run(conn, fillMatchingTable(members));
    const left = await run(conn, leaveUnmatched(segment.workspaceId, segment.id, now, EVENT_ID_LIMIT));
    const entered = await run(conn, enterMatched(segment.workspaceId, segment.id, now, EVENT_ID_LIMIT));
    const [size] = await run(conn, matchingCount());
    await run(conn, markRecomputed(segment.id, now));
    if (entered[0]!.n + left[0]!.n > 0) {
      await recordEvents(conn, [
        {
          workspaceId: segment.workspaceId,
          type: 'segment.membership_changed',
          subjectId: globalId('Segment', segment.id),
          data: {
            segmentId: globalId('Segment', segment.id),
            members: size!.n,
            entered: entered[0]!.n,
            left: left[0]!.n,
            // The first ${EVENT_ID_LIMIT} of each; the segment's memberships connection has all of them.
            enteredCustomerIds: (entered[0]!.ids ?? []).map((id) => globalId('Customer', id)),
            leftCustomerIds: (left[0]!.ids ?? []).map((id) => globalId('Customer', id)),
          },
          occurredAt: now,
        },
      ]);
    }
    return { members: size!.n, entered: entered[0]!.n, left: left[0]!.n };
  });
}

/** Count and a sample of the customers a definition would hold, without saving anything. */
export async function previewSegment(sql: SqlRunner, registry: PluginRegistry, workspaceId: string, modelCode: string, parameters: unknown, now: Date, sampleSize = 10) {
  const members = modelMembers(registry, { modelCode, parameters }, workspaceId, now);
  return sql.session(async (conn) => {
    const [count] = await run(
      conn,
      db.selectFrom(members.as('m')).select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('n')),
    );
    const sample = await run(
      conn,
      members
        .orderBy('customer.createdAt')
        .orderBy('customer.id')
        .limit(Math.max(1, Math.min(100, sampleSize))),
    );
    return { count: count!.n, sampleIds: sample.map((row) => row.id) };
  });
}

/** Adds customers to a static segment (idempotent: members stay members). */
export async function addMembersOrThrow(db: ScopedPrisma, segmentId: string, customerIds: string[], now: Date) {
  const segment = await staticSegmentOrThrow(db, segmentId);
  await assertCustomers(db, customerIds);
  const open = await db.segmentMembership.findMany({ where: { segmentId, customerId: { in: customerIds }, leftAt: null }, select: { customerId: true } });
  const already = new Set(open.map((row) => row.customerId));
  const fresh = [...new Set(customerIds)].filter((id) => !already.has(id));
  if (fresh.length) {
    await inWriteTransaction(db, async ({ prisma, conn }) => {
      await prisma.segmentMembership.createMany({ data: fresh.map((customerId) => ({ segmentId, customerId, enteredAt: now })) as Prisma.SegmentMembershipCreateManyInput[], skipDuplicates: true });
      await recordEvents(conn, [staticChange(segment, fresh, [], now)]);
    });
  }
  return segment;
}

/** Removes customers from a static segment: their membership is closed, its history kept. */
export async function removeMembersOrThrow(db: ScopedPrisma, segmentId: string, customerIds: string[], now: Date) {
  const segment = await staticSegmentOrThrow(db, segmentId);
  const open = await db.segmentMembership.findMany({ where: { segmentId, customerId: { in: customerIds }, leftAt: null }, select: { customerId: true } });
  if (open.length) {
    await inWriteTransaction(db, async ({ prisma, conn }) => {
      await prisma.segmentMembership.updateMany({ where: { segmentId, customerId: { in: customerIds }, leftAt: null }, data: { leftAt: now } });
      await recordEvents(conn, [
        staticChange(
          segment,
          [],
          open.map((row) => row.customerId),
          now,
        ),
      ]);
    });
  }
  return segment;
}

function staticChange(segment: { id: string; workspaceId: string }, entered: string[], left: string[], now: Date) {
  return {
    workspaceId: segment.workspaceId,
    type: 'segment.membership_changed' as const,
    subjectId: globalId('Segment', segment.id),
    data: {
      segmentId: globalId('Segment', segment.id),
      entered: entered.length,
      left: left.length,
      enteredCustomerIds: entered.slice(0, EVENT_ID_LIMIT).map((id) => globalId('Customer', id)),
      leftCustomerIds: left.slice(0, EVENT_ID_LIMIT).map((id) => globalId('Customer', id)),
    },
    occurredAt: now,
  };
}

async function staticSegmentOrThrow(db: ScopedPrisma, id: string) {
  const segment = await findOrThrow(db.segment.findFirst({ where: { id } }), 'Segment', id);
  if (segment.kind !== 'STATIC') throw new ValidationError([{ path: ['input', 'segmentId'], message: 'members of a dynamic segment come from its model; recompute it instead' }]);
  return segment;
}

async function assertCustomers(db: ScopedPrisma, ids: string[]) {
  if (ids.length > MAX_MEMBERS_PER_CALL) throw new ValidationError([{ path: ['input', 'customerIds'], message: `at most ${MAX_MEMBERS_PER_CALL} customers per call` }]);
  const found = new Set((await db.customer.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((row) => row.id));
  const missing = ids.map((id, index) => ({ id, index })).filter(({ id }) => !found.has(id));
  if (missing.length) throw new ValidationError(missing.slice(0, 100).map(({ index }) => ({ path: ['input', 'customerIds', String(index)], message: 'no Customer with this id exists' })));
}
