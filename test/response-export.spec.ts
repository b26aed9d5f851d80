import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { signExportLink } from '../src/core/exports/export-link.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';
import { surveyApi } from './support/survey-helpers.js';

const SECRET = 'export-links-secret-for-the-tests-0123456789';
const LINK = `query($filter: MetricsFilter!, $format: ExportFormat) { responseExportLink(filter: $filter, format: $format) { url expiresAt format } }`;

/**
 * Response export through the API as a team uses it: a signed, expiring link from GraphQL, the file
 * downloaded over HTTP as CSV or Excel, one row per response and a column per question, times in
 * the workspace's time zone; personal columns only for callers who may see them.
 */
describe.each(DATABASE_TARGETS)('response export ($name)', (target) => {
  let t: TestApp;
  let key: string;
  let api: ReturnType<typeof surveyApi>;
  const clock = new ManualClock('2026-03-10T12:00:00Z');
  let surveyId = '';

  const record = async (at: string, customer: string, answers: Array<Record<string, unknown>>) => {
    clock.set(new Date(at));
    const res = await api.ok(`mutation($input: RecordPhoneResponseInput!) { recordPhoneResponse(input: $input) { __typename ... on Error { message } } }`, {
      input: { surveyId, customerId: customer, agentName: 'Sanne', answers },
    });
    expect(res.recordPhoneResponse.__typename).toBe('RecordPhoneResponsePayload');
  };
  const download = async (url: string) => t.http(new URL(url).pathname + new URL(url).search);

  beforeAll(async () => {
    t = await startTestApp(target, { clock, env: { EXPORT_LINK_SECRET: SECRET } });
    key = (await t.workspace('Export')).key;
    api = surveyApi(t, key);
    const survey = await api.survey({
      name: 'Na levering',
      kind: 'NPS',
      questions: [
        { type: 'NPS', required: true, texts: [{ locale: 'nl', text: 'Hoe waarschijnlijk beveelt u ons aan?' }] },
        {
          type: 'MULTIPLE_CHOICE',
          texts: [{ locale: 'nl', text: 'Wat viel op?' }],
          options: [
            { value: 'speed', labels: [{ locale: 'nl', text: 'Snelheid' }] },
            { value: 'price', labels: [{ locale: 'nl', text: 'Prijs' }] },
          ],
        },
        { type: 'OPEN_TEXT', texts: [{ locale: 'nl', text: 'Wat kunnen we beter doen?' }] },
      ],
    });
    surveyId = survey.id;
    const [nps, choice, open] = survey.questions.map((question) => question.id);
    const anna = await api.customer({ externalId: 'c-anna', firstName: 'Anna', phone: '+31611111111', consentPhone: true });
    const bram = await api.customer({ externalId: 'c-bram', firstName: 'Bram', phone: '+31622222222', consentPhone: true });
    // 23:59 on 10 March in Amsterdam: outside a period that starts on 11 March.
    await record('2026-03-10T22:59:00Z', anna, [{ questionId: nps, score: 3 }]);
    // 00:30 on 11 March in Amsterdam (still 10 March in UTC).
    await record('2026-03-10T23:30:00Z', anna, [
      { questionId: nps, score: 9 },
      { questionId: choice, choices: ['speed', 'price'] },
      { questionId: open, text: '=HYPERLINK("http://evil.example")' },
    ]);
    await record('2026-03-11T10:15:00Z', bram, [
      { questionId: nps, score: 6 },
      { questionId: choice, skipped: true },
      { questionId: open, text: 'Bezorger was vriendelijk, "top"' },
    ]);
  });
  afterAll(() => t.close());

  it('gives a signed link that downloads one CSV row per response, a column per question, in the workspace time zone', async () => {
    clock.set(new Date('2026-03-12T09:00:00Z'));
    const link = await api.ok(LINK, { filter: { period: { from: '2026-03-11', to: '2026-03-12' } } });
    expect(link.responseExportLink.format).toBe('CSV');
    expect(link.responseExportLink.expiresAt).toBe('2026-03-12T09:15:00.000Z');
    const res = await download(link.responseExportLink.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="responses-2026-03-11-2026-03-12.csv"');
    const bytes = Buffer.from(await res.arrayBuffer());
    // A byte-order mark first, so that spreadsheet programs read the accents right.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = bytes.toString('utf8');
    const [headers, ...rows] = parse(body, { bom: true }) as string[][];
    expect(headers).toEqual([
      'response id',
      'survey',
      'started (Europe/Amsterdam)',
      'completed (Europe/Amsterdam)',
      'channel',
      'language',
      'business unit',
      'journey phase',
      'touchpoint type',
      'variant',
      'recorded by',
      'customer external id',
      'Q1 Hoe waarschijnlijk beveelt u ons aan?',
      'Q2 Wat viel op?',
      'Q3 Wat kunnen we beter doen?',
    ]);
    expect(rows.map((row) => [row[2], row[3], row[4], row[10], row[11], row[12], row[13], row[14]])).toEqual([
      ['2026-03-11 00:30:00', '2026-03-11 00:30:00', 'phone', 'Sanne', 'c-anna', '9', 'price|speed', `'=HYPERLINK("http://evil.example")`],
      ['2026-03-11 11:15:00', '2026-03-11 11:15:00', 'phone', 'Sanne', 'c-bram', '6', '', 'Bezorger was vriendelijk, "top"'],
    ]);
    expect(rows[0]![0]).toMatch(/^[A-Za-z0-9+/=]+$/);
  });

  it('downloads the same rows as an Excel workbook', async () => {
    const link = await api.ok(LINK, { filter: { period: { from: '2026-03-01', to: '2026-04-01' } }, format: 'XLSX' });
    const res = await download(link.responseExportLink.url);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sheet = workbook.getWorksheet('Responses')!;
    const values = (row: number) => (sheet.getRow(row).values as unknown[]).slice(1);
    expect(sheet.rowCount).toBe(4);
    expect(values(1)[12]).toBe('Q1 Hoe waarschijnlijk beveelt u ons aan?');
    expect(values(2).slice(11, 13)).toEqual(['c-anna', 3]);
    // In a workbook the text is a string cell, never a formula: it needs no apostrophe.
    expect(values(3).slice(11)).toEqual(['c-anna', 9, 'price|speed', '=HYPERLINK("http://evil.example")']);
    expect(typeof values(4)[12]).toBe('number');
  });

  it('leaves out the customer and open answers without personal-data access, and refuses changed or expired links', async () => {
    // What the link of a VIEWER member carries (API keys always read personal data).
    const workspace = await t.app.database.prisma.workspace.findFirstOrThrow({ where: { name: 'Export' } });
    const expiresAt = clock.now().getTime() + 15 * 60_000;
    const token = signExportLink(SECRET, { workspaceId: workspace.id, filter: { period: { from: '2026-03-11', to: '2026-03-12' } }, format: 'CSV', personalData: false, expiresAt });
    const body = await (await t.http(`/exports/responses?token=${token}`)).text();
    const [headers, ...rows] = parse(body, { bom: true }) as string[][];
    expect(headers).not.toContain('customer external id');
    expect(headers!.at(-1)).toBe('Q2 Wat viel op?');
    expect(rows).toHaveLength(2);
    expect(body).not.toContain('HYPERLINK');

    const [payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, personalData: true })).toString('base64url');
    const changed = await t.http(`/exports/responses?token=${forged}.${signature}`);
    expect(changed.status).toBe(403);
    expect(await changed.text()).toContain('not valid');
    expect((await t.http('/exports/responses?token=nonsense')).status).toBe(403);
    const other = signExportLink('another-secret-of-at-least-32-characters', { ...claims, personalData: true });
    expect((await t.http(`/exports/responses?token=${other}`)).status).toBe(403);
    clock.set(new Date(expiresAt + 1000));
    const expired = await t.http(`/exports/responses?token=${token}`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('expired');
  });

  it('names a bad filter field', async () => {
    const res = await t.gql(key, LINK, { filter: { period: { from: '2026-03-12', to: '2026-03-11' } } });
    expect(res.body.errors![0]!.extensions!.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body.errors![0]!.extensions)).toContain('to');
  });
});
