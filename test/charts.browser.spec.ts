import { mkdir } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { listen, type RunningServer } from '../src/server.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { surveyApi } from './support/survey-helpers.js';

const SCREENSHOTS = 'test-results/screenshots';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHART = `query($s: ID!, $hours: Int) { metrics(filter: { period: { from: "2026-01-01", to: "2026-04-01" }, surveyIds: [$s] }) {
  chart(kind: NPS, bucket: MONTH, validForHours: $hours) { svgUrl pngUrl expiresAt }
  npsTrend(bucket: MONTH) { bucket nps { score responses } }
} }`;

/**
 * Charts to embed: a signed link from `metrics { chart }` draws the trend as SVG (and a PNG twin
 * for mail clients) from the same figures the API returns, in the workspace's colour, until the
 * link expires; looked at in Chromium at mail width.
 */
describe.each(DATABASE_TARGETS)('trend charts ($name)', (target) => {
  let t: TestApp;
  let key: string;
  let api: ReturnType<typeof surveyApi>;
  let surveyId = '';
  const clock = new ManualClock('2026-01-10T12:00:00Z');
  const path = (url: string) => new URL(url).pathname + new URL(url).search;

  beforeAll(async () => {
    t = await startTestApp(target, { clock });
    key = (await t.workspace('Charts')).key;
    api = surveyApi(t, key);
    await api.ok(`mutation { updateWorkspace(input: { companyName: "Fietshuis Berg", accentColor: "#0b5e3a" }) { __typename } }`);
    const survey = await api.survey({ name: 'NPS', kind: 'NPS' });
    surveyId = survey.id;
    const customer = await api.customer({ firstName: 'C', phone: '+31612345678', consentPhone: true });
    const answer = async (at: string, score: number) => {
      clock.set(new Date(at));
      await api.ok(`mutation($input: RecordPhoneResponseInput!) { recordPhoneResponse(input: $input) { __typename } }`, {
        input: { surveyId, customerId: customer, agentName: 'Sanne', answers: [{ questionId: survey.questions[0]!.id, score }] },
      });
    };
    // January: 10, 9, 3 (NPS 33.3); February: none; March: 10, 8 (NPS 50).
    await answer('2026-01-10T10:00:00Z', 10);
    await answer('2026-01-11T10:00:00Z', 9);
    await answer('2026-01-12T10:00:00Z', 3);
    await answer('2026-03-03T10:00:00Z', 10);
    await answer('2026-03-04T10:00:00Z', 8);
    clock.set(new Date('2026-04-02T09:00:00Z'));
  });
  afterAll(() => t.close());

  it('draws the trend the API returns as SVG and PNG, in the workspace colour, with a gap for a month without answers', async () => {
    const data = await api.ok(CHART, { s: surveyId });
    const scores = data.metrics.npsTrend.map((point: { nps: { score: number | null } }) => point.nps.score);
    expect(scores[0]).toBeCloseTo(100 / 3, 10);
    expect(scores.slice(1)).toEqual([null, 50]);
    expect(data.metrics.chart.expiresAt).toBe('2026-04-09T09:00:00.000Z');
    const svg = await t.http(path(data.metrics.chart.svgUrl));
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const body = await svg.text();
    expect(body).toContain('<title id="t">Fietshuis Berg: NPS per month, 2026-01-01 to 2026-04-01</title>');
    expect(body.match(/<circle /g)).toHaveLength(2);
    expect(body).toContain('stroke="#0b5e3a"');
    expect(body).toContain('2026-01-01: 33.3 (3 answers)');
    expect(body).toContain('2026-03-01: 50 (2 answers)');
    expect(body).not.toMatch(/<script|href=/);

    const png = await t.http(path(data.metrics.chart.pngUrl));
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    // Twice the SVG's 600 x 300, for sharp screens.
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 600]);

    // The response rate over the same months, from the same kind of link.
    const rates = await api.ok(
      `query($s: ID!) { metrics(filter: { period: { from: "2026-01-01", to: "2026-04-01" }, surveyIds: [$s] }) { chart(kind: RESPONSE_RATE, bucket: MONTH) { svgUrl } responseRateTrend(bucket: MONTH) { responseRate { rate delivered } } } }`,
      { s: surveyId },
    );
    const rateSvg = await (await t.http(path(rates.metrics.chart.svgUrl))).text();
    expect(rateSvg).toContain('Response rate: % of delivered invitations completed');
    const delivered = rates.metrics.responseRateTrend.filter((point: { responseRate: { delivered: number } }) => point.responseRate.delivered > 0).length;
    expect(rateSvg.match(/<circle /g)?.length ?? 0).toBe(delivered);
  });

  it('refuses a changed link, an expired one and a lifetime out of range', async () => {
    const data = await api.ok(CHART, { s: surveyId, hours: 1 });
    const url = new URL(data.metrics.chart.svgUrl);
    const [payload, signature] = url.searchParams.get('token')!.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const other = Buffer.from(JSON.stringify({ ...claims, workspaceId: '00000000-0000-4000-8000-000000000000' })).toString('base64url');
    expect((await t.http(`/charts/trend.svg?token=${other}.${signature}`)).status).toBe(403);
    clock.set(new Date(clock.now().getTime() + 61 * 60_000));
    expect((await t.http(path(data.metrics.chart.svgUrl))).status).toBe(410);
    const refused = await t.gql(key, CHART, { s: surveyId, hours: 0 });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });
});

describe('trend charts in a real browser', () => {
  let t: TestApp;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    t = await startTestApp(DATABASE_TARGETS[0]!);
    server = await listen(t.app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
    await t.app.database.close().catch(() => undefined);
  });

  it('shows the SVG and the PNG at mail width, with nothing cut off', async () => {
    const { key } = await t.workspace('Browser');
    const api = surveyApi(t, key);
    const survey = await api.survey({ name: 'NPS', kind: 'NPS' });
    const customer = await api.customer({ firstName: 'C', phone: '+31612345678', consentPhone: true });
    for (const score of [10, 9, 7, 4])
      await api.ok(`mutation($input: RecordPhoneResponseInput!) { recordPhoneResponse(input: $input) { __typename } }`, {
        input: { surveyId: survey.id, customerId: customer, agentName: 'Sanne', answers: [{ questionId: survey.questions[0]!.id, score }] },
      });
    const now = new Date();
    const month = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 10);
    const data = await api.ok(CHART.replace('from: "2026-01-01", to: "2026-04-01"', `from: "${month(-2)}", to: "${month(1)}"`), { s: survey.id });
    const local = (url: string) => `${server.url}${new URL(url).pathname}${new URL(url).search}`;
    const page = await browser.newPage({ viewport: { width: 600, height: 700 } });
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.setContent(
      `<!doctype html><body style="margin:0"><img id="svg" src="${local(data.metrics.chart.svgUrl)}" width="600" alt="NPS"><img id="png" src="${local(data.metrics.chart.pngUrl)}" width="600" alt="NPS"></body>`,
    );
    await page.waitForFunction(() => [...document.images].every((image) => image.complete && image.naturalWidth > 0));
    const sizes = await page.evaluate(() => [...document.images].map((image) => [image.naturalWidth, image.naturalHeight]));
    expect(sizes).toEqual([
      [600, 300],
      [1200, 600],
    ]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(600);
    await page.screenshot({ path: `${SCREENSHOTS}/chart-nps-600.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
