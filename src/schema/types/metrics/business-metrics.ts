import type {
  commerceMetrics,
  commerceTrend,
  npsBehaviour,
  npsBehaviourTrend,
  responseRateMetric,
  retentionMetric,
  retentionTrend,
  shareOfWalletMetric,
} from '../../../core/metrics/metrics.service.js';
import { WALLET_PERIODS } from '../../../core/metrics/commerce.js';
import { builder } from '../../builder.js';

type Awaited2<T> = T extends (...args: never[]) => Promise<infer R> ? R : never;

export const ResponseRateMetricRef = builder.objectRef<Awaited2<typeof responseRateMetric>>('ResponseRateMetric').implement({
  fields: (t) => ({
    rate: t.exposeFloat('rate', { nullable: true, description: 'Completed responses / invitations delivered x 100 (invitations sent in the period).' }),
    delivered: t.exposeInt('delivered', { nullable: false }),
    completed: t.exposeInt('completed', { nullable: false }),
  }),
});

export const RetentionMetricRef = builder.objectRef<Awaited2<typeof retentionMetric>>('RetentionMetric').implement({
  description: 'Customers at t began before t and had not ended at t (customerSince, churnedAt); by activity, they also ordered in the inactiveAfterDays before t.',
  fields: (t) => ({
    retentionRate: t.exposeFloat('retentionRate', { nullable: true, description: '(customers at end - acquired in the period) / customers at start x 100.' }),
    churnRate: t.exposeFloat('churnRate', { nullable: true, description: 'Customers at start who ended during the period / customers at start x 100.' }),
    atStart: t.exposeInt('atStart', { nullable: false }),
    atEnd: t.exposeInt('atEnd', { nullable: false }),
    acquired: t.exposeInt('acquired', { nullable: false, description: 'Began in the period and still customers at the end.' }),
    lostFromStart: t.exposeInt('lostFromStart', { nullable: false }),
    inactiveAfterDays: t.exposeInt('inactiveAfterDays', {
      nullable: true,
      description: 'The activity window used (days without an order that end a relationship); null: customerSince and churnedAt.',
    }),
  }),
});

type Commerce = Awaited2<typeof commerceMetrics>[number];

const ParetoShareRef = builder.objectRef<Commerce['pareto'][number]>('ParetoShare').implement({
  fields: (t) => ({
    topPercent: t.exposeInt('topPercent', { nullable: false }),
    customers: t.exposeInt('customers', { nullable: false, description: 'ceil(topPercent% of ordering customers), at least one.' }),
    revenueShare: t.exposeFloat('revenueShare', { nullable: true, description: 'Share of revenue these customers bring, 0-100.' }),
  }),
});

const PyramidTierEnum = builder.enumType('PyramidTier', {
  values: ['TOP', 'LARGE', 'MEDIUM', 'SMALL', 'INACTIVE'] as const,
  description: 'Customer pyramid: TOP (top 1% of customers by revenue), LARGE (to 5%), MEDIUM (to 20%), SMALL (the rest with revenue), INACTIVE (no revenue).',
});

const PyramidTierCountRef = builder.objectRef<{ tier: string; customers: number; revenueShare: number | null }>('PyramidTierCount').implement({
  fields: (t) => ({
    tier: t.field({ type: PyramidTierEnum, nullable: false, resolve: (m) => m.tier as 'TOP' }),
    customers: t.exposeInt('customers', { nullable: false }),
    revenueShare: t.exposeFloat('revenueShare', { nullable: true, description: "The tier's share of the revenue (%); null for INACTIVE." }),
  }),
});

export const CommerceMetricRef = builder.objectRef<Commerce>('CommerceMetric').implement({
  description: 'Order metrics for one currency over the period.',
  fields: (t) => ({
    currency: t.exposeString('currency'),
    orders: t.exposeInt('orders', { nullable: false }),
    orderingCustomers: t.exposeInt('orderingCustomers', { nullable: false, description: 'Unique customers with an order in the period.' }),
    repeatCustomers: t.exposeInt('repeatCustomers', { nullable: false }),
    revenue: t.field({ type: 'Decimal', resolve: (m) => m.revenue }),
    repeatCustomerRate: t.exposeFloat('repeatCustomerRate', { nullable: true, description: 'Customers with more than one order / ordering customers x 100.' }),
    purchaseFrequency: t.exposeFloat('purchaseFrequency', { nullable: true, description: 'Orders / ordering customers.' }),
    averageOrderValue: t.exposeFloat('averageOrderValue', { nullable: true, description: 'Revenue / orders.' }),
    customerValue: t.exposeFloat('customerValue', { nullable: true, description: 'Purchase frequency x average order value.' }),
    pareto: t.field({ type: [ParetoShareRef], description: 'Share of revenue from the top 1, 5, 10 and 20% of customers.', resolve: (m) => m.pareto }),
    pyramid: t.field({
      type: [PyramidTierCountRef],
      nullable: false,
      description:
        'The customer pyramid of the period: customers and revenue share per tier, ranked by revenue in this currency. INACTIVE counts the customers of the period (filters applied) who ordered nothing in it.',
      resolve: (m) => m.pyramid,
    }),
  }),
});

