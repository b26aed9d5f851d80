import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { PERSONAL_DATA_COLUMNS } from '../src/core/customers/personal-data.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';
import { surveyApi, tokenOf } from './support/survey-helpers.js';

/** Every value that can hold the sentinel: text, JSON, arrays and enums of every table in every schema we own. */
const TEXT_COLUMNS = `
  SELECT c.table_schema::text AS "schema", c.table_name::text AS "table", c.column_name::text AS "column",
         EXISTS (SELECT 1 FROM information_schema.columns w WHERE w.table_schema = c.table_schema AND w.table_name = c.table_name AND w.column_name = 'workspaceId') AS "hasWorkspace"
    FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
   WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND t.table_type = 'BASE TABLE'
     AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED')
   ORDER BY 1, 2, 3`;

const SENTINEL = 'zqx7sentinel';
const ERASE = `mutation($input: EraseCustomerInput!) { eraseCustomer(input: $input) { __typename
  ... on EraseCustomerPayload { erasure { customerId erasedAt apiKeyId counts { table count } } } ... on Error { message } } }`;
const EXPORT = `query($id: ID!) { exportCustomerData(customerId: $id) }`;
const validateExport = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(new URL('../schemas/customer-export.schema.json', import.meta.url), 'utf8')));
const METRICS = `query($f: MetricsFilter!) { metrics(filter: $f) { nps { score responses } responseRate { rate delivered completed } commerce { currency orders revenue averageOrderValue } } }`;

