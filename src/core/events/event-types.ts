import { ValidationError } from '../errors.js';

/** Every domain event the server emits, by name. Webhook subscriptions filter on these. */
export const EVENT_TYPES = [
  'response.started',
  'response.completed',
  'follow_up.created',
  'follow_up.changed',
  'review.created',
  'review.updated',
  'review.replied',
  'invitation.bounced',
  'segment.membership_changed',
  /** A person was erased: partners erase what they hold on them too. Carries the customer id only. */
  'customer.erased',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Checks a list of event types; unknown ones are a ValidationError on `path`. Null for none given. */
export function eventTypesOrThrow(types: readonly string[] | null | undefined, path: string[]): string[] | null {
  if (!types?.length) return null;
  const unknown = types.filter((type) => !(EVENT_TYPES as readonly string[]).includes(type));
  if (unknown.length) throw new ValidationError([{ path, message: `unknown event types: ${unknown.join(', ')}; known: ${EVENT_TYPES.join(', ')}` }]);
  return [...new Set(types)];
}

export interface NewEvent {
  workspaceId: string;
  type: EventType;
  subjectId: string | null;
  data: Record<string, unknown>;
  occurredAt: Date;
}