export const CommerceTrendPointRef = builder.objectRef<Awaited2<typeof commerceTrend>[number]>('CommerceTrendPoint').implement({
  description: 'Order metrics for one currency in one time bucket (by order date).',
  fields: (t) => ({
    bucket: t.field({ type: 'LocalDate', nullable: false, description: 'First day of the bucket.', resolve: (m) => m.bucket }),
    currency: t.exposeString('currency', { nullable: false }),
    orders: t.exposeInt('orders', { nullable: false }),
    orderingCustomers: t.exposeInt('orderingCustomers', { nullable: false }),
    repeatCustomers: t.exposeInt('repeatCustomers', { nullable: false }),
    revenue: t.field({ type: 'Decimal', nullable: false, resolve: (m) => m.revenue }),
    repeatCustomerRate: t.exposeFloat('repeatCustomerRate', { nullable: true }),
    purchaseFrequency: t.exposeFloat('purchaseFrequency', { nullable: true }),
    averageOrderValue: t.exposeFloat('averageOrderValue', { nullable: true }),
    customerValue: t.exposeFloat('customerValue', { nullable: true }),
  }),
});

const NpsGroupEnum = builder.enumType('NpsGroup', { values: ['PROMOTERS', 'PASSIVES', 'DETRACTORS'] as const });

const GroupRevenueRef = builder.objectRef<{ currency: string; amount: string; perCustomer: number | null }>('GroupRevenue').implement({
  description: 'Revenue of one group in one currency.',
  fields: (t) => ({
    currency: t.exposeString('currency'),
    amount: t.field({ type: 'Decimal', resolve: (m) => m.amount }),
    perCustomer: t.exposeFloat('perCustomer', { nullable: true }),
  }),
});

export const NpsBehaviourRef = builder.objectRef<Awaited2<typeof npsBehaviour>[number]>('NpsGroupBehaviour').implement({
  description: 'What customers of one NPS group (by their latest NPS answer before the period ends) did in the period.',
  fields: (t) => ({
    group: t.field({ type: NpsGroupEnum, resolve: (m) => m.group as 'PROMOTERS' }),
    customers: t.exposeInt('customers', { nullable: false }),
    retentionRate: t.exposeFloat('retentionRate', { nullable: true }),
    churnRate: t.exposeFloat('churnRate', { nullable: true }),
    atStart: t.exposeInt('atStart', { nullable: false }),
    lostFromStart: t.exposeInt('lostFromStart', { nullable: false }),
    orders: t.exposeInt('orders', { nullable: false }),
    revenue: t.field({
      type: 'Decimal',
      nullable: true,
      description: 'Revenue in the period when all orders share one currency; null with several currencies (see revenueByCurrency).',
      resolve: (m) => m.revenue,
    }),
    revenuePerCustomer: t.exposeFloat('revenuePerCustomer', { nullable: true, description: 'As revenue, per customer of the group; null with several currencies.' }),
    revenueByCurrency: t.field({ type: [GroupRevenueRef], description: 'Revenue in the period per currency (amounts in different currencies are never added).', resolve: (m) => m.revenueByCurrency }),
  }),
});

export const WalletPeriodEnum = builder.enumType('WalletPeriod', { values: WALLET_PERIODS, description: 'The time unit of a stated category spend (per week, month or year).' });

export const ShareOfWalletMetricRef = builder.objectRef<Awaited2<typeof shareOfWalletMetric>>('ShareOfWalletMetric').implement({
  description:
    'Share of wallet: what customers spend with us / their total spend in the category, over the customers whose total is known (a customer attribute), the total scaled from per week/month/year to the period.',
  fields: (t) => ({
    share: t.exposeFloat('share', { nullable: true, description: 'Pooled: their spend with us / their total category spend x 100 (can pass 100 when stated totals are too low).' }),
    meanShare: t.exposeFloat('meanShare', { nullable: true, description: "The mean of each customer's share, each capped at 100: the typical customer's share." }),
    customers: t.exposeInt('customers', { nullable: false, description: 'Customers with a known (positive) category spend.' }),
    customersWithoutSpend: t.exposeInt('customersWithoutSpend', { nullable: false, description: 'Customers of the filter without one: left out.' }),
    customersOverTotal: t.int({ nullable: false, description: 'Customers who spent more with us than their stated total (the stated total is stale or too low).', resolve: (m) => m.overTotal }),
    spendWithUs: t.exposeFloat('spendWithUs', { nullable: false, description: 'Their orders in this currency in the period.' }),
    categorySpend: t.exposeFloat('categorySpend', { nullable: false, description: 'Their stated totals scaled to the period.' }),
    currency: t.exposeString('currency', { nullable: false }),
    per: t.field({ type: WalletPeriodEnum, nullable: false, resolve: (m) => m.per }),
  }),
});

export const RetentionTrendPointRef = builder.objectRef<Awaited2<typeof retentionTrend>[number]>('RetentionTrendPoint').implement({
  description: 'Retention and churn in one time bucket, the bucket taken as a period of its own.',
  fields: (t) => ({
    bucket: t.field({ type: 'LocalDate', nullable: false, description: 'First day of the bucket.', resolve: (m) => m.bucket }),
    retention: t.field({ type: RetentionMetricRef, nullable: false, resolve: (m) => m.retention }),
  }),
});

export const NpsBehaviourTrendPointRef = builder.objectRef<Awaited2<typeof npsBehaviourTrend>[number]>('NpsBehaviourTrendPoint').implement({
  description: 'NPS x behaviour in one time bucket: customers grouped by their latest NPS answer before the bucket starts, and what they did in it.',
  fields: (t) => ({
    bucket: t.field({ type: 'LocalDate', nullable: false, description: 'First day of the bucket.', resolve: (m) => m.bucket }),
    groups: t.field({ type: [NpsBehaviourRef], nullable: false, resolve: (m) => m.groups }),
  }),
});