describe.each(DATABASE_TARGETS)('personal data: export and erasure ($name)', (target) => {
  let t: TestApp;
  let api: ReturnType<typeof surveyApi>;
  let other: ReturnType<typeof surveyApi>;
  let otherWorkspace: string;
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const columns = async () => t.app.database.prisma.$queryRawUnsafe<Array<{ schema: string; table: string; column: string; hasWorkspace: boolean }>>(TEXT_COLUMNS);

  /** Rows outside the look-alike's workspace that contain `needle`, per column. */
  async function occurrences(needle: string, except: { eventType?: string; tables?: string[] } = {}): Promise<string[]> {
    const found: string[] = [];
    for (const { schema, table, column, hasWorkspace } of await columns()) {
      if (except.tables?.includes(table)) continue;
      const conditions = [`"${column}"::text ILIKE '%' || $1 || '%'`];
      if (hasWorkspace) conditions.push(`"workspaceId" <> $2::uuid`);
      if (table === 'DomainEvent' && except.eventType) conditions.push(`type <> '${except.eventType}'`);
      const params = hasWorkspace ? [needle, otherWorkspace] : [needle];
      const [row] = await t.app.database.prisma.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM "${schema}"."${table}" WHERE ${conditions.join(' AND ')}`, ...params);
      if (row!.n > 0) found.push(`${schema}.${table}.${column}: ${row!.n}`);
    }
    return found;
  }

  beforeAll(async () => {
    t = await startTestApp(target, { clock });
    api = surveyApi(t, (await t.workspace('Erasure')).key);
    const b = await t.workspace('Look-alike');
    otherWorkspace = b.id;
    other = surveyApi(t, b.key);
  });
  afterAll(async () => {
    await t.close();
  });

  it('classifies every text, JSON, array and enum column of the schema as personal or not', async () => {
    const unclassified = (await columns())
      .filter(({ schema, table, column }) => schema === 'public' && PERSONAL_DATA_COLUMNS[table]?.[column] === undefined)
      .map(({ table, column }) => `${table}.${column}`);
    expect(unclassified, 'add these to src/core/customers/personal-data.ts (and to erasure when they hold a person’s data)').toEqual([]);
  });

  it('removes every personal value from every column of every table, keeps past figures, and tells partners', async () => {
    const person = {
      externalId: `${SENTINEL}-ext`,
      firstName: `${SENTINEL}First`,
      infix: `${SENTINEL}infix`,
      lastName: `${SENTINEL}Last`,
      salutation: 'MS',
      email: `${SENTINEL}@example.com`,
      phone: '+31612345678',
      locale: 'nl',
      ageBand: `${SENTINEL}-age`,
      gender: `${SENTINEL}-gender`,
      incomeBand: `${SENTINEL}-income`,
      education: `${SENTINEL}-education`,
      maritalStatus: `${SENTINEL}-marital`,
      country: 'NL',
      province: `${SENTINEL}-province`,
      city: `${SENTINEL}-city`,
      postcode: `${SENTINEL}-pc`,
      devices: [`${SENTINEL}-phone`],
      apps: [`${SENTINEL}-app`],
      attributes: { note: `${SENTINEL}-attribute` },
      consentEmail: true,
    };
    const customerId = await api.customer(person);
    const lookAlike = await other.customer({ ...person, externalId: 'b-1', firstName: `${SENTINEL}Twin` });
    const survey = await api.survey({
      name: 'Service',
      kind: 'NPS',
      channel: 'link',
      questions: [
        { type: 'NPS', required: true, texts: [{ locale: 'nl', text: 'Aanbevelen?' }] },
        { type: 'OPEN_TEXT', texts: [{ locale: 'nl', text: 'Waarom?' }] },
      ],
    });
    await api.touchpoint({
      customerId,
      type: 'repair',
      journeyPhase: 'SERVICE',
      occurredAt: clock.now().toISOString(),
      subject: `${SENTINEL} wasmachine`,
      attributes: { engineer: `${SENTINEL}-visit` },
    });
    await api.ok(`mutation($input: CreateOrderInput!) { createOrder(input: $input) { __typename } }`, {
      input: { customerId, externalId: 'order-1', amount: '120.00', currency: 'EUR', orderedAt: clock.now().toISOString() },
    });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customerId] } });
    await t.app.dispatcher.dispatchDue();
    const [invitation] = await api.invitations({ customerId });
    const submitted = await api.ok(`mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { __typename ... on Error { message } } }`, {
      input: {
        token: tokenOf(invitation.url),
        complete: true,
        answers: [
          { questionId: survey.questions[0]!.id, score: 3 },
          { questionId: survey.questions[1]!.id, text: `${SENTINEL}: de monteur was te laat` },
        ],
      },
    });
    expect(submitted.submitResponse.__typename).toBe('SubmitResponsePayload');
    const [followUp] = (await api.ok(`{ followUps(first: 5) { edges { node { id comment } } } }`)).followUps.edges.map((edge: Loose) => edge.node);
    expect(followUp.comment).toContain(SENTINEL);
    await api.ok(`mutation($input: AddFollowUpNoteInput!) { addFollowUpNote(input: $input) { __typename } }`, {
      input: { id: followUp.id, author: 'Sanne', text: `Beste mevrouw ${SENTINEL}Last, gebeld.` },
    });
    // Platform data linked to the person: a review with an earlier version, and a bounce message quoting the address.
    const prisma = t.app.database.prisma;
    const workspaceId = (await api.ok(`{ workspace { id } }`)).workspace.id;
    const rowId = decodeGlobalID(customerId).id;
    const connection = await prisma.reviewConnection.create({ data: { workspaceId, platformCode: 'generic', name: 'Shop reviews', pushSecret: 'x'.repeat(32) } });
    const review = await prisma.review.create({
      data: {
        workspaceId,
        connectionId: connection.id,
        platformCode: 'generic',
        externalId: 'r-1',
        rating: 2,
        ratingMin: 1,
        ratingMax: 5,
        ratingNormalised: 0.25,
        title: `${SENTINEL} title`,
        text: `${SENTINEL} text`,
        authorName: `${SENTINEL}First L.`,
        authorEmail: person.email,
        orderReference: `${SENTINEL}-order`,
        url: `https://reviews.example/${SENTINEL}`,
        replyText: `Beste ${SENTINEL}First, excuses.`,
        replyStatus: 'PUBLISHED',
        publishedAt: clock.now(),
        customerId: rowId,
        contentHash: 'h',
      },
    });
    await prisma.reviewVersion.create({ data: { workspaceId, reviewId: review.id, version: 1, rating: 1, title: `${SENTINEL} old`, text: `${SENTINEL} old text` } });
    await prisma.invitation.updateMany({ where: { customerId: rowId }, data: { failureMessage: `550 ${person.email} unknown`, providerMessageId: `<${SENTINEL}@mail>` } });

    // Export (art. 15/20) with a key that may only export: every sentinel, nothing of the look-alike, valid against the published schema.
    const exporter = (
      await api.ok(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreateApiKeyPayload { created { secret } } ... on ValidationError { issues { message } } } }`, {
        input: { name: 'dpo', scopes: ['personal-data:export'] },
      })
    ).createApiKey.created.secret;
    const exported = await t.gql(exporter, EXPORT, { id: customerId });
    expect(exported.body.errors).toBeUndefined();
    const document = exported.body.data.exportCustomerData;
    expect(validateExport(document), JSON.stringify(validateExport.errors)).toBe(true);
    const serialized = JSON.stringify(document);
    const seeded = [
      ...Object.values(person).flatMap((value) => (typeof value === 'string' ? [value] : Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value) : [])),
      `${SENTINEL} wasmachine`,
      `${SENTINEL}-visit`,
      `${SENTINEL}: de monteur was te laat`,
      `Beste mevrouw ${SENTINEL}Last, gebeld.`,
      `${SENTINEL} title`,
      `${SENTINEL} text`,
      `${SENTINEL} old text`,
      `Beste ${SENTINEL}First, excuses.`,
      `550 ${person.email} unknown`,
    ].filter((value): value is string => typeof value === 'string' && value !== 'MS' && value !== 'nl' && value !== 'NL');
    expect(seeded.filter((value) => !serialized.includes(JSON.stringify(value).slice(1, -1)))).toEqual([]);
    expect(serialized).not.toContain(`${SENTINEL}Twin`);
    expect(document).toMatchObject({ format: 'cx-graph.customer-export/1', customer: { id: customerId, consents: { email: true, surveys: true } }, orders: [{ amount: '120.00', currency: 'EUR' }] });
    expect(document.responses[0].answers.map((answer: Loose) => answer.score ?? answer.text)).toEqual([3, `${SENTINEL}: de monteur was te laat`]);
    expect(document.followUps[0].notes).toHaveLength(1);
    expect(document.reviews[0].earlierVersions).toHaveLength(1);
    expect(document.events.map((event: Loose) => event.type)).toContain('response.completed');
    // Reading customers is not exporting them; another workspace's export of this id is null.
    const reader = (
      await api.ok(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreateApiKeyPayload { created { secret } } } }`, {
        input: { name: 'reader', scopes: ['customers:read'] },
      })
    ).createApiKey.created.secret;
    expect((await t.gql(reader, EXPORT, { id: customerId })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await other.ok(EXPORT, { id: customerId })).exportCustomerData).toBeNull();

    const filter = { period: { from: '2026-03-01', to: '2026-04-01' } };
    const before = await api.ok(METRICS, { f: filter });
    expect(before.metrics.nps.responses).toBe(1);
    expect((await occurrences(SENTINEL)).length).toBeGreaterThan(10);

    const erased = (await api.ok(ERASE, { input: { id: customerId } })).eraseCustomer;
    expect(erased.__typename).toBe('EraseCustomerPayload');
    const counts = Object.fromEntries(erased.erasure.counts.map((entry: Loose) => [entry.table, entry.count]));
    expect(counts).toMatchObject({ Customer: 1, Answer: 1, FollowUp: 1, FollowUpNote: 1, Review: 1, ReviewVersion: 1, Touchpoint: 1, Invitation: 1 });
    expect(counts.DomainEvent).toBeGreaterThan(0);

    // The export after erasure holds nothing about the person.
    const after = (await api.ok(EXPORT, { id: customerId })).exportCustomerData;
    expect(validateExport(after)).toBe(true);
    expect(JSON.stringify(after)).not.toMatch(new RegExp(SENTINEL, 'i'));
    // Not one sentinel left anywhere, and the person's id only in the erasure event.
    expect(await occurrences(SENTINEL)).toEqual([]);
    // (The audit log keeps the id: it is the record of who exported and erased whom.)
    expect(await occurrences(customerId, { eventType: 'customer.erased', tables: ['AuditEntry'] })).toEqual([]);
    const audit = await api.ok(`query($id: ID!) { auditLog(first: 10, filter: { targetId: $id }) { edges { node { operation outcome actorType } } } }`, { id: customerId });
    expect(audit.auditLog.edges.map((edge: Loose) => edge.node.operation)).toEqual(expect.arrayContaining(['eraseCustomer', 'exportCustomerData', 'createCustomer']));
    // Past figures are unchanged: scores, response rate and commerce.
    expect(await api.ok(METRICS, { f: filter })).toEqual(before);
    // Partners learn of it: one customer.erased event with the id only.
    const events = await prisma.domainEvent.findMany({ where: { workspaceId, type: 'customer.erased' } });
    expect(events.map((event) => event.data)).toEqual([{ customerId }]);
    // The look-alike in the other workspace is untouched.
    const twin = await other.ok(`query($id: ID!) { node(id: $id) { ... on Customer { firstName email erasedAt } } }`, { id: lookAlike });
    expect(twin.node).toEqual({ firstName: `${SENTINEL}Twin`, email: person.email, erasedAt: null });
    // The anonymous row stays; it cannot be filled in again.
    const row = await api.ok(`query($id: ID!) { node(id: $id) { ... on Customer { firstName email erasedAt consentSurveys } } }`, { id: customerId });
    expect(row.node).toEqual({ firstName: null, email: null, erasedAt: clock.now().toISOString(), consentSurveys: false });
    const refill = await api.ok(`mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { __typename } }`, { input: { id: customerId, firstName: 'Again' } });
    expect(refill.updateCustomer.__typename).toBe('NotFoundError');
  });

  it('answers a repeat with the same receipt, and another workspace’s id like a missing one', async () => {
    const customerId = await api.customer({ firstName: 'Twice' });
    const first = (await api.ok(ERASE, { input: { id: customerId } })).eraseCustomer.erasure;
    clock.advance({ minutes: 5 });
    const again = (await api.ok(ERASE, { input: { id: customerId } })).eraseCustomer.erasure;
    expect(again).toEqual(first);
    const viaDelete = await api.ok(`mutation($input: DeleteCustomerInput!) { deleteCustomer(input: $input) { __typename ... on DeleteCustomerPayload { customer { erasedAt } } } }`, {
      input: { id: customerId },
    });
    expect(viaDelete.deleteCustomer.customer.erasedAt).toBe(first.erasedAt);
    const foreign = (await other.ok(ERASE, { input: { id: customerId } })).eraseCustomer;
    const missing = (await other.ok(ERASE, { input: { id: encodeGlobalID('Customer', randomUUID()) } })).eraseCustomer;
    expect(foreign).toEqual({ __typename: 'NotFoundError', message: expect.stringMatching(/^Customer .* was not found$/) });
    expect(missing.__typename).toBe('NotFoundError');
    // Nothing happened to the other workspace's view of it either: still erased once, by A.
    expect(await t.app.database.prisma.erasureReceipt.count({ where: { customerId: decodeGlobalID(customerId).id } })).toBe(1);
  });
});
