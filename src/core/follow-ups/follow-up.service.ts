import type { ScopedPrisma } from '../../db/workspace-scope.js';
import type { FollowUp, Prisma } from '../../generated/prisma/client.js';
import { findOrThrow } from '../commerce/references.js';
import { ValidationError } from '../errors.js';
import { globalId } from '../events/global-id.js';
import type { NewEvent } from '../events/event-types.js';
import { recordEvents } from '../events/record-events.js';
import { inWriteTransaction } from '../../db/write-transaction.js';
import type { PluginRegistry } from '../plugin-sdk/registry.js';
import { sendDirectMessage } from '../surveys/channel-settings.service.js';
import { workspaceBrand } from '../workspaces/workspace.service.js';
import { formatFullName } from '../customers/format-name.js';
import { parseOrThrow, text } from '../validation.js';
import { z } from 'zod';

const STATUSES = ['OPEN', 'IN_PROGRESS', 'WAITING_FOR_CUSTOMER', 'DONE'] as const;
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;

const patchSchema = z
  .object({
    status: z.enum(STATUSES).nullish(),
    priority: z.enum(PRIORITIES).nullish(),
    ownerName: text(200).nullish(),
    ownerEmail: z.email().nullish(),
    dueAt: z.date().nullish(),
  })
  .strict();

function changedEvent(followUp: FollowUp, changes: Record<string, unknown>, now: Date): NewEvent {
  return {
    workspaceId: followUp.workspaceId,
    type: 'follow_up.changed',
    subjectId: globalId('FollowUp', followUp.id),
    data: { followUpId: globalId('FollowUp', followUp.id), status: followUp.status, changes },
    occurredAt: now,
  };
}

/** Moves a follow-up on the board or reassigns it; the change and its event commit together. */
export async function updateFollowUpOrThrow(db: ScopedPrisma, id: string, input: unknown, now: Date, memberId: string | null = null) {
  const patch = parseOrThrow(patchSchema, input);
  const current = await findOrThrow(db.followUp.findFirst({ where: { id } }), 'FollowUp', id);
  const data: Prisma.FollowUpUpdateInput = {};
  const changes: Record<string, unknown> = {};
  for (const key of ['status', 'priority', 'ownerName', 'ownerEmail', 'dueAt'] as const) {
    const value = patch[key];
    if (value != null && value !== current[key]) {
      (data as Record<string, unknown>)[key] = value;
      changes[key] = value;
    }
  }
  if (patch.status === 'DONE' && current.status !== 'DONE') data.doneAt = now;
  if (patch.status && patch.status !== 'DONE' && current.status === 'DONE') data.doneAt = null;
  if (Object.keys(changes).length === 0) return current;
  if (memberId) (data as Record<string, unknown>).actedByMemberId = memberId;
  return inWriteTransaction(db, async ({ prisma, conn }) => {
    const updated = await prisma.followUp.update({ where: { id }, data });
    await recordEvents(conn, [changedEvent({ ...current, ...(data as object) } as FollowUp, changes, now)]);
    return updated;
  });
}

export async function addFollowUpNoteOrThrow(db: ScopedPrisma, id: string, input: { author: string; text: string }, now: Date, memberId: string | null = null) {
  const followUp = await findOrThrow(db.followUp.findFirst({ where: { id } }), 'FollowUp', id);
  const author = parseOrThrow(text(200), input.author, ['input', 'author']);
  const note = parseOrThrow(text(10_000), input.text, ['input', 'text']);
  return inWriteTransaction(db, async ({ prisma, conn }) => {
    await prisma.followUpNote.create({ data: { followUpId: id, author, text: note, createdAt: now, memberId } as never });
    const updated = await prisma.followUp.update({ where: { id }, data: { updatedAt: now, ...(memberId ? { actedByMemberId: memberId } : {}) } as never });
    await recordEvents(conn, [changedEvent(followUp, { note: true }, now)]);
    return updated;
  });
}

