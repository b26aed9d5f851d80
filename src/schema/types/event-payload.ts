import type { EventType } from '../../core/events/event-types.js';
import { builder } from '../builder.js';
import { FollowUpPriorityEnum, FollowUpStatusEnum } from './follow-up.js';

/** An event's stored data; ids in it are GraphQL global ids. Erasure may have removed personal values. */
type Data = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' ? value : typeof value === 'string' && value !== '' && Number.isFinite(Number(value)) ? Number(value) : null);
const ids = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
const date = (value: unknown): Date | null => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value) : null);
/** The id the event is about: present on every event of its kind. */
const required = (value: unknown): string => (typeof value === 'string' ? value : '');

const ResponseEventFields = {
  surveyId: 'The survey.',
  invitationId: 'The invitation answered.',
  customerId: 'The customer, when known.',
} as const;

function responseEvent(name: string, description: string) {
  return builder.objectRef<Data>(name).implement({
    description,
    fields: (t) => ({
      responseId: t.id({ resolve: (data) => required(data.responseId) }),
      ...Object.fromEntries(Object.entries(ResponseEventFields).map(([field, help]) => [field, t.id({ nullable: true, description: help, resolve: (data) => text(data[field]) })])),
      channel: t.string({ nullable: true, description: 'The survey channel code.', resolve: (data) => text(data.channel) }),
    }),
  });
}

function reviewEvent(name: string, description: string) {
  return builder.objectRef<Data>(name).implement({
    description,
    fields: (t) => ({
      reviewId: t.id({ resolve: (data) => required(data.reviewId) }),
      sourceId: t.id({ nullable: true, description: 'The review source it came from.', resolve: (data) => text(data.sourceId) }),
      platformCode: t.string({ nullable: true, resolve: (data) => text(data.platformCode) }),
      externalId: t.string({ nullable: true, description: "The review's id on the platform.", resolve: (data) => text(data.externalId) }),
      rating: t.float({ nullable: true, description: "On the platform's own scale.", resolve: (data) => num(data.rating) }),
      stars: t.float({ nullable: true, description: 'Normalised to 1-5.', resolve: (data) => num(data.stars) }),
      customerId: t.id({ nullable: true, description: 'The linked customer, when known.', resolve: (data) => text(data.customerId) }),
      deleted: t.boolean({ description: 'The platform removed the review.', resolve: (data) => data.deleted === true }),
    }),
  });
}

export const ResponseStartedEventRef = responseEvent('ResponseStartedEvent', 'response.started: a customer gave a first answer.');
export const ResponseCompletedEventRef = responseEvent('ResponseCompletedEvent', 'response.completed: a customer finished a survey.');

export const FollowUpCreatedEventRef = builder.objectRef<Data>('FollowUpCreatedEvent').implement({
  description: 'follow_up.created: a low score or rating raised a follow-up.',
  fields: (t) => ({
    followUpId: t.id({ resolve: (data) => required(data.followUpId) }),
    responseId: t.id({ nullable: true, description: 'The response that raised it (survey follow-ups).', resolve: (data) => text(data.responseId) }),
    reviewId: t.id({ nullable: true, description: 'The review that raised it (review follow-ups).', resolve: (data) => text(data.reviewId) }),
    customerId: t.id({ nullable: true, resolve: (data) => text(data.customerId) }),
    score: t.float({ nullable: true, resolve: (data) => num(data.score) }),
    priority: t.field({ type: FollowUpPriorityEnum, nullable: true, resolve: (data) => text(data.priority) as never }),
    ownerEmail: t.string({ nullable: true, resolve: (data) => text(data.ownerEmail) }),
    dueAt: t.field({ type: 'DateTime', nullable: true, resolve: (data) => date(data.dueAt) }),
  }),
});

export const FollowUpChangedEventRef = builder.objectRef<Data>('FollowUpChangedEvent').implement({
  description: 'follow_up.changed: moved on the board, reassigned, a note added or the customer contacted.',
  fields: (t) => ({
    followUpId: t.id({ resolve: (data) => required(data.followUpId) }),
    status: t.field({ type: FollowUpStatusEnum, nullable: true, description: 'The status after the change.', resolve: (data) => text(data.status) as never }),
    changedFields: t.stringList({
      description: 'What changed: status, priority, ownerName, ownerEmail, dueAt, note or customerContacted.',
      resolve: (data) => (data.changes && typeof data.changes === 'object' ? Object.keys(data.changes).sort() : []),
    }),
  }),
});

