import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { surveyApi } from './support/survey-helpers.js';

const FIELDS = 'share meanShare customers customersWithoutSpend customersOverTotal spendWithUs categorySpend currency per';

describe.each(DATABASE_TARGETS)('share of wallet ($name)', (target) => {
  let t: TestApp;
  let api: ReturnType<typeof surveyApi>;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp(target);
    key = (await t.workspace('Supermarkt')).key;
    api = surveyApi(t, key);
    const order = (customerId: string, amount: string, orderedAt: string, currency = 'EUR', channel = 'shop') =>
      api.ok(`mutation($input: CreateOrderInput!) { createOrder(input: $input) { __typename } }`, { input: { customerId, amount, currency, orderedAt, channel } });
    // Hand-computed fixture, March 2026 (one month): stated groceries per month.
    const anna = await api.customer({ firstName: 'Anna', attributes: { groceriesPerMonth: 400 } });
    await order(anna, '150.00', '2026-03-03T10:00:00Z');
    await order(anna, '150.00', '2026-03-20T10:00:00Z');
    await order(anna, '500.00', '2026-02-20T10:00:00Z'); // before the period
    await order(anna, '99.00', '2026-03-21T10:00:00Z', 'USD'); // another currency
    const bert = await api.customer({ firstName: 'Bert', attributes: { groceriesPerMonth: '200' } }); // a number in a string (CSV imports)
    await order(bert, '250.00', '2026-03-10T10:00:00Z', 'EUR', 'web'); // more than stated
    await api.customer({ firstName: 'Cor', attributes: { groceriesPerMonth: 100 } }); // nothing with us
    await api.customer({ firstName: 'Dirk', attributes: { groceriesPerMonth: 'veel' } }); // not a number: left out
    await api.customer({ firstName: 'Els' }); // unknown: left out
  });
  afterAll(() => t?.close());

  const query = (args: string, filter: Record<string, unknown> = {}) =>
    api.ok(`query($filter: MetricsFilter!) { metrics(filter: $filter) { shareOfWallet(${args}) { ${FIELDS} } } }`, {
      filter: { period: { from: '2026-03-01', to: '2026-04-01' }, ...filter },
    });

  it('pools spend with us over the stated totals of the customers who have one, and averages each customer’s capped share', async () => {
    const { shareOfWallet } = (await query('spendAttribute: "groceriesPerMonth"')).metrics;
    // Anna 300/400 = 75%, Bert 250/200 = 125% (capped at 100 in the mean), Cor 0/100 = 0%.
    expect(shareOfWallet).toEqual({
      share: (550 / 700) * 100,
      meanShare: expect.closeTo((75 + 100 + 0) / 3, 10),
      customers: 3,
      customersWithoutSpend: 2,
      customersOverTotal: 1,
      spendWithUs: 550,
      categorySpend: 700,
      currency: 'EUR',
      per: 'MONTH',
    });
  });

  it('scales a stated spend to the period, and applies the order filters and the currency', async () => {
    // Stated per week: a 31-day month is 31/7 weeks.
    const weekly = (await query('spendAttribute: "groceriesPerMonth", per: WEEK')).metrics.shareOfWallet;
    expect(weekly.categorySpend).toBeCloseTo((700 * 31) / 7, 9);
    const shopOnly = (await query('spendAttribute: "groceriesPerMonth"', { channels: ['shop'] })).metrics.shareOfWallet;
    expect(shopOnly).toMatchObject({ spendWithUs: 300, customersOverTotal: 0 });
    const usd = (await query('spendAttribute: "groceriesPerMonth", currency: "USD"')).metrics.shareOfWallet;
    expect(usd).toMatchObject({ spendWithUs: 99, categorySpend: 700 });
  });

  it('refuses a malformed attribute key or currency, naming the argument', async () => {
    const res = await t.gql(key, `{ metrics(filter: { period: { from: "2026-03-01", to: "2026-04-01" } }) { shareOfWallet(spendAttribute: "a b", currency: "eur") { share } } }`);
    expect(res.status).toBe(200);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors?.[0]?.message).toContain('spendAttribute');
  });
});
