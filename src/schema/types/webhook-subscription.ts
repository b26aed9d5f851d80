import { createWebhookSubscriptionOrThrow, replayDeliveryOrThrow, updateWebhookSubscriptionOrThrow } from '../../core/webhooks/webhook-subscription.service.js';
import { findPage } from '../keyset.js';
import { NotFoundError } from '../../core/errors.js';
import { builder } from '../builder.js';
import { checkedMaxSize } from '../connection-size.js';
import { idOfOrThrow, inputIdOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';
import { DomainEventRef } from './domain-event.js';

const SubscriptionStatusEnum = builder.enumType('WebhookSubscriptionStatus', { values: ['ACTIVE', 'DISABLED'] as const });
const DeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  values: ['PENDING', 'SENDING', 'SUCCEEDED', 'RETRYING', 'DEAD'] as const,
  description: 'DEAD: given up after about 3 days of retries, or the endpoint answered 410; replayable.',
});

const WebhookSubscriptionRef = builder.prismaNode('WebhookSubscription', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { read: 'events' },
  description: 'An endpoint that receives the workspace’s events, signed per Standard Webhooks.',
  fields: (t) => ({
    url: t.exposeString('url'),
    eventTypes: t.exposeStringList('eventTypes', { description: 'Empty: every type.' }),
    status: t.expose('status', { type: SubscriptionStatusEnum }),
    disabledReason: t.exposeString('disabledReason', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    secretCount: t.int({ description: 'Secrets signing each delivery (more than one while rotating).', resolve: (s) => s.secrets.length }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveries: t.relatedConnection('deliveries', {
      cursor: 'id',
      totalCount: true,
      maxSize: checkedMaxSize,
      args: { status: t.arg({ type: DeliveryStatusEnum }) },
      query: (args) => ({ where: args.status ? { status: args.status } : {}, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    }),
  }),
});

const WebhookDeliveryRef = builder.prismaNode('WebhookDelivery', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { read: 'events' },
  description: 'One event to one subscription. Its id is the `webhook-id` header, the same on every attempt.',
  fields: (t) => ({
    status: t.expose('status', { type: DeliveryStatusEnum }),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime' }),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    subscription: t.relation('subscription'),
    event: t.field({
      type: DomainEventRef,
      select: { event: true },
      resolve: (delivery) => ({ ...delivery.event, sequence: delivery.event.sequence.toString() }),
    }),
  }),
});

function deliveryWhere(args: { status?: typeof DeliveryStatusEnum.$inferType | null; subscriptionId?: string | number | null }) {
  return { ...(args.status ? { status: args.status } : {}), ...(args.subscriptionId ? { subscriptionId: inputIdOrThrow(String(args.subscriptionId), 'WebhookSubscription', 'subscriptionId')! } : {}) };
}

builder.queryFields((t) => ({
  webhookSubscriptions: t.prismaConnection({
    type: 'WebhookSubscription',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'events' },
    resolve: (query, _root, _args, ctx) => findPage(ctx.db.webhookSubscription, query, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    totalCount: (_root, _args, ctx) => ctx.db.webhookSubscription.count(),
  }),
  webhookDeliveries: t.prismaConnection({
    type: 'WebhookDelivery',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'events' },
    description: 'Deliveries, newest first; `status: DEAD` is the dead-letter queue.',
    args: { status: t.arg({ type: DeliveryStatusEnum }), subscriptionId: t.arg.id() },
    resolve: (query, _root, args, ctx) => findPage(ctx.db.webhookDelivery, query, { where: deliveryWhere(args), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    totalCount: (_root, args, ctx) => ctx.db.webhookDelivery.count({ where: deliveryWhere(args) }),
  }),
}));

const CreatedSubscriptionRef = builder.objectRef<{ subscription: { id: string }; secret: string | null }>('WebhookSubscriptionWithSecret').implement({
  fields: (t) => ({
    subscription: t.prismaField({ type: 'WebhookSubscription', resolve: (query, r, _args, ctx) => ctx.db.webhookSubscription.findFirstOrThrow({ ...query, where: { id: r.subscription.id } }) }),
    secret: t.exposeString('secret', { nullable: true, description: 'The new signing secret (whsec_...), shown once. Null when no secret was made.' }),
  }),
});

const CreateWebhookSubscriptionInput = builder.inputType('CreateWebhookSubscriptionInput', {
  fields: (t) => ({ url: t.string({ required: true }), eventTypes: t.stringList({ description: 'Empty or left out: every type.' }), description: t.string() }),
});
const UpdateWebhookSubscriptionInput = builder.inputType('UpdateWebhookSubscriptionInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    url: t.string(),
    eventTypes: t.stringList(),
    description: t.string(),
    enabled: t.boolean({ description: 'true re-enables a subscription disabled by a 410.' }),
    rotateSecret: t.boolean({ description: 'Adds a new secret; deliveries are signed with the old and the new until retireOldSecrets.' }),
    retireOldSecrets: t.boolean(),
  }),
});
const DeleteWebhookSubscriptionInput = builder.inputType('DeleteWebhookSubscriptionInput', { fields: (t) => ({ id: t.id({ required: true }) }) });
const ReplayWebhookDeliveryInput = builder.inputType('ReplayWebhookDeliveryInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

builder.mutationFields((t) => ({
  createWebhookSubscription: t.field({
    type: CreatedSubscriptionRef,
    authScopes: { write: 'events' },
    description: 'Subscribes an endpoint. Private, loopback and link-local addresses are refused in production.',
    args: { input: t.arg({ type: CreateWebhookSubscriptionInput, required: true }) },
    errors: mutationErrors('CreateWebhookSubscription', 'result'),
    resolve: (_root, { input }, ctx) => createWebhookSubscriptionOrThrow(ctx.db, input, ctx.events.allowLoopback),
  }),
  updateWebhookSubscription: t.field({
    type: CreatedSubscriptionRef,
    authScopes: { write: 'events' },
    args: { input: t.arg({ type: UpdateWebhookSubscriptionInput, required: true }) },
    errors: mutationErrors('UpdateWebhookSubscription', 'result'),
    resolve: (_root, { input: { id, ...patch } }, ctx) => updateWebhookSubscriptionOrThrow(ctx.db, idOfOrThrow(String(id), 'WebhookSubscription'), patch, ctx.events.allowLoopback),
  }),
  deleteWebhookSubscription: t.field({
    type: WebhookSubscriptionRef,
    authScopes: { write: 'events' },
    args: { input: t.arg({ type: DeleteWebhookSubscriptionInput, required: true }) },
    errors: mutationErrors('DeleteWebhookSubscription', 'subscription'),
    resolve: async (_root, { input }, ctx) => {
      const id = idOfOrThrow(String(input.id), 'WebhookSubscription');
      const subscription = await ctx.db.webhookSubscription.findFirst({ where: { id } });
      if (!subscription) throw new NotFoundError('WebhookSubscription', String(input.id));
      await ctx.db.webhookSubscription.delete({ where: { id } });
      return subscription;
    },
  }),
  replayWebhookDelivery: t.field({
    type: WebhookDeliveryRef,
    authScopes: { write: 'events' },
    description: 'Sends a delivery again now (same webhook-id), also one that was dead-lettered.',
    args: { input: t.arg({ type: ReplayWebhookDeliveryInput, required: true }) },
    errors: mutationErrors('ReplayWebhookDelivery', 'delivery'),
    resolve: async (_root, { input }, ctx) => {
      const delivery = await replayDeliveryOrThrow(ctx.db, idOfOrThrow(String(input.id), 'WebhookDelivery'), ctx.surveys.clock.now());
      ctx.events.kick();
      return delivery;
    },
  }),
}));
