import { definePlugin, PYRAMID_BOUNDS, PYRAMID_TIERS, z, type PyramidTier, type SegmentationModel } from '../../core/plugin-sdk/index.js';

export const RFM_GROUPS = ['CHAMPIONS', 'LOYAL', 'POTENTIAL_LOYALISTS', 'NEW', 'AT_RISK', 'HIBERNATING', 'OTHERS'] as const;
export type RfmGroup = (typeof RFM_GROUPS)[number];

type Bounds = readonly [number, number];
/**
 * Named RFM groups from quintile scores 1-5 (5 = most recent, most frequent, highest spend), taken
 * in this order so every customer lands in exactly one group (the rest are OTHERS). Defined once:
 * `rfmGroup` reads it in JavaScript, the segment condition in SQL.
 */
const RFM_RULES: ReadonlyArray<{ group: RfmGroup; r: Bounds; f: Bounds; m?: Bounds }> = [
  { group: 'CHAMPIONS', r: [4, 5], f: [4, 5], m: [4, 5] },
  { group: 'LOYAL', r: [3, 5], f: [4, 5] },
  { group: 'POTENTIAL_LOYALISTS', r: [4, 5], f: [2, 5] },
  { group: 'NEW', r: [4, 5], f: [1, 1] },
  { group: 'AT_RISK', r: [1, 2], f: [3, 5] },
  { group: 'HIBERNATING', r: [1, 2], f: [1, 2] },
];

const within = (value: number, [low, high]: Bounds) => value >= low && value <= high;

export function rfmGroup(r: number, f: number, m: number): RfmGroup {
  return RFM_RULES.find((rule) => within(r, rule.r) && within(f, rule.f) && (!rule.m || within(m, rule.m)))?.group ?? 'OTHERS';
}

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

type RfmParameters = z.output<typeof rfmParameters>;

export const rfmModel: SegmentationModel<RfmParameters> = {
  code: 'rfm',
  description: `Value: RFM quintile scores 1-5 for recency, frequency and monetary value over a window, by named group (${RFM_GROUPS.join(', ')}) or by score ranges.`,
  settingsSchema: rfmParameters,
  capabilities: ['explain'],
  membership(p, { eb, now }) {
    const since = new Date(now.getTime() - p.windowDays * 86_400_000);
    // RFM scores per ordering customer in the window, as quintiles (ntile(5)) of the last order date,
    // the number of orders and the total spent; ties broken by customer id so scores are repeatable.
    const scores = eb
      .selectFrom('orders')
      .select((o) => [
        'orders.customerId',
        o.fn
          .agg<number>('ntile', [o.lit(5)])
          .over((w) => w.orderBy(o.fn.max('orders.orderedAt')).orderBy('orders.customerId'))
          .as('r'),
        o.fn
          .agg<number>('ntile', [o.lit(5)])
          .over((w) => w.orderBy(o.fn.countAll()).orderBy('orders.customerId'))
          .as('f'),
        o.fn
          .agg<number>('ntile', [o.lit(5)])
          .over((w) => w.orderBy(o.fn.sum('orders.amount')).orderBy('orders.customerId'))
          .as('m'),
      ])
      .where('orders.orderedAt', '>=', since)
      .where('orders.orderedAt', '<=', now)
      .groupBy('orders.customerId')
      .as('scores');
    const members = eb
      .selectFrom(scores)
      .select('scores.customerId')
      .where((s) => {
        const score = { r: s.ref('scores.r'), f: s.ref('scores.f'), m: s.ref('scores.m') };
        const inBounds = (key: 'r' | 'f' | 'm', [low, high]: Bounds) => s.between(score[key], low, high);
        const conditions = [];
        if (p.group) {
          // The group a customer's scores fall in: the first rule that holds, as rfmGroup does.
          const ruleHolds = (rule: (typeof RFM_RULES)[number]) => s.and([inBounds('r', rule.r), inBounds('f', rule.f), ...(rule.m ? [inBounds('m', rule.m)] : [])]);
          const index = RFM_RULES.findIndex((rule) => rule.group === p.group);
          const earlier = (index === -1 ? RFM_RULES : RFM_RULES.slice(0, index)).map((rule) => s.not(ruleHolds(rule)));
          conditions.push(s.and(index === -1 ? earlier : [...earlier, ruleHolds(RFM_RULES[index]!)]));
        }
        if (p.recency) conditions.push(inBounds('r', p.recency));
        if (p.frequency) conditions.push(inBounds('f', p.frequency));
        if (p.monetary) conditions.push(inBounds('m', p.monetary));
        return s.and(conditions);
      });
    return eb('customer.id', 'in', members);
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
  membership({ windowDays, tier }, { eb, now }) {
    const since = new Date(now.getTime() - windowDays * 86_400_000);
    const ranked = eb
      .selectFrom('orders')
      .select((o) => [
        'orders.customerId',
        o(
          o(
            o.cast(
              o.fn.agg<number>('row_number').over((w) => w.orderBy(o.fn.sum('orders.amount'), 'desc').orderBy('orders.customerId')),
              'numeric',
            ),
            '*',
            o.lit(100),
          ),
          '/',
          o.fn.countAll().over(),
        ).as('percentile'),
      ])
      .where('orders.orderedAt', '>=', since)
      .where('orders.orderedAt', '<=', now)
      .groupBy('orders.customerId')
      .having((o) => o(o.fn.sum('orders.amount'), '>', 0))
      .as('ranked');
    if (tier === 'INACTIVE') return eb.not(eb('customer.id', 'in', eb.selectFrom(ranked).select('ranked.customerId')));
    // The tier bounds of the SDK, the same the pyramid metric uses.
    const bounds = { TOP: [0, PYRAMID_BOUNDS.TOP], LARGE: [PYRAMID_BOUNDS.TOP, PYRAMID_BOUNDS.LARGE], MEDIUM: [PYRAMID_BOUNDS.LARGE, PYRAMID_BOUNDS.MEDIUM], SMALL: [PYRAMID_BOUNDS.MEDIUM, 100] }[
      tier
    ];
    return eb('customer.id', 'in', eb.selectFrom(ranked).select('ranked.customerId').where('ranked.percentile', '>', bounds[0]!).where('ranked.percentile', '<=', bounds[1]!));
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
