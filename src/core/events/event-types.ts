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
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface NewEvent {
  workspaceId: string;
  type: EventType;
  subjectId: string | null;
  data: Record<string, unknown>;
  occurredAt: Date;
}
