import { randomBytes } from 'node:crypto';
import type { ScopedPrisma } from '../../db/workspace-scope.js';
import { findOrThrow } from '../commerce/references.js';
import { ValidationError } from '../errors.js';
import { webhookUrlProblem } from '../events/address-guard.js';
import { eventTypesOrThrow } from '../events/event-types.js';

export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

function checkedUrl(url: string, allowLoopback: boolean): string {
  const problem = webhookUrlProblem(url, allowLoopback);
  if (problem) throw new ValidationError([{ path: ['input', 'url'], message: problem }]);
  return url;
}

const checkedTypes = (types: readonly string[] | null | undefined) => eventTypesOrThrow(types, ['input', 'eventTypes']) ?? [];

export async function createWebhookSubscriptionOrThrow(db: ScopedPrisma, input: { url: string; eventTypes?: string[] | null; description?: string | null }, allowLoopback: boolean) {
  const secret = newWebhookSecret();
  const subscription = await db.webhookSubscription.create({
    data: { url: checkedUrl(input.url, allowLoopback), eventTypes: checkedTypes(input.eventTypes), secrets: [secret], description: input.description ?? null } as never,
  });
  return { subscription, secret };
}

/**
 * Changes a subscription. `rotateSecret` adds a new secret and keeps signing with the old ones too
 * until `retireOldSecrets`, so the receiver can switch without rejecting a delivery.
 */
export async function updateWebhookSubscriptionOrThrow(
  db: ScopedPrisma,
  id: string,
  input: { url?: string | null; eventTypes?: string[] | null; description?: string | null; enabled?: boolean | null; rotateSecret?: boolean | null; retireOldSecrets?: boolean | null },
  allowLoopback: boolean,
) {
  const current = await findOrThrow(db.webhookSubscription.findFirst({ where: { id } }), 'WebhookSubscription', id);
  let secrets = current.secrets;
  let secret: string | null = null;
  if (input.rotateSecret) {
    secret = newWebhookSecret();
    secrets = [secret, ...secrets].slice(0, 3);
  }
  if (input.retireOldSecrets) secrets = secrets.slice(0, 1);
  const subscription = await db.webhookSubscription.update({
    where: { id },
    data: {
      ...(input.url != null ? { url: checkedUrl(input.url, allowLoopback) } : {}),
      ...(input.eventTypes != null ? { eventTypes: checkedTypes(input.eventTypes) } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.enabled === true ? { status: 'ACTIVE', disabledReason: null } : {}),
      ...(input.enabled === false ? { status: 'DISABLED', disabledReason: 'Disabled by the workspace' } : {}),
      secrets,
    },
  });
  return { subscription, secret };
}

/** Sends a delivery again now, whatever became of it (a dead-lettered one included); same webhook-id. */
export async function replayDeliveryOrThrow(db: ScopedPrisma, id: string, now: Date) {
  await findOrThrow(db.webhookDelivery.findFirst({ where: { id } }), 'WebhookDelivery', id);
  return db.webhookDelivery.update({ where: { id }, data: { status: 'PENDING', nextAttemptAt: now, lockedUntil: null, attempts: 0, lastError: null } });
}
