import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Webhook } from 'standardwebhooks';
import { HttpStandIn } from './fixtures/stand-ins/http-stand-in.js';
import { createPlatformHttp, PlatformError, type PlatformCall, type PlatformReview, type ReviewPlatform } from '../src/core/plugin-sdk/index.js';
import { createRegistryOrThrow } from '../src/core/plugin-sdk/registry.js';
import { genericPlatform } from '../src/plugins/generic-reviews/generic-reviews.plugin.js';
import { googlePlatform } from '../src/plugins/google/google.plugin.js';
import { kiyohPlatform } from '../src/plugins/kiyoh/kiyoh.plugin.js';
import { trustpilotPlatform } from '../src/plugins/trustpilot/trustpilot.plugin.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { createFakeReviewPlugin, fakeReviewPlatform, fakeReviewStore } from './fixtures/fake-review-platform.js';
import { startGoogleStandIn } from './fixtures/stand-ins/google-stand-in.js';
import { startKiyohStandIn } from './fixtures/stand-ins/kiyoh-stand-in.js';
import type { PlatformStandIn } from './fixtures/stand-ins/platform-stand-in.js';
import { seedReviews } from './fixtures/stand-ins/seed-review.js';
import { startTrustpilotStandIn } from './fixtures/stand-ins/trustpilot-stand-in.js';

interface HttpPlatformCase {
  platform: ReviewPlatform<unknown>;
  start(): Promise<PlatformStandIn>;
  /** Whether a later sync sees edits of reviews it read before (Trustpilot's list is by creation time; edits come by webhook). */
  listsEdits: boolean;
  tokens: 'oauth' | 'static';
}

const CASES: HttpPlatformCase[] = [
  { platform: trustpilotPlatform as ReviewPlatform<unknown>, start: () => startTrustpilotStandIn(), listsEdits: false, tokens: 'oauth' },
  { platform: googlePlatform as ReviewPlatform<unknown>, start: startGoogleStandIn, listsEdits: true, tokens: 'oauth' },
  { platform: kiyohPlatform as ReviewPlatform<unknown>, start: startKiyohStandIn, listsEdits: true, tokens: 'static' },
];

/** Every page until the platform says there is no more; returns what was read and the cursor to keep. */
async function drain(platform: ReviewPlatform<unknown>, call: PlatformCall<unknown>, cursor: string | null) {
  const reviews: PlatformReview[] = [];
  for (let pages = 0; pages < 50; pages += 1) {
    const page = await platform.fetchReviews!(call, cursor);
    reviews.push(...page.reviews);
    cursor = page.cursor;
    if (!page.hasMore) return { reviews, cursor };
  }
  throw new Error('the platform never finished');
}

describe('every built-in review platform is registered with the functions its capabilities need', () => {
  it('loads', () => {
    const registry = createRegistryOrThrow([...resolvePlugins({}), createFakeReviewPlugin()]);
    expect(
      registry.reviewPlatforms
        .list()
        .map((entry) => entry.contribution.code)
        .sort(),
    ).toEqual(['fake-reviews', 'fake-strict-reviews', 'generic', 'google', 'kiyoh', 'trustpilot']);
  });
});

