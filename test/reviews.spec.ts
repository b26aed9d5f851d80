import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { listen } from '../src/server.js';
import { ManualClock } from '../src/core/clock.js';
import { reviewRatings } from '../src/core/metrics/review-ratings.js';
import { runReviewRules } from '../src/core/reviews/review-invitation.service.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { createFakeReviewPlugin, fakeReviewStore } from './fixtures/fake-review-platform.js';
import { seedReviews } from './fixtures/stand-ins/seed-review.js';
import { startTrustpilotStandIn } from './fixtures/stand-ins/trustpilot-stand-in.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { surveyApi } from './support/survey-helpers.js';

const REVIEW_FIELDS = 'id externalId rating stars language languageSource title text version deletedAt replyStatus replyText replyError replyHours customer { id } versions { version text rating }';

describe.each(DATABASE_TARGETS)('reviews ($name)', (target) => {
  let t: TestApp;
  let key: string;
  let api: ReturnType<typeof surveyApi>;
  let trustpilot: Awaited<ReturnType<typeof startTrustpilotStandIn>>;
  let trustpilotSource: { id: string; pushUrl: string };
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  const clock = new ManualClock('2026-10-10T12:00:00Z');
  const store = `reviews-${target.name}`;

  const connect = async (platformCode: string, name: string, settings: Record<string, unknown>) => {
    const res = await api.ok(
      `mutation($input: ConnectReviewSourceInput!) { connectReviewSource(input: $input) { __typename ... on ConnectReviewSourcePayload { source { id pushUrl status settings } } ... on ValidationError { issues { path message } } } }`,
      { input: { platformCode, name, settings } },
    );
    return res.connectReviewSource;
  };
  const sync = async (id: string) =>
    (
      await api.ok(
        `mutation($input: SyncReviewSourceInput!) { syncReviewSource(input: $input) { ... on SyncReviewSourcePayload { result { pages fetched created updated unchanged complete skipped errorKind errorMessage source { status lastError } } } } }`,
        { input: { id } },
      )
    ).syncReviewSource.result;
  const reviews = async (filter: Record<string, unknown> = {}, orderBy = 'NEWEST_FIRST') =>
    (
      await api.ok(`query($filter: ReviewFilter, $orderBy: ReviewOrder) { reviews(first: 100, filter: $filter, orderBy: $orderBy) { edges { node { ${REVIEW_FIELDS} } } } }`, { filter, orderBy })
    ).reviews.edges.map((edge: Loose) => edge.node);
  const byExternal = async (externalId: string, filter: Record<string, unknown> = {}) => (await reviews(filter)).find((review: Loose) => review.externalId === externalId);
  const push = (url: string, request: { headers: Record<string, string>; body: string }) => t.http(new URL(url).pathname, { method: 'POST', headers: request.headers, body: request.body });
  /** A Standard Webhooks push of one generic review, signed with `secret`. */
  const signedPush = (secret: string, messageId: string, data: Record<string, unknown>) => {
    const payload = JSON.stringify({ type: 'review.created', data: { publishedAt: '2026-09-05T09:00:00Z', ...data } });
    const now = new Date();
    return {
      body: payload,
      headers: {
        'content-type': 'application/json',
        'webhook-id': messageId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign(messageId, now, payload),
      },
    };
  };

  beforeAll(async () => {
    t = await startTestApp(target, { clock, plugins: [...resolvePlugins({}), createFakeReviewPlugin()], platformHttp: { backoffMs: 1, sleep: async () => {} } });
    key = (await t.workspace('Reviews')).key;
    api = surveyApi(t, key);
    trustpilot = await startTrustpilotStandIn();
    trustpilot.settings.pageSize = 10;
    smtp = await startSmtpSink();
  });
  afterAll(async () => {
    await smtp.close();
    await trustpilot.close();
    await t.close();
  });

  it('lists the installed platforms with their capabilities, scale and settings schema', async () => {
    const res = await api.ok(`{ reviewPlatforms { code capabilities ratingScale { min max } allowsSelectiveInvitations settingsSchema } }`);
    const byCode = Object.fromEntries(res.reviewPlatforms.map((platform: Loose) => [platform.code, platform]));
    expect(Object.keys(byCode)).toEqual(expect.arrayContaining(['trustpilot', 'google', 'kiyoh', 'generic']));
    expect(byCode.kiyoh.ratingScale).toEqual({ min: 1, max: 10 });
    expect(byCode.google.allowsSelectiveInvitations).toBe(false);
    expect(byCode.trustpilot.capabilities).toEqual(['list', 'reply', 'invite', 'push']);
    expect(byCode.trustpilot.settingsSchema.required).toEqual(expect.arrayContaining(['apiKey', 'businessUnitId']));
  });

  it('refuses bad settings with the field named, and an unknown platform', async () => {
    const bad = await connect('trustpilot', 'Bad', { apiKey: 'k', apiSecret: 's', businessUserId: 'u' });
    expect(bad.__typename).toBe('ValidationError');
    expect(bad.issues.map((issue: Loose) => issue.path.join('.'))).toContain('input.settings.businessUnitId');
    const unknown = await connect('yelp', 'Yelp', {});
    expect(unknown.issues[0].path).toEqual(['input', 'platformCode']);
  });

  it('syncs Trustpilot page by page, links customers, and a second sync writes nothing', async () => {
    const anna = await api.customer({ firstName: 'Anna', email: 'Anna@Example.com' });
    const bert = await api.customer({ firstName: 'Bert' });
    await api.ok(`mutation($input: CreateOrderInput!) { createOrder(input: $input) { __typename } }`, {
      input: { customerId: bert, externalId: 'ORD-7', amount: '50', currency: 'EUR', orderedAt: '2026-09-20T10:00:00Z' },
    });
    const seeded = seedReviews(25);
    seeded[0]!.email = 'anna@example.com';
    seeded[1]!.reference = 'ORD-7';
    seeded[2]!.language = 'nl-NL';
    seeded[3]!.reply = { text: 'Thanks!', at: '2026-10-01T20:03:00.000Z' };
    trustpilot.seed(seeded);
    const connected = await connect('trustpilot', 'Trustpilot NL', trustpilot.settings);
    expect(connected.source.settings.apiSecret).toBe('••••••');
    expect(connected.source.settings.businessUnitId).toBe('bu-123');
    trustpilotSource = connected.source;

    const first = await sync(trustpilotSource.id);
    expect(first).toMatchObject({ pages: 3, fetched: 25, created: 25, updated: 0, unchanged: 0, complete: true, errorKind: null, source: { status: 'ACTIVE', lastError: null } });
    const all = await reviews();
    expect(all).toHaveLength(25);
    expect((await byExternal('r1')).customer.id).toBe(anna);
    expect((await byExternal('r2')).customer.id).toBe(bert);
    expect(await byExternal('r3')).toMatchObject({ language: 'nl', languageSource: 'PLATFORM' });
    expect(await byExternal('r4')).toMatchObject({ replyStatus: 'PUBLISHED', replyText: 'Thanks!', replyHours: 12 });
    expect(await byExternal('r5')).toMatchObject({ rating: 5, stars: 5 });

    const before = await t.app.database.prisma.review.findMany({ select: { id: true, updatedAt: true }, orderBy: { id: 'asc' } });
    const again = await sync(trustpilotSource.id);
    expect(again).toMatchObject({ created: 0, updated: 0, complete: true });
    expect(await t.app.database.prisma.review.findMany({ select: { id: true, updatedAt: true }, orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('takes a Trustpilot webhook as a notification: re-reads the review, keeps the earlier version, marks deletions', async () => {
    trustpilot.edit('r7', { text: 'Update: the second delivery went wrong.', stars: 1, updatedAt: '2026-10-09T10:00:00.000Z' });
    const res = await push(trustpilotSource.pushUrl, trustpilot.push!('updated', 'r7'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ created: 0, updated: 1 });
    const edited = await byExternal('r7');
    expect(edited).toMatchObject({ rating: 1, version: 2, text: 'Update: the second delivery went wrong.' });
    expect(edited.versions).toEqual([{ version: 1, rating: 2, text: 'Review number 7: the delivery was quick and the product works well.' }]);

    const replay = await push(trustpilotSource.pushUrl, trustpilot.push!('updated', 'r7'));
    expect(await replay.json()).toMatchObject({ created: 0, updated: 0, unchanged: 1 });

    const removed = await push(trustpilotSource.pushUrl, trustpilot.push!('deleted', 'r8'));
    expect(await removed.json()).toMatchObject({ deleted: 1 });
    expect(await byExternal('r8')).toBeUndefined();
    expect((await byExternal('r8', { includeDeleted: true })).deletedAt).toBe('2026-10-10T12:00:00.000Z');

    const wrongSecret = await t.http(`${new URL(trustpilotSource.pushUrl).pathname.replace(/\/[^/]+$/, '/nope')}`, { method: 'POST', body: '{}' });
    expect(wrongSecret.status).toBe(404);
    const malformed = await push(trustpilotSource.pushUrl, { headers: {}, body: 'not json' });
    expect(malformed.status).toBe(400);
  });

  it('publishes a reply through Trustpilot, keeps drafts, and deletes a reply', async () => {
    const review = await byExternal('r1');
    clock.set('2026-10-11T12:00:00Z');
    const draft = await api.ok(`mutation($input: ReplyToReviewInput!) { replyToReview(input: $input) { ... on ReplyToReviewPayload { review { replyStatus replyText } } } }`, {
      input: { reviewId: review.id, text: 'Concept', publish: false },
    });
    expect(draft.replyToReview.review).toEqual({ replyStatus: 'DRAFT', replyText: 'Concept' });
    expect(trustpilot.replyOf('r1')).toBeNull();
    const published = await api.ok(`mutation($input: ReplyToReviewInput!) { replyToReview(input: $input) { ... on ReplyToReviewPayload { review { replyStatus replyText repliedAt replyHours } } } }`, {
      input: { reviewId: review.id, text: 'Thank you Anna!', author: 'Eva' },
    });
    expect(published.replyToReview.review).toMatchObject({ replyStatus: 'PUBLISHED', replyText: 'Thank you Anna!' });
    expect(published.replyToReview.review.replyHours).toBeGreaterThan(0);
    expect(trustpilot.replyOf('r1')).toBe('Thank you Anna!');
    // The next sync sees our own reply on the platform and changes nothing of ours.
    await sync(trustpilotSource.id);
    expect((await byExternal('r1')).replyStatus).toBe('PUBLISHED');
    // A draft of a change leaves the published reply, and the review's answered state, as they are.
    const reply = `review { replyStatus replyText replyDraft repliedAt }`;
    const redraft = await api.ok(`mutation($input: ReplyToReviewInput!) { replyToReview(input: $input) { ... on ReplyToReviewPayload { ${reply} } } }`, {
      input: { reviewId: review.id, text: 'Thank you Anna, see you soon!', publish: false },
    });
    expect(redraft.replyToReview.review).toMatchObject({ replyStatus: 'PUBLISHED', replyText: 'Thank you Anna!', replyDraft: 'Thank you Anna, see you soon!' });
    const answered = await api.ok(`{ reviews(first: 100, filter: { answered: true }) { edges { node { id } } } }`);
    expect(answered.reviews.edges.map((edge: Loose) => edge.node.id)).toContain(review.id);
    expect(trustpilot.replyOf('r1')).toBe('Thank you Anna!');
    const republished = await api.ok(`mutation($input: ReplyToReviewInput!) { replyToReview(input: $input) { ... on ReplyToReviewPayload { ${reply} } } }`, {
      input: { reviewId: review.id, text: 'Thank you Anna, see you soon!', author: 'Eva' },
    });
    expect(republished.replyToReview.review).toMatchObject({
      replyStatus: 'PUBLISHED',
      replyText: 'Thank you Anna, see you soon!',
      replyDraft: null,
      repliedAt: published.replyToReview.review.repliedAt,
    });
    const deleted = await api.ok(`mutation($input: DeleteReviewReplyInput!) { deleteReviewReply(input: $input) { ... on DeleteReviewReplyPayload { review { replyStatus replyText } } } }`, {
      input: { reviewId: review.id },
    });
    expect(deleted.deleteReviewReply.review).toEqual({ replyStatus: 'NONE', replyText: null });
    expect(trustpilot.replyOf('r1')).toBeNull();
  });

  it('surfaces a failed publish as a typed error and a FAILED reply', async () => {
    const fake = fakeReviewStore(store);
    fake.add({ externalId: 'f1', rating: 1, text: 'Nooit meer: het pakket kwam beschadigd aan en niemand reageerde.', publishedAt: new Date('2026-10-01T10:00:00Z') });
    const source = (await connect('fake-reviews', 'Fake', { store })).source;
    await sync(source.id);
    const review = await byExternal('f1');
    expect(review).toMatchObject({ language: 'nl', languageSource: 'DETECTED' });
    fake.replyFails = true;
    const res = await api.ok(`mutation($input: ReplyToReviewInput!) { replyToReview(input: $input) { __typename ... on PlatformFailedError { platform kind message } } }`, {
      input: { reviewId: review.id, text: 'Sorry!' },
    });
    expect(res.replyToReview).toMatchObject({ __typename: 'PlatformFailedError', platform: 'fake-reviews', kind: 'rejected' });
    expect(await byExternal('f1')).toMatchObject({ replyStatus: 'FAILED', replyText: 'Sorry!' });
    expect((await byExternal('f1')).replyError).toContain('422');
    fake.replyFails = false;
  });

  it('reports platform failures on the source and resumes a stopped sync where it stopped', async () => {
    const name = `${store}-resume`;
    const fake = fakeReviewStore(name);
    for (let i = 1; i <= 25; i += 1) fake.add({ externalId: `p${i}`, rating: 4, publishedAt: new Date(Date.UTC(2026, 9, 2, 0, i)) });
    const source = (await connect('fake-reviews', 'Paged', { store: name })).source;
    fake.rateLimited = true;
    const limited = await sync(source.id);
    expect(limited).toMatchObject({ errorKind: 'rate-limited', complete: false, source: { status: 'RATE_LIMITED' } });
    expect(limited.source.lastError).toContain('Rate limited');
    fake.rateLimited = false;
    fake.failAfterPages = 1;
    const stopped = await sync(source.id);
    expect(stopped).toMatchObject({ pages: 1, created: 10, errorKind: 'rate-limited' });
    fake.failAfterPages = null;
    const served = fake.pagesServed;
    const resumed = await sync(source.id);
    expect(resumed).toMatchObject({ pages: 2, created: 15, complete: true, source: { status: 'ACTIVE', lastError: null } });
    expect(fake.pagesServed - served).toBe(2);
    fake.authFails = true;
    expect(await sync(source.id)).toMatchObject({ errorKind: 'auth', source: { status: 'AUTH_FAILED' } });
    fake.authFails = false;
    // One sync per source: a running one is left alone until it has not reported for 15 minutes.
    const markSyncing = (minutesAgo: number) =>
      t.app.database.prisma.reviewConnection.updateMany({ where: { name: 'Paged' }, data: { status: 'SYNCING', lastSyncStartedAt: new Date(clock.now().getTime() - minutesAgo * 60_000) } });
    await markSyncing(14);
    expect(await sync(source.id)).toMatchObject({ skipped: 'a sync of this source is already running', pages: 0, source: { status: 'SYNCING' } });
    await markSyncing(16);
    expect(await sync(source.id)).toMatchObject({ skipped: null, complete: true, source: { status: 'ACTIVE', lastError: null } });
  });

  it('answers pushes over HTTP exactly as in process (node:http serves them ahead of the fetch adapter)', async () => {
    const secret = `whsec_${Buffer.from('an-http-push-secret-of-32-bytes!').toString('base64')}`;
    const source = (await connect('generic', 'Over HTTP', { secrets: [secret], ratingScale: { min: 1, max: 10 } })).source;
    const running = await listen(t.app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
    try {
      const path = new URL(source.pushUrl).pathname;
      const { body, headers } = signedPush(secret, 'msg_h1', { id: 'h1', rating: 8, text: 'Snel geleverd en goed verpakt.', publishedAt: '2026-09-04T09:00:00Z' });
      const overHttp = await fetch(`${running.url}${path}`, { method: 'POST', headers, body });
      expect(overHttp.status).toBe(200);
      expect(overHttp.headers.get('content-type')).toBe('application/json');
      expect(overHttp.headers.get('x-request-id')).toBeTruthy();
      expect(await overHttp.json()).toMatchObject({ ok: true, created: 1, updated: 0, unchanged: 0, deleted: 0 });
      // The same push in process: the same status and body.
      const inProcess = await push(source.pushUrl, { headers, body });
      const again = await fetch(`${running.url}${path}`, { method: 'POST', headers, body });
      expect([inProcess.status, again.status]).toEqual([200, 200]);
      expect(await again.json()).toEqual(await inProcess.json());
      expect(await byExternal('h1')).toMatchObject({ rating: 8 });

      const wrongSecret = await fetch(`${running.url}${path.replace(/\/[^/]+$/, '/nope')}`, { method: 'POST', body: '{}' });
      expect([wrongSecret.status, await wrongSecret.json()]).toEqual([404, { error: 'No such push endpoint' }]);
      const unsigned = await fetch(`${running.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(unsigned.status).toBe(401);
      const get = await fetch(`${running.url}${path}`);
      expect([get.status, await get.json()]).toEqual([405, { error: 'POST only' }]);
      // Over the limit, declared or streamed: 413 with a code, and the connection is not kept.
      const declared = await fetch(`${running.url}${path}`, { method: 'POST', body: 'x'.repeat(1_000_001) });
      expect(declared.status).toBe(413);
      expect(await declared.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
      const chunk = new TextEncoder().encode('y'.repeat(100_000));
      const streamed = await fetch(`${running.url}${path}`, {
        method: 'POST',
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < 11; i++) controller.enqueue(chunk);
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      expect(streamed.status).toBe(413);
      expect(streamed.headers.get('connection')).toBe('close');
    } finally {
      running.server.closeAllConnections();
      await new Promise((resolve) => running.server.close(resolve));
    }
  });

  it('accepts signed pushes and CSV for any source, idempotently', async () => {
    const secret = `whsec_${Buffer.from('a-generic-secret-of-32-bytes!!!!').toString('base64')}`;
    const source = (await connect('generic', 'Bol.com', { secrets: [secret], ratingScale: { min: 1, max: 10 } })).source;
    const body = JSON.stringify({ type: 'review.created', data: { id: 'b1', rating: 2, text: 'Het product deed het niet en de retour duurde drie weken.', publishedAt: '2026-10-03T09:00:00Z' } });
    const at = new Date();
    const headers = {
      'content-type': 'application/json',
      'webhook-id': 'msg_b1',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_b1', at, body),
    };
    expect((await push(source.pushUrl, { headers, body })).status).toBe(200);
    expect(await (await push(source.pushUrl, { headers, body })).json()).toMatchObject({ unchanged: 1 });
    const unsigned = await push(source.pushUrl, { headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    expect(await byExternal('b1')).toMatchObject({ rating: 2, language: 'nl' });
    expect((await byExternal('b1')).stars).toBeCloseTo(1 + (1 / 9) * 4, 10);

    // Pushes arriving at once are written together (one statement per source), each with its own outcome.
    const signed = (messageId: string, data: Record<string, unknown>, key = secret) => signedPush(key, messageId, data);
    const wrongKey = `whsec_${Buffer.from('another-secret-of-32-bytes!!!!!!').toString('base64')}`;
    const burst = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => push(source.pushUrl, signed(`msg_g${i}`, { id: `g${i}`, rating: 1 + (i % 10), text: `Bestelling ${i} was prima in orde.` }))),
      push(source.pushUrl, signed('msg_g0_again', { id: 'g0', rating: 9, text: 'Toch nog een nabeschouwing: erg goed.' })),
      push(source.pushUrl, signed('msg_forged', { id: 'g99', rating: 1 }, wrongKey)),
    ]);
    expect(burst.map((res) => res.status)).toEqual([...Array(11).fill(200), 401]);
    const counts = await Promise.all(burst.slice(0, 11).map((res) => res.json() as Promise<{ created: number; updated: number; unchanged: number }>));
    for (const count of counts.slice(1, 10)) expect(count).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
    // g0 twice: one created it, the other changed it; the review holds the one applied last.
    const [firstG0, secondG0] = [counts[0]!, counts[10]!];
    expect(firstG0.created + secondG0.created).toBe(1);
    expect(firstG0.updated + secondG0.updated).toBe(1);
    expect((await byExternal('g0')).rating).toBe(secondG0.updated === 1 ? 9 : 1);
    expect(await byExternal('g99')).toBeFalsy();

    const importCsv = (csv: string) =>
      api.ok(
        `mutation($input: ImportReviewsInput!) { importReviews(input: $input) { __typename ... on ImportReviewsPayload { result { created updated unchanged } } ... on BulkImportRejectedError { issues { index line field message } } } }`,
        { input: { sourceId: source.id, csv } },
      );
    const bad = await importCsv('externalId,rating,publishedAt,authorEmail\nc1,8,2026-10-04T10:00:00Z,\nc2,11,2026-10-04T10:00:00Z,\nc3,7,yesterday,not-an-email\n');
    expect(bad.importReviews.__typename).toBe('BulkImportRejectedError');
    expect(bad.importReviews.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ index: 1, line: 3, field: 'rating' }),
        expect.objectContaining({ index: 2, line: 4, field: 'publishedAt' }),
        expect.objectContaining({ index: 2, line: 4, field: 'authorEmail' }),
      ]),
    );
    expect(await byExternal('c1')).toBeUndefined();
    const csv = 'externalId,rating,publishedAt,title,text\nc1,8,2026-10-04T10:00:00Z,Goed,Prima service\nc2,10,2026-10-04T11:00:00Z,,\n';
    expect((await importCsv(csv)).importReviews.result).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect((await importCsv(csv)).importReviews.result).toEqual({ created: 0, updated: 0, unchanged: 2 });
  });

  it('keeps a push source a few seconds: changes through the API apply at once, changes elsewhere within the cache time', async () => {
    const secret = `whsec_${Buffer.from('a-cached-source-secret-32-bytes!').toString('base64')}`;
    const source = (await connect('generic', 'Cached', { secrets: [secret], ratingScale: { min: 1, max: 10 } })).source;
    const data = (i: number) => ({ id: `k${i}`, rating: 7, text: 'Netjes bezorgd, prima product.' });
    expect((await push(source.pushUrl, signedPush(secret, 'msg_k1', data(1)))).status).toBe(200);
    const update = (input: Record<string, unknown>) =>
      api.ok(`mutation($input: UpdateReviewSourceInput!) { updateReviewSource(input: $input) { ... on UpdateReviewSourcePayload { source { pushUrl } } } }`, {
        input: { id: source.id, ...input },
      });
    // Disabled through the API: the next push is refused, although the source was just found.
    await update({ enabled: false });
    expect((await push(source.pushUrl, signedPush(secret, 'msg_k2', data(2)))).status).toBe(410);
    await update({ enabled: true });
    expect((await push(source.pushUrl, signedPush(secret, 'msg_k3', data(3)))).status).toBe(200);
    // A new push secret: the old URL is unknown at once, the new one works.
    const rotated = (await update({ rotatePushSecret: true })).updateReviewSource.source.pushUrl as string;
    expect((await push(source.pushUrl, signedPush(secret, 'msg_k4', data(4)))).status).toBe(404);
    expect((await push(rotated, signedPush(secret, 'msg_k5', data(5)))).status).toBe(200);
    // Disabled behind this instance's back (another instance, SQL): honoured once the cache time has passed.
    const sourceId = Buffer.from(source.id, 'base64').toString().split(':')[1]!;
    await t.app.database.prisma.reviewConnection.update({ where: { id: sourceId }, data: { status: 'DISABLED' } });
    expect((await push(rotated, signedPush(secret, 'msg_k6', data(6)))).status).toBe(200);
    clock.set(new Date(clock.now().getTime() + 5_001).toISOString());
    expect((await push(rotated, signedPush(secret, 'msg_k7', data(7)))).status).toBe(410);
    // Removed behind its back while kept: the failed write reads the source again and answers 404, not 500.
    await t.app.database.prisma.reviewConnection.update({ where: { id: sourceId }, data: { status: 'ACTIVE' } });
    clock.set(new Date(clock.now().getTime() + 5_001).toISOString());
    expect((await push(rotated, signedPush(secret, 'msg_k8', data(8)))).status).toBe(200);
    await t.app.database.prisma.reviewConnection.delete({ where: { id: sourceId } });
    expect((await push(rotated, signedPush(secret, 'msg_k9', data(9)))).status).toBe(404);
  });

  it('filters the reply queue by rating, language, words and period', async () => {
    const queue = await reviews({ answered: false, maxStars: 2 }, 'OLDEST_FIRST');
    expect(queue.length).toBeGreaterThan(0);
    expect(queue.every((review: Loose) => review.stars <= 2 && review.replyStatus !== 'PUBLISHED')).toBe(true);
    const times = queue.map((review: Loose) => review.id);
    expect(new Set(times).size).toBe(times.length);
    expect((await reviews({ languages: ['nl'] })).every((review: Loose) => review.language === 'nl')).toBe(true);
    expect((await reviews({ search: 'RETOUR' })).map((review: Loose) => review.externalId)).toEqual(['b1']);
    expect((await reviews({ publishedFrom: '2026-10-04T00:00:00Z' })).map((review: Loose) => review.externalId).sort()).toEqual(['c1', 'c2']);
    const invalid = await t.gql(key, `{ reviews(first: 1, filter: { minStars: 7 }) { edges { node { id } } } }`);
    expect(invalid.body.errors?.[0]?.message).toContain('minStars');
  });

  it('lists reply-time breaches under the workspace policy', async () => {
    expect((await api.ok(`{ reviewReplyBreaches(first: 10) { edges { node { id } } } }`)).reviewReplyBreaches.edges).toEqual([]);
    const policy = await api.ok(`mutation { setReviewReplyPolicy(input: { hours: 48, maxStars: 2 }) { ... on SetReviewReplyPolicyPayload { policy { hours maxStars } } } }`);
    expect(policy.setReviewReplyPolicy.policy).toEqual({ hours: 48, maxStars: 2 });
    const breaches = (await api.ok(`{ reviewReplyBreaches(first: 100) { edges { node { externalId stars publishedAt replyStatus } } } }`)).reviewReplyBreaches.edges.map((edge: Loose) => edge.node);
    expect(breaches.length).toBeGreaterThan(0);
    const due = Date.parse('2026-10-11T12:00:00Z') - 48 * 3_600_000;
    expect(breaches.every((review: Loose) => review.stars <= 2 && Date.parse(review.publishedAt) < due)).toBe(true);
    expect(breaches.map((review: Loose) => review.externalId)).toContain('f1');
  });

  it('computes review metrics in the database, equal to the reference formula', async () => {
    const rows = await t.app.database.prisma.review.findMany({ where: { deletedAt: null, publishedAt: { gte: new Date('2026-09-30T22:00:00Z'), lt: new Date('2026-10-31T23:00:00Z') } } });
    const expected = reviewRatings(
      rows.map((row) => ({ rating: row.rating, scale: { min: row.ratingMin, max: row.ratingMax }, answered: row.replyStatus === 'PUBLISHED', replyHours: row.replyHours })),
    );
    const res = await api.ok(`{ metrics(filter: { period: { from: "2026-10-01", to: "2026-11-01" } }) {
      reviews { count meanNormalised meanStars answeredShare medianReplyHours distribution { stars count share } }
      reviewsByPlatform { platformCode count } } }`);
    const got = res.metrics.reviews;
    expect(got.count).toBe(expected.count);
    expect(got.meanNormalised).toBeCloseTo(expected.meanNormalised!, 10);
    expect(got.meanStars).toBeCloseTo(expected.meanStars!, 10);
    expect(got.answeredShare).toBeCloseTo(expected.answeredShare!, 10);
    expect(got.medianReplyHours).toBeCloseTo(expected.medianReplyHours!, 10);
    expect(got.distribution).toEqual(expected.distribution.map((d) => ({ ...d, share: expect.closeTo(d.share, 10) })));
    expect(res.metrics.reviewsByPlatform.map((p: Loose) => p.platformCode)).toEqual(['fake-reviews', 'generic', 'trustpilot']);
  });

  it('invites to review within the contact-pressure cap shared with surveys, idempotently', async () => {
    const fake = fakeReviewStore(store);
    const source = (await api.ok(`{ reviewSources(first: 20) { edges { node { id name } } } }`)).reviewSources.edges.map((edge: Loose) => edge.node).find((node: Loose) => node.name === 'Fake');
    await api.ok(`mutation { updateContactPolicy(input: { cap: 1, periodDays: 365 }) { __typename } }`);
    const carla = await api.customer({ firstName: 'Carla', lastName: 'Jansen', email: 'carla@example.com', consentEmail: true });
    const invite = (idempotencyKey: string) =>
      api.ok(`mutation($input: InviteToReviewInput!) { inviteToReview(input: $input) { ... on InviteToReviewPayload { invitation { id status skipReason url moment } } } }`, {
        input: { customerId: carla, sourceId: source.id, idempotencyKey },
      });
    const first = (await invite('k1')).inviteToReview.invitation;
    expect(first).toMatchObject({ status: 'SENT', skipReason: null, moment: 'MANUAL' });
    expect(first.url).toMatch(/^https:\/\/reviews\.example\//);
    expect((await invite('k1')).inviteToReview.invitation.id).toBe(first.id);
    expect(fake.invitations.filter((invitation) => invitation.email === 'carla@example.com')).toHaveLength(1);
    expect((await invite('k2')).inviteToReview.invitation).toMatchObject({ status: 'SKIPPED', skipReason: 'CONTACT_CAP' });

    // A survey invitation to the same customer now hits the same cap.
    const survey = await api.survey({ name: 'After review', kind: 'CSAT', channel: 'link', reminderAfterHours: null });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [carla] } });
    await t.app.dispatcher.dispatchDue();
    expect((await api.invitations()).find((invitation: Loose) => invitation.customer.id === carla)).toMatchObject({ status: 'SKIPPED', skipReason: 'CONTACT_CAP' });
    await api.ok(`mutation { updateContactPolicy(input: { cap: 2, periodDays: 365 }) { __typename } }`);

    // The platform or our own mail reaches the customer by e-mail: without e-mail consent, nobody is asked.
    const noMail = await api.customer({ firstName: 'Niels', email: 'niels@example.com', consentEmail: false });
    const refused = await api.ok(`mutation($input: InviteToReviewInput!) { inviteToReview(input: $input) { ... on InviteToReviewPayload { invitation { status skipReason } } } }`, {
      input: { customerId: noMail, sourceId: source.id },
    });
    expect(refused.inviteToReview.invitation).toEqual({ status: 'SKIPPED', skipReason: 'NO_CONSENT' });
    expect(fake.invitations.filter((invitation) => invitation.email === 'niels@example.com')).toHaveLength(0);
  });

  it('refuses review gating where the platform forbids it and offers the compliant rule', async () => {
    const rule = (input: Record<string, unknown>) =>
      api.ok(
        `mutation($input: CreateReviewInvitationRuleInput!) { createReviewInvitationRule(input: $input) { __typename ... on CreateReviewInvitationRulePayload { rule { id moment audience } } ... on SelectiveInvitationRefusedError { field platform alternative message } ... on ValidationError { issues { path } } } }`,
        { input },
      );
    const gated = (await rule({ sourceId: trustpilotSource.id, moment: 'TOUCHPOINT', touchpointType: 'order_delivered', audience: 'PROMOTERS_ONLY' })).createReviewInvitationRule;
    expect(gated).toMatchObject({ __typename: 'SelectiveInvitationRefusedError', field: 'input.audience', platform: 'Trustpilot' });
    expect(gated.alternative).toContain('audience ALL');
    expect((await rule({ sourceId: trustpilotSource.id, moment: 'PROMOTER_SCORE' })).createReviewInvitationRule).toMatchObject({
      __typename: 'SelectiveInvitationRefusedError',
      field: 'input.moment',
    });
    expect((await rule({ sourceId: trustpilotSource.id, moment: 'TOUCHPOINT' })).createReviewInvitationRule.issues[0].path).toEqual(['input', 'touchpointType']);
    const allowed = (await rule({ sourceId: trustpilotSource.id, moment: 'TOUCHPOINT', touchpointType: 'order_delivered', delayHours: 24 })).createReviewInvitationRule;
    expect(allowed.rule).toMatchObject({ moment: 'TOUCHPOINT', audience: 'ALL' });

    const dirk = await api.customer({ firstName: 'Dirk', email: 'dirk@example.com', externalId: 'cust-dirk', consentEmail: true });
    clock.set('2026-10-11T13:00:00Z');
    await api.touchpoint({ customerId: dirk, type: 'order_delivered', journeyPhase: 'DELIVERY', occurredAt: '2026-10-11T12:30:00Z' });
    clock.set('2026-10-12T10:00:00Z');
    expect(await runReviewRules(t.app.reviews)).toBe(0);
    clock.set('2026-10-12T13:00:00Z');
    // Trustpilot hands out a link (LINK mode): without an email channel it cannot reach the customer.
    expect(await runReviewRules(t.app.reviews)).toBe(0);
    const failed = (await api.ok(`query($id: ID!) { reviewInvitations(first: 10, customerId: $id) { edges { node { status failureMessage } } } }`, { id: dirk })).reviewInvitations.edges[0].node;
    expect(failed).toMatchObject({ status: 'FAILED', failureMessage: 'Trustpilot returned a review link, but no email channel is configured to send it' });
    await api.ok(`mutation($input: ConfigureSurveyChannelInput!) { configureSurveyChannel(input: $input) { __typename } }`, {
      input: { code: 'email', settings: { host: '127.0.0.1', port: smtp.port, from: 'Shop <shop@example.com>' } },
    });
    // The mail names the company as customers know it, never the internal workspace name.
    await api.ok(`mutation($input: UpdateWorkspaceInput!) { updateWorkspace(input: $input) { __typename } }`, { input: { companyName: 'Fietsenwinkel Dirk', senderName: 'Team Fietsenwinkel' } });
    await t.app.database.prisma.reviewInvitation.deleteMany({ where: { status: 'FAILED' } });
    await t.app.database.prisma.reviewInvitationRule.updateMany({ data: { processedUntil: new Date('2026-10-11T12:00:00Z') } });
    expect(await runReviewRules(t.app.reviews)).toBe(1);
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toMatchObject({ value: [{ address: 'dirk@example.com' }] });
    expect(mail!.subject).toBe('Wilt u Fietsenwinkel Dirk beoordelen op Trustpilot?');
    expect(mail!.from).toMatchObject({ value: [{ name: 'Team Fietsenwinkel', address: 'shop@example.com' }] });
    expect(mail!.text).toContain('https://www.trustpilot.com/evaluate-link/');
    expect(mail!.text).not.toContain('Reviews');
    expect(mail!.html).toContain('Fietsenwinkel Dirk');
    expect(await runReviewRules(t.app.reviews)).toBe(0);
    expect(trustpilot.invitations).toEqual([
      { email: 'dirk@example.com', reference: 'cust-dirk' },
      { email: 'dirk@example.com', reference: 'cust-dirk' },
    ]);
    const invitations = (await api.ok(`query($id: ID!) { reviewInvitations(first: 10, customerId: $id) { edges { node { status moment url rule { id } source { name } } } } }`, { id: dirk }))
      .reviewInvitations.edges;
    expect(invitations).toHaveLength(1);
    expect(invitations[0].node).toMatchObject({ status: 'SENT', moment: 'TOUCHPOINT', rule: { id: allowed.rule.id }, source: { name: 'Trustpilot NL' } });
  });
});
