import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import axe from 'axe-core';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCustomer } from '../src/http/widget.js';
import { listen, type RunningServer } from '../src/server.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { surveyApi } from './support/survey-helpers.js';

const SCREENSHOTS = 'test-results/screenshots';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VIEWPORTS = [
  { width: 320, height: 640 },
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
] as const;
const LANGUAGES = [
  { locale: 'nl', next: 'Volgende', question: 'Hoe waarschijnlijk is het dat u ons aanbeveelt bij vrienden of collega’s?', low: 'Zeer onwaarschijnlijk' },
  { locale: 'en', next: 'Next', question: 'How likely are you to recommend us to a friend or colleague?', low: 'Not at all likely' },
  { locale: 'de', next: 'Weiter', question: 'Wie wahrscheinlich ist es, dass Sie uns Freunden oder Kollegen empfehlen?', low: 'Sehr unwahrscheinlich' },
  { locale: 'fr', next: 'Suivant', question: 'Quelle est la probabilité que vous nous recommandiez à un ami ou un collègue ?', low: 'Pas du tout probable' },
] as const;

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** axe-core in the page (or frame): WCAG 2.0-2.2 A and AA rules; returns the serious and critical violations. */
async function seriousViolations(target: Page | Frame): Promise<Array<{ id: string; impact: string; nodes: string[] }>> {
  await target.addScriptTag({ content: axe.source });
  const results = await target.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    return run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
  });
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, impact: violation.impact!, nodes: violation.nodes.map((node) => node.html) }));
}

/**
 * The survey as customers meet it in Debian's Chromium: the page in four languages at phone and
 * desktop widths (layout, accessibility, screenshots), a score clicked in the variant-B mail, and
 * a score clicked in the website widget.
 */
