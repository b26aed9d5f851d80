import { viewerCan } from '../../core/auth/viewer.js';
import { ForbiddenError } from '../../core/errors.js';
import { untilAborted } from '../../core/events/until-aborted.js';
import { filter, pipe } from 'graphql-yoga';
import type { LiveEvent } from '../../core/events/event-bus.js';
import { EVENT_TYPES, eventTypesOrThrow } from '../../core/events/event-types.js';
import { ValidationError } from '../../core/errors.js';
import { builder } from '../builder.js';
import { eventPayload, EventPayloadRef } from './event-payload.js';

interface EventView {
  id: string;
  sequence: string;
  type: string;
  subjectId: string | null;
  data: unknown;
  occurredAt: Date | string;
}

export const DomainEventRef = builder.objectRef<EventView>('DomainEvent').implement({
  description: `Something that happened in the workspace. Types: ${EVENT_TYPES.join(', ')}. Ids in \`data\` are GraphQL global ids.`,
  fields: (t) => ({
    id: t.exposeString('id', { nullable: false, description: 'The event id (the same in webhook payloads).' }),
    sequence: t.exposeString('sequence', { nullable: false, description: 'Increasing: commit order within one writer; use `events(afterSequence)` to catch up.' }),
    type: t.exposeString('type', { nullable: false }),
    subjectId: t.exposeString('subjectId', { nullable: true, description: 'The global id of the object the event is about.' }),
    data: t.field({ type: 'JSON', description: 'The payload as JSON, exactly as webhooks carry it. `payload` is the same, typed.', resolve: (event) => event.data }),
    payload: t.field({ type: EventPayloadRef, nullable: false, description: 'The payload, one type per event kind.', resolve: (event) => eventPayload(event.type, event.data) }),
    occurredAt: t.field({ type: 'DateTime', nullable: false, resolve: (event) => new Date(event.occurredAt) }),
  }),
});

const checkTypes = (types: readonly string[] | null | undefined) => {
  const known = eventTypesOrThrow(types, ['types']);
  return known ? new Set(known) : null;
};

builder.queryField('events', (t) =>
  t.field({
    type: [DomainEventRef],
    authScopes: { read: 'events' },
    description: 'The event stream of the workspace, oldest first after `afterSequence` (at most 500): a feed to catch up from.',
    args: { afterSequence: t.arg.string(), types: t.arg.stringList(), first: t.arg.int({ defaultValue: 100 }) },
    resolve: async (_root, args, ctx) => {
      const types = checkTypes(args.types);
      if (args.afterSequence != null && !/^\d{1,19}$/.test(args.afterSequence)) throw new ValidationError([{ path: ['afterSequence'], message: 'must be a sequence number' }]);
      const first = Math.min(500, Math.max(1, args.first ?? 100));
      const rows = await ctx.db.domainEvent.findMany({
        where: { ...(args.afterSequence ? { sequence: { gt: BigInt(args.afterSequence) } } : {}), ...(types ? { type: { in: [...types] } } : {}) },
        orderBy: { sequence: 'asc' },
        take: first,
      });
      return rows.map((row) => ({ ...row, sequence: row.sequence.toString() }));
    },
  }),
);

builder.subscriptionType({ description: 'Live events over Server-Sent Events (Accept: text/event-stream), scoped to the workspace of the API key.' });

builder.subscriptionField('events', (t) =>
  t.field({
    type: DomainEventRef,
    authScopes: { read: 'events' },
    description: 'Events as they are committed (relayed within a fraction of a second), optionally only some types. Across instances through Redis when REDIS_URL is set.',
    args: { types: t.arg.stringList() },
    subscribe: (_root, args, ctx) => {
      // authScopes guard the resolver, which runs per event: refuse here so that no stream is opened.
      if (!viewerCan(ctx.viewer, 'read', 'events')) throw new ForbiddenError('This caller may not access Subscription.events');
      const types = checkTypes(args.types);
      return pipe(
        untilAborted(ctx.events.pubSub.subscribe('events', ctx.viewer.workspaceId), ctx.events.shutdown),
        filter((event: LiveEvent) => !types || types.has(event.type)),
      );
    },
    resolve: (event: LiveEvent) => event,
  }),
);
