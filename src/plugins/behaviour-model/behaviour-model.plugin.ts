import { definePlugin, z, type SegmentCondition, type SegmentationModel } from '../../core/plugin-sdk/index.js';

const parameters = z
  .object({
    /** Orders and touchpoints counted over the last windowDays. */
    windowDays: z.number().int().min(1).max(3650).default(365),
    minOrders: z.number().int().min(0).optional(),
    maxOrders: z.number().int().min(0).optional(),
    minTotal: z.number().min(0).optional(),
    maxTotal: z.number().min(0).optional(),
    /** Last order at most this many days ago. */
    orderedWithinDays: z.number().int().min(1).optional(),
    /** No order for at least this many days (lapsed customers). */
    noOrderForDays: z.number().int().min(1).optional(),
    touchpointTypes: z.array(z.string()).min(1).optional(),
    minTouchpoints: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).some((key) => key !== 'windowDays'), { message: 'give at least one condition besides windowDays' });

type Parameters = z.output<typeof parameters>;

/** Purchase habits and repeated actions: orders (count, total, recency) and touchpoints in a window. */
export const behaviourModel: SegmentationModel<Parameters> = {
  code: 'behavioural',
  description: 'Customers by what they do: number and total of orders, recency, and touchpoints of given types, within a window.',
  settingsSchema: parameters,
  capabilities: ['explain'],
  membership(p, { eb, now }) {
    const since = new Date(now.getTime() - p.windowDays * 86_400_000);
    const ordersOf = () => eb.selectFrom('orders').whereRef('orders.customerId', '=', 'customer.id').where('orders.orderedAt', '<=', now);
    const inWindow = () => ordersOf().where('orders.orderedAt', '>=', since);
    const orders = inWindow().select((o) => o.fn.countAll().as('n'));
    const total = inWindow().select((o) => o.fn.coalesce(o.fn.sum('orders.amount'), o.lit(0)).as('total'));
    const last = ordersOf().select((o) => o.fn.max('orders.orderedAt').as('last'));
    const parts: SegmentCondition[] = [];
    if (p.minOrders !== undefined) parts.push(eb(orders, '>=', p.minOrders));
    if (p.maxOrders !== undefined) parts.push(eb(orders, '<=', p.maxOrders));
    if (p.minTotal !== undefined) parts.push(eb(total, '>=', p.minTotal));
    if (p.maxTotal !== undefined) parts.push(eb(total, '<=', p.maxTotal));
    if (p.orderedWithinDays !== undefined) parts.push(eb(last, '>=', new Date(now.getTime() - p.orderedWithinDays * 86_400_000)));
    if (p.noOrderForDays !== undefined) parts.push(eb.fn.coalesce(eb(last, '<', new Date(now.getTime() - p.noOrderForDays * 86_400_000)), eb.lit(true)));
    if (p.touchpointTypes || p.minTouchpoints !== undefined) {
      let touchpoints = eb.selectFrom('touchpoints').whereRef('touchpoints.customerId', '=', 'customer.id').where('touchpoints.occurredAt', '>=', since).where('touchpoints.occurredAt', '<=', now);
      if (p.touchpointTypes) touchpoints = touchpoints.where('touchpoints.type', 'in', p.touchpointTypes);
      parts.push(
        eb(
          touchpoints.select((t) => t.fn.countAll().as('n')),
          '>=',
          p.minTouchpoints ?? 1,
        ),
      );
    }
    return eb.and(parts);
  },
  explain(p) {
    const words = [`in the last ${p.windowDays} days`];
    if (p.minOrders !== undefined) words.push(`at least ${p.minOrders} orders`);
    if (p.maxOrders !== undefined) words.push(`at most ${p.maxOrders} orders`);
    if (p.minTotal !== undefined) words.push(`spent at least ${p.minTotal}`);
    if (p.maxTotal !== undefined) words.push(`spent at most ${p.maxTotal}`);
    if (p.orderedWithinDays !== undefined) words.push(`ordered within ${p.orderedWithinDays} days`);
    if (p.noOrderForDays !== undefined) words.push(`no order for ${p.noOrderForDays} days`);
    if (p.touchpointTypes || p.minTouchpoints) words.push(`${p.minTouchpoints ?? 1}+ touchpoints${p.touchpointTypes ? ` of type ${p.touchpointTypes.join(', ')}` : ''}`);
    return [words.join(', ')];
  },
};

export function createBehaviourModelPlugin(options: unknown = {}) {
  return definePlugin({
    name: 'behaviour-model',
    version: '1.0.0',
    options,
    optionsSchema: z.object({}).strict(),
    setup: () => ({ segmentationModels: [behaviourModel as SegmentationModel<unknown>] }),
  });
}