describe('the survey experience in a real browser', () => {
  let t: TestApp;
  let server: RunningServer;
  let browser: Browser;
  let api: ReturnType<typeof surveyApi>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let survey: { id: string; questions: Array<{ id: string }> };
  let workspaceId: string;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    smtp = await startSmtpSink();
    const port = await freePort();
    t = await startTestApp(DATABASE_TARGETS[0]!, { env: { PUBLIC_URL: `http://127.0.0.1:${port}` } });
    server = await listen(t.app, { host: '127.0.0.1', port, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const workspace = await t.workspace('Browser experience');
    workspaceId = workspace.id;
    api = surveyApi(t, workspace.key);
    await api.ok(`mutation($input: UpdateWorkspaceInput!) { updateWorkspace(input: $input) { __typename } }`, {
      input: { companyName: 'Fietshuis Berg', accentColor: '#0b5e3a', senderName: 'Fietshuis Berg' },
    });
    await api.ok(`mutation($input: ConfigureSurveyChannelInput!) { configureSurveyChannel(input: $input) { __typename } }`, {
      input: { code: 'email', settings: { host: '127.0.0.1', port: smtp.port, from: 'service@fietshuis.example' } },
    });
    survey = await api.survey({
      name: 'Experience',
      kind: 'NPS',
      questions: [
        {
          type: 'NPS',
          required: true,
          texts: LANGUAGES.map((language) => ({ locale: language.locale, text: language.question })),
        },
        {
          type: 'MULTIPLE_CHOICE',
          texts: [
            { locale: 'nl', text: 'Wat viel op?' },
            { locale: 'en', text: 'What stood out?' },
            { locale: 'de', text: 'Was ist aufgefallen?' },
            { locale: 'fr', text: 'Qu’avez-vous remarqué ?' },
          ],
          options: [
            {
              value: 'speed',
              labels: [
                { locale: 'nl', text: 'Snelheid' },
                { locale: 'en', text: 'Speed' },
                { locale: 'de', text: 'Schnelligkeit' },
                { locale: 'fr', text: 'Rapidité' },
              ],
            },
            {
              value: 'price',
              labels: [
                { locale: 'nl', text: 'Prijs' },
                { locale: 'en', text: 'Price' },
                { locale: 'de', text: 'Preis' },
                { locale: 'fr', text: 'Prix' },
              ],
            },
          ],
        },
      ],
      embedFirstQuestionPercent: 100,
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
    await smtp?.close();
    await t.app.database.close().catch(() => undefined);
  });

  async function invite(locale: string, channel: string, extra: Record<string, unknown> = {}) {
    const customerId = await api.customer({ firstName: `Klant ${locale} ${channel}`, locale, ...extra });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customerId], channel } });
    await t.app.dispatcher.dispatchDue();
    const [invitation] = await api.invitations({ customerId });
    return { customerId, url: invitation.url as string };
  }

  const answersOf = async (customerId: string) =>
    (
      await api.ok(`query($f: SurveyResponseFilter) { surveyResponses(first: 1, filter: $f) { edges { node { completed source answers { score choices } } } } }`, { f: { customerId } })
    ).surveyResponses.edges.map((edge: Loose) => edge.node);

  it('has an accessibility check that finds violations where they exist', async () => {
    const page = await browser.newPage();
    await page.setContent(
      '<!doctype html><html lang="en"><head><title>x</title></head><body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p style="color:#ddd;background:#fff">faint</p></main></body></html>',
    );
    expect((await seriousViolations(page)).map((violation) => violation.id).sort()).toEqual(['color-contrast', 'image-alt']);
    await page.close();
  });

  it.each(LANGUAGES)(
    'shows the page in $locale at 320, 390 and 1280 px: no overflow, no serious axe violations',
    async (language) => {
      const { customerId, url } = await invite(language.locale, 'link');
      for (const viewport of VIEWPORTS) {
        const context = await browser.newContext({ viewport, locale: language.locale });
        const page = await context.newPage();
        await page.goto(`${url}?q=0`);
        expect(await page.locator('html').getAttribute('lang')).toBe(language.locale);
        expect(await page.locator('legend').textContent()).toBe(language.question);
        expect(await page.locator('.ends span').first().textContent()).toBe(language.low);
        expect(await page.locator('header.brand').textContent()).toBe('Fietshuis Berg');
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `page overflow at ${viewport.width} px`).toBeLessThanOrEqual(viewport.width);
        const tops = await page.evaluate(() => new Set([...document.querySelectorAll('.scale label')].map((label) => Math.round(label.getBoundingClientRect().top))).size);
        expect(tops, `rows of the 0-10 scale at ${viewport.width} px`).toBe(1);
        // The high anchor's text ends under the 10, even when it wraps.
        const ends = await page.evaluate(() => {
          const range = document.createRange();
          range.selectNodeContents(document.querySelector('.ends span:last-child')!);
          const text = [...range.getClientRects()].map((rect) => rect.right);
          return { textRight: Math.max(...text), scaleRight: document.querySelector('.scale label:last-child')!.getBoundingClientRect().right };
        });
        expect(Math.abs(ends.textRight - ends.scaleRight), `high anchor under the 10 at ${viewport.width} px`).toBeLessThan(3);
        await page.screenshot({ path: `${SCREENSHOTS}/${language.locale}-${viewport.width}-nps.png`, fullPage: true });
        expect(await seriousViolations(page), `${language.locale} at ${viewport.width} px`).toEqual([]);
        await page.goto(`${url}?q=1`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
        await page.screenshot({ path: `${SCREENSHOTS}/${language.locale}-${viewport.width}-choices.png`, fullPage: true });
        expect(await seriousViolations(page), `${language.locale} choices at ${viewport.width} px`).toEqual([]);
        await context.close();
      }
      // Answered on the phone: a tap on the score, two ticked choices, Enter sends.
      const context = await browser.newContext({ viewport: VIEWPORTS[0], locale: language.locale, hasTouch: true, isMobile: true });
      const page = await context.newPage();
      await page.goto(url);
      await page.locator('label', { hasText: /^9$/ }).tap();
      await page.waitForURL(/\?q=1$/);
      await page.locator('input[value=speed]').check();
      await page.locator('input[value=price]').check();
      await page.locator('input[value=price]').press('Enter');
      await page.getByRole('status').waitFor();
      await page.screenshot({ path: `${SCREENSHOTS}/${language.locale}-320-thanks.png`, fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);
      await context.close();
      expect(await answersOf(customerId)).toEqual([
        {
          completed: true,
          source: 'PAGE',
          answers: [
            { score: 9, choices: [] },
            { score: null, choices: ['price', 'speed'] },
          ],
        },
      ]);
    },
    120_000,
  );

  it('stores a score clicked in the variant-B mail at once; the mail does not overflow 320 px', async () => {
    const { customerId } = await invite('nl', 'email', { email: 'mail@example.com', consentEmail: true });
    const [mail] = await smtp.waitFor(1);
    const context = await browser.newContext({ viewport: VIEWPORTS[0], locale: 'nl' });
    const page = await context.newPage();
    await page.setContent(String(mail!.html));
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'mail overflow at 320 px').toBeLessThanOrEqual(320);
    const rows = await page.evaluate(() => new Set([...document.querySelectorAll('td a')].map((link) => Math.round(link.getBoundingClientRect().top))).size);
    expect(rows).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/mail-variant-b-320.png`, fullPage: true });
    await page.getByRole('link', { name: '8', exact: true }).click();
    await page.waitForURL(/\?q=1$/);
    // Stored before the customer does anything else on the page.
    expect(await answersOf(customerId)).toEqual([{ completed: false, source: 'PAGE', answers: [{ score: 8, choices: [] }] }]);
    await context.close();
  }, 60_000);

  it('stores a score clicked in the website widget at once, and the widget passes axe', async () => {
    const secret = 'w'.repeat(40);
    const host: Server = createServer((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          `<!doctype html><html lang="de"><head><title>Shop</title></head><body><main><h1>Shop</h1></main><script src="${server.url}/widget.js" data-workspace="${workspaceId}" data-customer="web-de" data-signature="${signCustomer(secret, 'web-de')}" async></script></body></html>`,
        );
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    try {
      await api.ok(`mutation($input: ConfigureSurveyChannelInput!) { configureSurveyChannel(input: $input) { __typename } }`, {
        input: { code: 'widget', settings: { secret, allowedOrigins: [origin] } },
      });
      const { customerId } = await invite('de', 'widget', { externalId: 'web-de' });
      const context = await browser.newContext({ viewport: VIEWPORTS[1], locale: 'de' });
      const page = await context.newPage();
      await page.goto(origin);
      const dialog = page.getByRole('dialog', { name: 'Ihre Meinung' });
      await dialog.waitFor();
      const frame = page.frames().find((candidate) => candidate.url().includes('embed=1'))!;
      await frame.locator('legend').waitFor();
      expect(await frame.locator('legend').textContent()).toBe(LANGUAGES[2].question);
      expect(await seriousViolations(frame)).toEqual([]);
      await page.screenshot({ path: `${SCREENSHOTS}/widget-de-390.png` });
      await frame.locator('label', { hasText: /^7$/ }).click();
      await expect.poll(() => answersOf(customerId), { timeout: 15_000 }).toEqual([{ completed: false, source: 'WIDGET', answers: [{ score: 7, choices: [] }] }]);
      await context.close();
    } finally {
      await new Promise<void>((resolve) => host.close(() => resolve()));
    }
  }, 60_000);
});