describe.each(CASES)('review platform contract: $platform.code against its loopback stand-in', ({ platform, start, listsEdits, tokens }) => {
  let standIn: PlatformStandIn;
  let call: PlatformCall<unknown>;
  let waits: number[];

  const callFor = (settings: Record<string, unknown>, maxRetryWaitMs = 60_000): PlatformCall<unknown> => {
    const parsed = platform.settingsSchema.parse(settings);
    const api = platform.api!(parsed);
    return { settings: parsed, state: new Map(), http: createPlatformHttp({ ...api, backoffMs: 1, maxRetryWaitMs, sleep: async (ms) => void waits.push(ms) }) };
  };

  beforeEach(async () => {
    waits = [];
    standIn = await start();
    call = callFor({ ...standIn.settings, pageSize: 10 });
  });
  afterEach(() => standIn.close());

  it('validates its settings and names the field at fault', () => {
    const result = platform.settingsSchema.safeParse({ ...standIn.settings, apiBaseUrl: 'not a url' });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['apiBaseUrl']);
  });

  it('reads every review across pages, on its own scale, then only what is new', async () => {
    standIn.seed(seedReviews(25));
    const first = await drain(platform, call, null);
    expect(new Set(first.reviews.map((review) => review.externalId)).size).toBe(25);
    const five = first.reviews.find((review) => review.externalId === 'r5')!;
    expect(five.rating).toBe(platform.ratingScale.max);
    expect(five.publishedAt.toISOString()).toBe('2026-10-01T08:04:00.000Z');
    expect(five.text).toContain('Review number 5');
    expect(standIn.api.requests.filter((request) => request.method === 'GET').length).toBeGreaterThanOrEqual(3);

    standIn.seed(seedReviews(2, 'new', Date.parse('2026-10-05T08:00:00Z')));
    standIn.edit('r3', { text: 'Changed my mind: the product broke after a week.', stars: 1, updatedAt: '2026-10-06T08:00:00.000Z' });
    const second = await drain(platform, call, first.cursor);
    const ids = second.reviews.map((review) => review.externalId);
    expect(ids).toEqual(expect.arrayContaining(['new1', 'new2']));
    if (listsEdits) expect(second.reviews.find((review) => review.externalId === 'r3')?.text).toContain('Changed my mind');
    // The second sync does not re-read the first 25 (one boundary review may come again).
    expect(ids.filter((id) => id.startsWith('r') && id !== 'r3').length).toBeLessThanOrEqual(1);
  });

  it('waits out a 429 with its Retry-After and carries on', async () => {
    standIn.seed(seedReviews(3));
    standIn.api.failNext({ status: 429, headers: { 'retry-after': '2' }, body: { message: 'Too many requests' }, match: (request) => request.method === 'GET' });
    const { reviews } = await drain(platform, call, null);
    expect(reviews).toHaveLength(3);
    expect(waits).toContain(2000);
  });

  it('stops as rate-limited when Retry-After is longer than it may wait', async () => {
    standIn.api.failNext({ status: 429, headers: { 'retry-after': '3600' }, match: (request) => request.method === 'GET' });
    const error = await platform.fetchReviews!(call, null).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).kind).toBe('rate-limited');
    expect((error as PlatformError).details.retryAfterMs).toBe(3_600_000);
  });

  it('retries 5xx with back-off, and reports the platform unavailable when it stays down', async () => {
    standIn.seed(seedReviews(2));
    standIn.api.failNext({ status: 503, times: 2, body: { message: 'Service unavailable' }, match: (request) => request.method === 'GET' });
    expect((await drain(platform, call, null)).reviews).toHaveLength(2);
    standIn.api.failNext({ status: 500, times: 10, match: (request) => request.method === 'GET' });
    const error = await platform.fetchReviews!(call, null).catch((caught: unknown) => caught);
    expect((error as PlatformError).kind).toBe('unavailable');
  });

  it(tokens === 'oauth' ? 'obtains a new access token when the old one expired' : 'reports refused credentials as an auth failure', async () => {
    standIn.seed(seedReviews(2));
    await drain(platform, call, null);
    standIn.expireTokens();
    if (tokens === 'oauth') {
      expect((await drain(platform, call, null)).reviews).toHaveLength(2);
      expect(standIn.api.requests.filter((request) => request.method === 'POST' && /token/.test(request.url.pathname)).length).toBe(2);
    } else {
      const error = await platform.fetchReviews!(call, null).catch((caught: unknown) => caught);
      expect((error as PlatformError).kind).toBe('auth');
    }
  });

  it('reports a malformed body instead of guessing', async () => {
    standIn.api.failNext({ status: 200, body: '<html>Maintenance</html>', match: (request) => request.method === 'GET' });
    const notJson = await platform.fetchReviews!(call, null).catch((caught: unknown) => caught);
    expect((notJson as PlatformError).kind).toBe('malformed');
    standIn.api.failNext({ status: 200, body: { reviews: [{ id: 42 }] }, match: (request) => request.method === 'GET' });
    const wrongShape = await platform.fetchReviews!(call, null).catch((caught: unknown) => caught);
    expect((wrongShape as PlatformError).kind).toBe('malformed');
  });

  it('never follows a redirect to another host', async () => {
    standIn.api.failNext({ status: 302, headers: { location: 'http://127.0.0.2:9/steal' }, match: (request) => request.method === 'GET' });
    const error = await platform.fetchReviews!(call, null).catch((caught: unknown) => caught);
    expect((error as PlatformError).kind).toBe('redirect');
  });

  it('publishes a reply and deletes it again', async () => {
    standIn.seed(seedReviews(1));
    const { publishedAt } = await platform.publishReply!(call, 'r1', 'Thank you, we are glad it works well!');
    expect(publishedAt).toBeInstanceOf(Date);
    expect(standIn.replyOf('r1')).toBe('Thank you, we are glad it works well!');
    const { reviews } = await drain(platform, call, null);
    expect(reviews[0]!.reply?.text).toBe('Thank you, we are glad it works well!');
    await platform.deleteReply!(call, 'r1');
    expect(standIn.replyOf('r1')).toBeNull();
  });

  it('invites a customer', async () => {
    const request = { email: 'anna@example.com', name: 'Anna de Vries', firstName: 'Anna', lastName: 'de Vries', reference: 'order-1', locale: 'nl-NL' };
    const first = await platform.createInvitation!(call, request);
    expect(first.duplicate).toBe(false);
    if (platform.code === 'google') expect(first.url).toBe('https://search.google.com/local/writereview?placeid=ChIJplace');
    else expect(standIn.invitations).toEqual([{ email: 'anna@example.com', reference: 'order-1' }]);
    if (platform.code === 'trustpilot') expect(first.url).toMatch(/^https:\/\/www\.trustpilot\.com\//);
    if (platform.code === 'kiyoh') expect((await platform.createInvitation!(call, request)).duplicate).toBe(true);
  });

  it.runIf(platform.capabilities.includes('push'))('turns a push into reviews to re-read through the API', async () => {
    standIn.seed(seedReviews(1));
    const push = standIn.push!('created', 'r1');
    const result = await platform.parsePush!(call, { ...push, query: {} });
    expect(result.refetchExternalIds).toEqual(['r1']);
    expect((await platform.fetchReview!(call, 'r1'))?.externalId).toBe('r1');
    expect(await platform.fetchReview!(call, 'missing')).toBeNull();
    const broken = await platform.parsePush!(call, { headers: {}, body: '{not json', query: {} }).catch((caught: unknown) => caught);
    expect((broken as PlatformError).kind).toBe('malformed');
  });
});

