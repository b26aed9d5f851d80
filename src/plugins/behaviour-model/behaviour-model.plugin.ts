import { definePlugin, join, sql, z, type SegmentationModel, type Sql } from '../../core/plugin-sdk/index.js';

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
  membershipCondition(p, { workspaceId, now }) {
    const since = new Date(now.getTime() - p.windowDays * 86_400_000);
    const orders = sql`(SELECT count(*) FROM "Order" o WHERE o."workspaceId" = ${workspaceId}::uuid AND o."customerId" = c.id AND o."orderedAt" >= ${since} AND o."orderedAt" <= ${now})`;
    const total = sql`(SELECT COALESCE(sum(o.amount), 0) FROM "Order" o WHERE o."workspaceId" = ${workspaceId}::uuid AND o."customerId" = c.id AND o."orderedAt" >= ${since} AND o."orderedAt" <= ${now})`;
    const last = sql`(SELECT max(o."orderedAt") FROM "Order" o WHERE o."workspaceId" = ${workspaceId}::uuid AND o."customerId" = c.id AND o."orderedAt" <= ${now})`;
    const parts: Sql[] = [];
    if (p.minOrders !== undefined) parts.push(sql`${orders} >= ${p.minOrders}`);
    if (p.maxOrders !== undefined) parts.push(sql`${orders} <= ${p.maxOrders}`);
    if (p.minTotal !== undefined) parts.push(sql`${total} >= ${p.minTotal}`);
    if (p.maxTotal !== undefined) parts.push(sql`${total} <= ${p.maxTotal}`);
    if (p.orderedWithinDays !== undefined) parts.push(sql`${last} >= ${new Date(now.getTime() - p.orderedWithinDays * 86_400_000)}`);
    if (p.noOrderForDays !== undefined) parts.push(sql`COALESCE(${last} < ${new Date(now.getTime() - p.noOrderForDays * 86_400_000)}, true)`);
    if (p.touchpointTypes || p.minTouchpoints !== undefined) {
      const types = p.touchpointTypes ? sql`AND t.type = ANY (${p.touchpointTypes}::text[])` : sql``;
      parts.push(
        sql`(SELECT count(*) FROM "Touchpoint" t WHERE t."workspaceId" = ${workspaceId}::uuid AND t."customerId" = c.id AND t."occurredAt" >= ${since} AND t."occurredAt" <= ${now} ${types}) >= ${p.minTouchpoints ?? 1}`,
      );
    }
    return sql`(${join(parts, ' AND ')})`;
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