export const ReviewCreatedEventRef = reviewEvent('ReviewCreatedEvent', 'review.created: a new review came in from a platform.');
export const ReviewUpdatedEventRef = reviewEvent('ReviewUpdatedEvent', 'review.updated: a review was edited or removed on its platform.');

export const ReviewRepliedEventRef = builder.objectRef<Data>('ReviewRepliedEvent').implement({
  description: 'review.replied: a reply was published on the platform.',
  fields: (t) => ({
    reviewId: t.id({ resolve: (data) => required(data.reviewId) }),
    platformCode: t.string({ nullable: true, resolve: (data) => text(data.platformCode) }),
    text: t.string({ nullable: true, description: 'The published reply.', resolve: (data) => text(data.text) }),
    author: t.string({ nullable: true, description: 'Who replied, as shown on the platform.', resolve: (data) => text(data.author) }),
    replyHours: t.float({ nullable: true, description: 'Hours from the review to the reply.', resolve: (data) => num(data.replyHours) }),
  }),
});

export const InvitationBouncedEventRef = builder.objectRef<Data>('InvitationBouncedEvent').implement({
  description: 'invitation.bounced: the channel could not deliver a survey invitation.',
  fields: (t) => ({
    invitationId: t.id({ resolve: (data) => required(data.invitationId) }),
    surveyId: t.id({ nullable: true, resolve: (data) => text(data.surveyId) }),
    customerId: t.id({ nullable: true, resolve: (data) => text(data.customerId) }),
    channel: t.string({ nullable: true, resolve: (data) => text(data.channel) }),
    reason: t.string({ nullable: true, description: "The channel's reason.", resolve: (data) => text(data.reason) }),
  }),
});

export const SegmentMembershipChangedEventRef = builder.objectRef<Data>('SegmentMembershipChangedEvent').implement({
  description: 'segment.membership_changed: customers entered or left a segment. The id lists hold the first 1,000 of each; the memberships connection has all.',
  fields: (t) => ({
    segmentId: t.id({ resolve: (data) => required(data.segmentId) }),
    members: t.int({ nullable: true, description: 'Members after the change (recomputed segments).', resolve: (data) => num(data.members) }),
    entered: t.int({ resolve: (data) => num(data.entered) ?? 0 }),
    left: t.int({ resolve: (data) => num(data.left) ?? 0 }),
    enteredCustomerIds: t.idList({ nullable: true, resolve: (data) => ids(data.enteredCustomerIds) }),
    leftCustomerIds: t.idList({ nullable: true, resolve: (data) => ids(data.leftCustomerIds) }),
  }),
});

export const CustomerErasedEventRef = builder.objectRef<Data>('CustomerErasedEvent').implement({
  description: 'customer.erased: a person was erased; erase what you hold on them too.',
  fields: (t) => ({ customerId: t.id({ nullable: true, description: 'Withheld (null) from roles without personal-data access.', resolve: (data) => text(data.customerId) }) }),
});

/** The GraphQL type of each event kind's payload. A new event type without one fails to compile. */
const PAYLOAD_TYPES: Record<EventType, { name: string }> = {
  'response.started': ResponseStartedEventRef,
  'response.completed': ResponseCompletedEventRef,
  'follow_up.created': FollowUpCreatedEventRef,
  'follow_up.changed': FollowUpChangedEventRef,
  'review.created': ReviewCreatedEventRef,
  'review.updated': ReviewUpdatedEventRef,
  'review.replied': ReviewRepliedEventRef,
  'invitation.bounced': InvitationBouncedEventRef,
  'segment.membership_changed': SegmentMembershipChangedEventRef,
  'customer.erased': CustomerErasedEventRef,
};

/** What `DomainEvent.payload` resolves to: the event's data, tagged with its kind. */
export interface EventPayloadSource extends Data {
  __eventType: string;
}

export const EventPayloadRef = builder.unionType('EventPayload', {
  description: 'The data of an event, one type per event kind (`DomainEvent.type`).',
  types: [
    ResponseStartedEventRef,
    ResponseCompletedEventRef,
    FollowUpCreatedEventRef,
    FollowUpChangedEventRef,
    ReviewCreatedEventRef,
    ReviewUpdatedEventRef,
    ReviewRepliedEventRef,
    InvitationBouncedEventRef,
    SegmentMembershipChangedEventRef,
    CustomerErasedEventRef,
  ],
  resolveType: (payload) => PAYLOAD_TYPES[(payload as EventPayloadSource).__eventType as EventType]?.name ?? null,
});

export function eventPayload(type: string, data: unknown): EventPayloadSource {
  return { ...(data && typeof data === 'object' && !Array.isArray(data) ? (data as Data) : {}), __eventType: type };
}