describe('review platform contract: google push verification', () => {
  it('refuses a Pub/Sub push from another subscription or for another location', async () => {
    const standIn = await startGoogleStandIn();
    try {
      const call: PlatformCall<unknown> = {
        settings: googlePlatform.settingsSchema.parse(standIn.settings),
        state: new Map(),
        http: createPlatformHttp(googlePlatform.api!(googlePlatform.settingsSchema.parse(standIn.settings))),
      };
      const push = JSON.parse(standIn.push!('created', 'x').body) as { subscription: string; message: { data: string } };
      const other = await googlePlatform.parsePush!(call as never, { headers: {}, body: JSON.stringify({ ...push, subscription: 'projects/evil/subscriptions/x' }), query: {} }).catch(
        (caught: unknown) => caught,
      );
      expect((other as PlatformError).kind).toBe('rejected');
      const data = Buffer.from(JSON.stringify({ type: 'NEW_REVIEW', review: 'accounts/9/locations/9/reviews/x' })).toString('base64');
      const elsewhere = await googlePlatform.parsePush!(call as never, { headers: {}, body: JSON.stringify({ ...push, message: { ...push.message, data } }), query: {} }).catch(
        (caught: unknown) => caught,
      );
      expect((elsewhere as PlatformError).kind).toBe('rejected');
    } finally {
      await standIn.close();
    }
  });
});

describe('review platform contract: google authenticated push (OIDC token)', () => {
  it('accepts only a token Google signed for this audience and service account', async () => {
    const standIn = await startGoogleStandIn();
    const google = await generateKeyPair('RS256');
    const stranger = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(google.publicKey)), kid: 'google-1', alg: 'RS256', use: 'sig' };
    const certs = await new HttpStandIn([(request) => (request.url.pathname === '/oauth2/v3/certs' ? { status: 200, body: { keys: [jwk] } } : null)]).start();
    try {
      const settings = googlePlatform.settingsSchema.parse({
        ...standIn.settings,
        pushAudience: 'https://cx.example/hooks',
        pushServiceAccount: 'pubsub@cx.iam.gserviceaccount.com',
        pushJwksUrl: `${certs.url}/oauth2/v3/certs`,
      });
      const call = { settings, state: new Map(), http: createPlatformHttp(googlePlatform.api!(settings)) };
      const token = (claims: Record<string, unknown>, key = google.privateKey, kid = 'google-1') =>
        new SignJWT({ email: 'pubsub@cx.iam.gserviceaccount.com', email_verified: true, ...claims })
          .setProtectedHeader({ alg: 'RS256', kid })
          .setIssuer('https://accounts.google.com')
          .setAudience((claims.aud as string) ?? 'https://cx.example/hooks')
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(key);
      const push = standIn.push!('created', 'r1');
      const withToken = async (bearer: string | null) =>
        googlePlatform.parsePush!(call, { headers: { ...push.headers, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: push.body, query: {} }).catch((caught: unknown) => caught);
      expect(await withToken(await token({}))).toMatchObject({ refetchExternalIds: ['r1'] });
      for (const bad of [null, await token({ aud: 'https://elsewhere.example' }), await token({}, stranger.privateKey), await token({ email: 'someone@evil.example' })]) {
        expect(((await withToken(bad)) as PlatformError).kind).toBe('rejected');
      }
    } finally {
      await certs.close();
      await standIn.close();
    }
  });
});

