import { z } from 'zod';
import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import type { ScopedPrisma } from '../../db/workspace-scope.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { findOrThrow } from '../commerce/references.js';
import { ValidationError } from '../errors.js';
import { parseOrThrow, text } from '../validation.js';
import { publishedActions, type YouSaidWeDid } from './actions.queries.js';

export type { YouSaidWeDid };

/** Priority from impact and effort (each 1-5): impact x (6 - effort), 1-25. Big wins that cost little come first. */
export const actionPriority = (impact: number, effort: number) => impact * (6 - effort);

const score = z.number().int().min(1, 'must be 1 to 5').max(5, 'must be 1 to 5');
const publicTextsSchema = z.record(z.string().regex(/^[a-z]{2}$/, 'keys are two-letter locales'), z.object({ said: text(300), did: text(1000) }).strict());

const createSchema = z
  .object({
    title: text(200),
    description: text(5000).nullish(),
    impact: score,
    effort: score,
    ownerName: text(200).nullish(),
    ownerEmail: z.email().nullish(),
    publicTexts: publicTextsSchema.nullish(),
  })
  .strict();
const updateSchema = createSchema
  .partial()
  .extend({ status: z.enum(['PROPOSED', 'PLANNED', 'IN_PROGRESS', 'DONE', 'DROPPED']).nullish() })
  .strict();

export async function createActionOrThrow(db: ScopedPrisma, input: unknown, memberId: string | null = null) {
  const fields = parseOrThrow(createSchema, input);
  return db.improvementAction.create({
    data: { ...fields, actedByMemberId: memberId, publicTexts: (fields.publicTexts ?? {}) as Prisma.InputJsonObject, priority: actionPriority(fields.impact, fields.effort) } as never,
  });
}

export async function updateActionOrThrow(db: ScopedPrisma, id: string, input: unknown, now: Date, memberId: string | null = null) {
  const patch = parseOrThrow(updateSchema, input);
  const current = await findOrThrow(db.improvementAction.findFirst({ where: { id } }), 'ImprovementAction', id);
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined && !(value === null && ['title', 'impact', 'effort', 'status'].includes(key))) data[key] = value;
  const impact = patch.impact ?? current.impact;
  const effort = patch.effort ?? current.effort;
  data.priority = actionPriority(impact, effort);
  if (memberId) data.actedByMemberId = memberId;
  if (patch.status === 'DONE' && current.status !== 'DONE') data.doneAt = now;
  if (patch.status && patch.status !== 'DONE') {
    data.doneAt = null;
    data.publishedAt = null;
  }
  return db.improvementAction.update({ where: { id }, data: data as Prisma.ImprovementActionUpdateInput });
}

/** Links feedback (follow-ups) to an action; linking twice changes nothing. */
export async function linkFeedbackOrThrow(db: ScopedPrisma, actionId: string, followUpIds: string[]) {
  await findOrThrow(db.improvementAction.findFirst({ where: { id: actionId } }), 'ImprovementAction', actionId);
  const found = await db.followUp.findMany({ where: { id: { in: followUpIds } }, select: { id: true } });
  const missing = followUpIds.filter((id) => !found.some((row) => row.id === id));
  if (missing.length) throw new ValidationError(missing.map((id) => ({ path: ['input', 'followUpIds', String(followUpIds.indexOf(id))], message: 'no such follow-up' })));
  await db.improvementActionFeedback.createMany({ data: followUpIds.map((followUpId) => ({ actionId, followUpId })) as never, skipDuplicates: true });
  return db.improvementAction.findFirstOrThrow({ where: { id: actionId } });
}

/** Shows a done action to customers ("you said, we did"); it needs its public text. */
export async function publishActionOrThrow(db: ScopedPrisma, id: string, publish: boolean, now: Date, memberId: string | null = null) {
  const action = await findOrThrow(db.improvementAction.findFirst({ where: { id } }), 'ImprovementAction', id);
  if (publish && action.status !== 'DONE') throw new ValidationError([{ path: ['input', 'id'], message: 'only a done action can be published' }]);
  if (publish && Object.keys((action.publicTexts as object) ?? {}).length === 0)
    throw new ValidationError([{ path: ['input', 'publicTexts'], message: 'write what customers said and what was done (publicTexts) first' }]);
  return db.improvementAction.update({ where: { id }, data: { publishedAt: publish ? now : null, ...(memberId ? { actedByMemberId: memberId } : {}) } as never });
}

/** Published actions in the customer's language (else any), newest first: what the thank-you page shows. */
export async function youSaidWeDid(sql: SqlRunner, workspaceId: string, locale: string, limit = 3): Promise<YouSaidWeDid[]> {
  const language = locale.slice(0, 2).toLowerCase();
  return sql.session((conn) => run(conn, publishedActions(workspaceId, language, limit)));
}
