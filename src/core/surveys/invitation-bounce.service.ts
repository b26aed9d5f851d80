import type { ScopedPrisma } from '../../db/workspace-scope.js';
import { inWriteTransaction } from '../../db/write-transaction.js';
import { NotFoundError } from '../errors.js';
import type { NewEvent } from '../events/event-types.js';
import { globalId } from '../events/global-id.js';
import { recordEvents } from '../events/record-events.js';

function bounceEvent(invitation: { id: string; workspaceId: string; surveyId: string; customerId: string; channel: string | null }, reason: string, now: Date): NewEvent {
  return {
    workspaceId: invitation.workspaceId,
    type: 'invitation.bounced',
    subjectId: globalId('Invitation', invitation.id),
    data: {
      invitationId: globalId('Invitation', invitation.id),
      surveyId: globalId('Survey', invitation.surveyId),
      customerId: globalId('Customer', invitation.customerId),
      channel: invitation.channel,
      reason: reason.slice(0, 500),
    },
    occurredAt: now,
  };
}

/**
 * Records that a channel reported an invitation as undeliverable (by id or by the provider's
 * message id). A completed invitation stays completed; the first bounce raises
 * `invitation.bounced` in the same transaction, a repeat only updates the reason. `shownAs` is the
 * reference the caller gave, named in the not-found error.
 */
export async function recordInvitationBounceOrThrow(db: ScopedPrisma, where: { id: string } | { providerMessageId: string }, reason: string, now: Date, shownAs: string) {
  const invitation = await db.invitation.findFirst({ where });
  if (!invitation) throw new NotFoundError('Invitation', shownAs);
  const data = { status: invitation.status === 'COMPLETED' ? ('COMPLETED' as const) : ('BOUNCED' as const), bouncedAt: now, failureMessage: reason.slice(0, 1000) };
  if (invitation.status === 'COMPLETED' || invitation.status === 'BOUNCED') return db.invitation.update({ where: { id: invitation.id }, data });
  return inWriteTransaction(db, async ({ prisma, conn }) => {
    const updated = await prisma.invitation.update({ where: { id: invitation.id }, data });
    await recordEvents(conn, [bounceEvent(invitation, reason, now)]);
    return updated;
  });
}