describe('review platform contract: generic signed push (Standard Webhooks)', () => {
  const oldSecret = `whsec_${Buffer.from('old-secret-old-secret-32-bytes!!').toString('base64')}`;
  const newSecret = `whsec_${Buffer.from('new-secret-new-secret-32-bytes!!').toString('base64')}`;
  const call = (secrets: string[]) => ({
    settings: genericPlatform.settingsSchema.parse({ secrets, ratingScale: { min: 1, max: 10 } }),
    state: new Map(),
    http: createPlatformHttp({ baseUrl: 'http://invalid.invalid' }),
  });
  const signed = (secret: string, payload: unknown, at = new Date(), id = 'msg_1') => {
    const body = JSON.stringify(payload);
    return { headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, body) }, body, query: {} };
  };
  const event = {
    type: 'review.created',
    data: {
      id: 'g1',
      rating: 9,
      title: 'Top',
      text: 'Prima geholpen, snel geleverd en alles werkte meteen.',
      author: { name: 'Piet', email: 'piet@example.com' },
      publishedAt: '2026-10-01T10:00:00Z',
    },
  };

  it('accepts a push signed with any current secret (rotation) and maps the review on its scale', async () => {
    for (const secret of [oldSecret, newSecret]) {
      const result = await genericPlatform.parsePush!(call([oldSecret, newSecret]), signed(secret, event));
      expect(result.reviews).toHaveLength(1);
      expect(result.reviews[0]).toMatchObject({ externalId: 'g1', rating: 9, scale: { min: 1, max: 10 }, authorEmail: 'piet@example.com' });
    }
  });

  it.each([
    ['a wrong secret', () => signed(`whsec_${Buffer.from('another-secret-another-secret-32').toString('base64')}`, event)],
    ['a tampered body', () => ({ ...signed(oldSecret, event), body: JSON.stringify({ ...event, data: { ...event.data, rating: 1 } }) })],
    ['a timestamp outside the tolerance', () => signed(oldSecret, event, new Date(Date.now() - 10 * 60_000))],
    ['no signature', () => ({ headers: {}, body: JSON.stringify(event), query: {} })],
  ])('refuses %s', async (_name, request) => {
    const error = await genericPlatform.parsePush!(call([oldSecret]), request()).catch((caught: unknown) => caught);
    expect((error as PlatformError).kind).toBe('rejected');
  });

  it('reports a signed push that is not a review event, and maps deletions', async () => {
    const bad = await genericPlatform.parsePush!(call([oldSecret]), signed(oldSecret, { type: 'review.created', data: { id: 'x' } })).catch((caught: unknown) => caught);
    expect((bad as PlatformError).kind).toBe('malformed');
    const outOfScale = await genericPlatform.parsePush!(call([oldSecret]), signed(oldSecret, { ...event, data: { ...event.data, rating: 11 } })).catch((caught: unknown) => caught);
    expect((outOfScale as PlatformError).kind).toBe('malformed');
    const deleted = await genericPlatform.parsePush!(call([oldSecret]), signed(oldSecret, { type: 'review.deleted', data: { id: 'g1' } }));
    expect(deleted.deletedExternalIds).toEqual(['g1']);
  });
});

describe('review platform contract: the fake platform', () => {
  it('pages from its cursor and flips its failure switches', async () => {
    const store = fakeReviewStore('contract');
    for (let i = 1; i <= 25; i += 1) store.add({ externalId: `f${i}`, rating: (i % 5) + 1, publishedAt: new Date(Date.UTC(2026, 9, 1, 0, i)) });
    const call = { settings: fakeReviewPlatform.settingsSchema.parse({ store: 'contract' }), state: new Map(), http: createPlatformHttp({ baseUrl: 'http://invalid.invalid' }) };
    const { reviews, cursor } = await drain(fakeReviewPlatform as ReviewPlatform<unknown>, call, null);
    expect(reviews).toHaveLength(25);
    store.edit('f2', { text: 'edited', updatedAt: new Date(Date.UTC(2026, 9, 2)) });
    expect((await drain(fakeReviewPlatform as ReviewPlatform<unknown>, call, cursor)).reviews.map((review) => review.externalId)).toEqual(['f2']);
    for (const [flag, kind] of [
      ['rateLimited', 'rate-limited'],
      ['authFails', 'auth'],
      ['malformed', 'malformed'],
    ] as const) {
      store[flag] = true;
      const error = await fakeReviewPlatform.fetchReviews!(call, null).catch((caught: unknown) => caught);
      expect((error as PlatformError).kind).toBe(kind);
      store[flag] = false;
    }
  });
});