/**
 * Closes the loop: writes to the customer about their feedback through a channel that can send a
 * personal message (email), records the message as a note and the contact time, and moves the
 * follow-up (default: waiting for the customer). Nothing is recorded when the message fails.
 */
export async function closeLoopWithCustomerOrThrow(
  db: ScopedPrisma,
  registry: PluginRegistry,
  id: string,
  input: { subject: string; message: string; author: string; status?: (typeof STATUSES)[number] | null; channel?: string | null },
  now: Date,
  memberId: string | null = null,
) {
  const followUp = await findOrThrow(db.followUp.findFirst({ where: { id } }), 'FollowUp', id);
  if (!followUp.customerId) throw new ValidationError([{ path: ['input', 'id'], message: 'this follow-up has no known customer to write to' }]);
  const customer = await db.customer.findFirstOrThrow({ where: { id: followUp.customerId } });
  const code = input.channel ?? 'email';
  const subject = parseOrThrow(text(300), input.subject, ['input', 'subject']);
  const message = parseOrThrow(text(20_000), input.message, ['input', 'message']);
  const name = formatFullName(customer);
  const brand = await workspaceBrand(db, followUp.workspaceId);
  const result = await sendDirectMessage(
    db as never,
    registry,
    followUp.workspaceId,
    {
      locale: customer.locale ?? 'nl',
      brand,
      recipient: { name, email: customer.email, phone: customer.phone },
      subject,
      text: message,
      replyTo: followUp.ownerEmail,
      reference: globalId('FollowUp', followUp.id),
    },
    { customer, purpose: 'PERSONAL_REPLY', now },
    code,
  );
  if (!result.ok && (result.failure === 'NO_CHANNEL' || result.failure === 'NO_CONSENT')) throw new ValidationError([{ path: ['input', 'channel'], message: result.message }]);
  if (!result.ok) throw new ValidationError([{ path: ['input', 'message'], message: `the message could not be sent (${result.failure}): ${result.message}` }]);
  const status = input.status ?? 'WAITING_FOR_CUSTOMER';
  const author = parseOrThrow(text(200), input.author, ['input', 'author']);
  return inWriteTransaction(db, async ({ prisma, conn }) => {
    const updated = await prisma.followUp.update({
      where: { id },
      data: { customerContactedAt: now, status, ...(status === 'DONE' && followUp.status !== 'DONE' ? { doneAt: now } : {}), ...(memberId ? { actedByMemberId: memberId } : {}) } as never,
    });
    await prisma.followUpNote.create({ data: { followUpId: id, author, text: `Wrote to the customer (${code}): ${subject}\n\n${message}`, createdAt: now, memberId } as never });
    await recordEvents(conn, [changedEvent({ ...followUp, status }, { status, customerContacted: true }, now)]);
    return updated;
  });
}

export async function setFollowUpRuleOrThrow(db: ScopedPrisma, input: { surveyId?: string | null; questionId?: string | null; scoreMax: number }) {
  if (!input.surveyId && !input.questionId) throw new ValidationError([{ path: ['input', 'surveyId'], message: 'name a survey or a question' }]);
  if (!Number.isInteger(input.scoreMax) || input.scoreMax < 0 || input.scoreMax > 10) throw new ValidationError([{ path: ['input', 'scoreMax'], message: 'must be a whole score from 0 to 10' }]);
  let surveyId = input.surveyId ?? null;
  if (input.questionId) {
    const question = await db.question.findFirst({ where: { id: input.questionId } });
    if (!question) throw new ValidationError([{ path: ['input', 'questionId'], message: 'no such question' }]);
    surveyId = null;
  } else if (!(await db.survey.findFirst({ where: { id: surveyId! } }))) {
    throw new ValidationError([{ path: ['input', 'surveyId'], message: 'no such survey' }]);
  }
  const where = { surveyId, questionId: input.questionId ?? null };
  const existing = await db.followUpRule.findFirst({ where });
  if (existing) return db.followUpRule.update({ where: { id: existing.id }, data: { scoreMax: input.scoreMax } });
  return db.followUpRule.create({ data: { ...where, scoreMax: input.scoreMax } as never });
}
