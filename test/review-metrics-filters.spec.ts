import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { surveyApi } from './support/survey-helpers.js';

/** Review metrics follow the customer and segment filters like every other metric. */
describe.each(DATABASE_TARGETS)('review metrics with customer filters ($name)', (target) => {
  let t: TestApp;
  let api: ReturnType<typeof surveyApi>;

  beforeAll(async () => {
    t = await startTestApp(target);
    api = surveyApi(t, (await t.workspace('Reviews filtered')).key);
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts only reviews of matching customers when the filter names who the customer is', async () => {
    const dutch = await api.customer({ firstName: 'Nl', country: 'NL' });
    const dutchToo = await api.customer({ firstName: 'Nl2', country: 'NL' });
    const belgian = await api.customer({ firstName: 'Be', country: 'BE' });
    const workspaceId = (await api.ok(`{ workspace { id } }`)).workspace.id;
    const prisma = t.app.database.prisma;
    const connection = await prisma.reviewConnection.create({ data: { workspaceId, platformCode: 'generic', name: 'Reviews', pushSecret: 'y'.repeat(32) } });
    const review = (externalId: string, stars: number, customerId: string | null) =>
      prisma.review.create({
        data: {
          workspaceId,
          connectionId: connection.id,
          platformCode: 'generic',
          externalId,
          rating: stars,
          ratingMin: 1,
          ratingMax: 5,
          ratingNormalised: (stars - 1) / 4,
          publishedAt: new Date('2026-05-10T10:00:00Z'),
          customerId: customerId && decodeGlobalID(customerId).id,
          contentHash: externalId,
        },
      });
    await review('r1', 5, dutch);
    await review('r2', 3, dutchToo);
    await review('r3', 1, belgian);
    await review('r4', 4, null);
    const segment = (await api.ok(`mutation { createSegment(input: { name: "Belgen", kind: STATIC }) { ... on CreateSegmentPayload { segment { id } } } }`)).createSegment.segment.id;
    await api.ok(`mutation($input: AddCustomersToSegmentInput!) { addCustomersToSegment(input: $input) { __typename } }`, { input: { segmentId: segment, customerIds: [belgian] } });

    const period = { from: '2026-05-01', to: '2026-06-01' };
    const count = async (filter: Record<string, unknown>) =>
      (await api.ok(`query($f: MetricsFilter!) { metrics(filter: $f) { reviews { count meanStars lowSample } } }`, { f: { period, ...filter } })).metrics.reviews;
    expect((await count({})).count).toBe(4);
    // Two reviews make an average, but not one to act on: flagged.
    expect(await count({ customer: { country: 'NL' } })).toEqual({ count: 2, meanStars: 4, lowSample: true });
    expect((await count({ segmentIds: [segment] })).count).toBe(1);
    const own = await api.ok(`query($id: ID!, $p: DateRange!) { node(id: $id) { ... on Segment { metrics(period: $p) { reviews { count meanStars } } } } }`, { id: segment, p: period });
    expect(own.node.metrics.reviews).toEqual({ count: 1, meanStars: 1 });

    // Per month: the same figures in May, empty months around it; and as a chart.
    const trend = await api.ok(
      `query($f: MetricsFilter!) { metrics(filter: $f) { reviews { count meanStars } reviewsTrend(bucket: MONTH) { bucket reviews { count meanStars lowSample } } chart(kind: REVIEW_RATING, bucket: MONTH) { svgUrl } } }`,
      { f: { period: { from: '2026-04-01', to: '2026-07-01' } } },
    );
    expect(trend.metrics.reviewsTrend).toEqual([
      { bucket: '2026-04-01', reviews: { count: 0, meanStars: null, lowSample: true } },
      { bucket: '2026-05-01', reviews: { ...trend.metrics.reviews, lowSample: true } },
      { bucket: '2026-06-01', reviews: { count: 0, meanStars: null, lowSample: true } },
    ]);
    const url = new URL(trend.metrics.chart.svgUrl);
    const svg = await (await t.http(url.pathname + url.search)).text();
    expect(svg).toContain('Review rating: mean stars');
    expect(svg.match(/<circle /g)).toHaveLength(1);
    expect(svg).toContain('(4 reviews)');
  });
});
