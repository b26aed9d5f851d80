import { definePlugin, PYRAMID_BOUNDS, PYRAMID_TIERS, sql, z, type PyramidTier, type SegmentationModel, type Sql } from '../../core/plugin-sdk/index.js';

export const RFM_GROUPS = ['CHAMPIONS', 'LOYAL', 'POTENTIAL_LOYALISTS', 'NEW', 'AT_RISK', 'HIBERNATING', 'OTHERS'] as const;
export type RfmGroup = (typeof RFM_GROUPS)[number];

/**
 * Named RFM groups from quintile scores 1-5 (5 = most recent, most frequent, highest spend), taken
 * in this order so every customer lands in exactly one group.
 */
export function rfmGroup(r: number, f: number, m: number): RfmGroup {
  if (r >= 4 && f >= 4 && m >= 4) return 'CHAMPIONS';
  if (r >= 3 && f >= 4) return 'LOYAL';
  if (r >= 4 && f >= 2) return 'POTENTIAL_LOYALISTS';
  if (r >= 4 && f === 1) return 'NEW';
  if (r <= 2 && f >= 3) return 'AT_RISK';
  if (r <= 2 && f <= 2) return 'HIBERNATING';
  return 'OTHERS';
}

const RFM_GROUP_SQL = sql`CASE
  WHEN r >= 4 AND f >= 4 AND m >= 4 THEN 'CHAMPIONS'
  WHEN r >= 3 AND f >= 4 THEN 'LOYAL'
  WHEN r >= 4 AND f >= 2 THEN 'POTENTIAL_LOYALISTS'
  WHEN r >= 4 AND f = 1 THEN 'NEW'
  WHEN r <= 2 AND f >= 3 THEN 'AT_RISK'
  WHEN r <= 2 AND f <= 2 THEN 'HIBERNATING'
  ELSE 'OTHERS' END`;

const range = z.tuple([z.number().int().min(1).max(5), z.number().int().min(1).max(5)]);
const rfmParameters = z
  .object({
    windowDays: z.number().int().min(1).max(3650).default(365),
    group: z.enum(RFM_GROUPS).optional(),
    /** Or score ranges, inclusive: { recency: [4, 5], frequency: [1, 2] }. */
    recency: range.optional(),
    frequency: range.optional(),
    monetary: range.optional(),
  })
  .strict()
  .refine((p) => p.group !== undefined || p.recency || p.frequency || p.monetary, { message: 'give a group or score ranges' });

/**
 * RFM scores per ordering customer in the window, as quintiles (ntile(5)) of the last order date,
 * the number of orders and the total spent; ties broken by customer id so scores are repeatable.
 */
export function rfmScoresSql(workspaceId: string, since: Date, now: Date): Sql {
  return sql`SELECT "customerId",
      ntile(5) OVER (ORDER BY max("orderedAt"), "customerId") AS r,
      ntile(5) OVER (ORDER BY count(*), "customerId") AS f,
      ntile(5) OVER (ORDER BY sum(amount), "customerId") AS m
    FROM "Order" WHERE "workspaceId" = ${workspaceId}::uuid AND "orderedAt" >= ${since} AND "orderedAt" <= ${now}
    GROUP BY "customerId"`;
}

type RfmParameters = z.output<typeof rfmParameters>;

export const rfmModel: SegmentationModel<RfmParameters> = {
  code: 'rfm',
  description: `Value: RFM quintile scores 1-5 for recency, frequency and monetary value over a window, by named group (${RFM_GROUPS.join(', ')}) or by score ranges.`,
  settingsSchema: rfmParameters,
  capabilities: ['explain'],
  membershipCondition(p, { workspaceId, now }) {
    const since = new Date(now.getTime() - p.windowDays * 86_400_000);
    const conditions: Sql[] = [];
    if (p.group) conditions.push(sql`${RFM_GROUP_SQL} = ${p.group}`);
    for (const [key, column] of [
      ['recency', 'r'],
      ['frequency', 'f'],
      ['monetary', 'm'],
    ] as const) {
      const bounds = p[key];
      if (bounds)
        conditions.push(column === 'r' ? sql`r BETWEEN ${bounds[0]} AND ${bounds[1]}` : column === 'f' ? sql`f BETWEEN ${bounds[0]} AND ${bounds[1]}` : sql`m BETWEEN ${bounds[0]} AND ${bounds[1]}`);
    }
    const where = conditions.reduce((all, condition) => sql`${all} AND ${condition}`, sql`TRUE`);
    return sql`c.id IN (SELECT "customerId" FROM (${rfmScoresSql(workspaceId, since, now)}) scores WHERE ${where})`;
  },
  explain: (p) => [
    p.group
      ? `RFM group ${p.group} over the last ${p.windowDays} days`
      : `RFM scores ${JSON.stringify({ recency: p.recency, frequency: p.frequency, monetary: p.monetary })} over the last ${p.windowDays} days`,
  ],
};

const pyramidParameters = z.object({ windowDays: z.number().int().min(1).max(3650).default(365), tier: z.enum(PYRAMID_TIERS as [PyramidTier, ...PyramidTier[]]) }).strict();

/** Customer pyramid: rank by revenue in the window; top 1%, large to 5%, medium to 20%, small the rest, inactive without revenue. */
export const pyramidModel: SegmentationModel<z.output<typeof pyramidParameters>> = {
  code: 'customer-pyramid',
  description: 'Value: customer pyramid tiers by share of customers ranked by revenue in a window: TOP (top 1%), LARGE (to 5%), MEDIUM (to 20%), SMALL (the rest with revenue), INACTIVE (no revenue).',
  settingsSchema: pyramidParameters,
  capabilities: ['explain'],
  membershipCondition({ windowDays, tier }, { workspaceId, now }) {
    const since = new Date(now.getTime() - windowDays * 86_400_000);
    const ranked = sql`SELECT "customerId", row_number() OVER (ORDER BY sum(amount) DESC, "customerId") * 100.0 / count(*) OVER () AS percentile
      FROM "Order" WHERE "workspaceId" = ${workspaceId}::uuid AND "orderedAt" >= ${since} AND "orderedAt" <= ${now} GROUP BY "customerId" HAVING sum(amount) > 0`;
    if (tier === 'INACTIVE') return sql`c.id NOT IN (SELECT "customerId" FROM (${ranked}) ranked)`;
    // The tier bounds of the SDK, the same the pyramid metric uses.
    const bounds = { TOP: [0, PYRAMID_BOUNDS.TOP], LARGE: [PYRAMID_BOUNDS.TOP, PYRAMID_BOUNDS.LARGE], MEDIUM: [PYRAMID_BOUNDS.LARGE, PYRAMID_BOUNDS.MEDIUM], SMALL: [PYRAMID_BOUNDS.MEDIUM, 100] }[
      tier
    ];
    return sql`c.id IN (SELECT "customerId" FROM (${ranked}) ranked WHERE percentile > ${bounds[0]} AND percentile <= ${bounds[1]})`;
  },
  explain: ({ tier, windowDays }) => [`customer pyramid tier ${tier} by revenue over the last ${windowDays} days`],
};

export function createValueModelsPlugin(options: unknown = {}) {
  return definePlugin({
    name: 'value-models',
    version: '1.0.0',
    options,
    optionsSchema: z.object({}).strict(),
    setup: () => ({ segmentationModels: [rfmModel, pyramidModel] as SegmentationModel<unknown>[] }),
  });
}
