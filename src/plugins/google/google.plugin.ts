import { createRemoteJWKSet, jwtVerify } from 'jose';
import { definePlugin, expectShape, PlatformError, withAccessToken, z, type PlatformCall, type PlatformReview, type ReviewPlatform } from '../../core/plugin-sdk/index.js';

const settingsSchema = z
  .object({
    accountId: z.string().regex(/^\d+$/, 'the numeric account id'),
    locationId: z.string().regex(/^\d+$/, 'the numeric location id'),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    refreshToken: z.string().min(1),
    /** For the review link customers are invited to (https://search.google.com/local/writereview?placeid=...). */
    placeId: z.string().optional(),
    /** The Pub/Sub subscription allowed to push (projects/<p>/subscriptions/<s>); pushes from others are refused. */
    pubsubSubscription: z.string().optional(),
    /**
     * With an authenticated push subscription: the audience it signs for. Every push must then carry
     * Google's OIDC token (Authorization: Bearer), verified against Google's keys.
     */
    pushAudience: z.string().optional(),
    /** The service account the push subscription authenticates as (the token's email claim). */
    pushServiceAccount: z.email().optional(),
    pushJwksUrl: z.url().default('https://www.googleapis.com/oauth2/v3/certs'),
    apiBaseUrl: z.url().default('https://mybusiness.googleapis.com'),
    tokenUrl: z.url().default('https://oauth2.googleapis.com/token'),
    pageSize: z.number().int().min(1).max(50).default(50),
  })
  .strict();
type Settings = z.output<typeof settingsSchema>;

const STARS = { ONE: 1, TWO: 2, THREE: 3, FOUR: 4, FIVE: 5 } as const;
const reviewSchema = z.looseObject({
  reviewId: z.string(),
  name: z.string().optional(),
  reviewer: z.looseObject({ displayName: z.string().nullish(), isAnonymous: z.boolean().nullish() }).nullish(),
  starRating: z.enum(['STAR_RATING_UNSPECIFIED', 'ONE', 'TWO', 'THREE', 'FOUR', 'FIVE']),
  comment: z.string().nullish(),
  createTime: z.string(),
  updateTime: z.string().nullish(),
  reviewReply: z.looseObject({ comment: z.string(), updateTime: z.string() }).nullish(),
});
const listSchema = z.looseObject({ reviews: z.array(z.unknown()).default([]), nextPageToken: z.string().nullish() });
const tokenSchema = z.looseObject({ access_token: z.string(), expires_in: z.number() });
const pushSchema = z.looseObject({
  message: z.looseObject({ data: z.string(), messageId: z.string().optional() }),
  subscription: z.string(),
});
const notificationSchema = z.looseObject({ type: z.string(), review: z.string().optional(), location: z.string().optional() });
const cursorSchema = z.object({ pageToken: z.string().nullable(), highWater: z.string().nullable(), runMax: z.string().nullable() });

const parsed = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => expectShape('Google', schema, value, what);

/** Google puts a machine translation first: keep the customer's own words. */
export function originalComment(comment: string | null | undefined): string | null {
  if (!comment) return null;
  const original = comment.split('(Original)\n')[1];
  return (original ?? comment.replace(/\n*\(Translated by Google\)[\s\S]*$/, '')).trim() || null;
}

function toReview(raw: unknown): PlatformReview | null {
  const review = parsed(reviewSchema, raw, 'review');
  if (review.starRating === 'STAR_RATING_UNSPECIFIED') return null;
  return {
    externalId: review.reviewId,
    rating: STARS[review.starRating],
    title: null,
    text: originalComment(review.comment),
    authorName: review.reviewer?.isAnonymous ? null : (review.reviewer?.displayName ?? null),
    authorEmail: null,
    orderReference: null,
    language: null,
    publishedAt: new Date(review.createTime),
    updatedAt: review.updateTime ? new Date(review.updateTime) : null,
    url: null,
    reply: review.reviewReply ? { text: review.reviewReply.comment, publishedAt: new Date(review.reviewReply.updateTime) } : null,
  };
}

const jwksByUrl = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** Verifies the OIDC token of an authenticated Pub/Sub push: Google's signature, issuer, audience and service account. */
async function verifyPushToken(settings: Settings, authorization: string | undefined) {
  const token = authorization?.replace(/^Bearer\s+/i, '');
  if (!token) throw new PlatformError('rejected', 'The push carries no OIDC token (Authorization: Bearer)');
  let jwks = jwksByUrl.get(settings.pushJwksUrl);
  if (!jwks) jwksByUrl.set(settings.pushJwksUrl, (jwks = createRemoteJWKSet(new URL(settings.pushJwksUrl))));
  try {
    const { payload } = await jwtVerify(token, jwks, { issuer: ['https://accounts.google.com', 'accounts.google.com'], audience: settings.pushAudience });
    if (settings.pushServiceAccount && (payload.email !== settings.pushServiceAccount || payload.email_verified !== true)) {
      throw new PlatformError('rejected', `The push token is for ${String(payload.email)}, not ${settings.pushServiceAccount}`);
    }
  } catch (error) {
    if (error instanceof PlatformError) throw error;
    throw new PlatformError('rejected', `The push token does not verify: ${(error as Error).message}`);
  }
}

const locationPath = (settings: Settings) => `/v4/accounts/${settings.accountId}/locations/${settings.locationId}`;

function authorised<T>(call: PlatformCall<Settings>, use: (headers: Record<string, string>) => Promise<T>): Promise<T> {
  const { settings } = call;
  return withAccessToken(
    call.state,
    async () => {
      const { body } = await call.http.request(settings.tokenUrl, {
        method: 'POST',
        form: { client_id: settings.clientId, client_secret: settings.clientSecret, refresh_token: settings.refreshToken, grant_type: 'refresh_token' },
        idempotent: true,
      });
      const token = parsed(tokenSchema, body, 'token response');
      return { token: token.access_token, expiresInSeconds: token.expires_in };
    },
    (token) => use({ authorization: `Bearer ${token}` }),
  );
}

export const googlePlatform: ReviewPlatform<Settings> = {
  code: 'google',
  displayName: 'Google Business Profile',
  description: 'Google Business Profile reviews (page tokens, star enum), replies by PUT, new-review notifications through Cloud Pub/Sub push (re-fetched), and the public review link.',
  settingsSchema,
  capabilities: ['list', 'reply', 'invite', 'push'],
  ratingScale: { min: 1, max: 5 },
  // Google's policy forbids discouraging negative reviews or soliciting them selectively.
  allowsSelectiveInvitations: false,
  api: (settings) => ({ baseUrl: settings.apiBaseUrl, extraOrigins: [settings.tokenUrl] }),
  /**
   * Google lists newest-updated first. A sync walks pages until it meets a review not newer than
   * the previous sync's high-water mark; the newest update time seen becomes the next mark.
   */
  async fetchReviews(call, cursorText) {
    const cursor = cursorText ? parsed(cursorSchema, JSON.parse(cursorText), 'cursor') : { pageToken: null, highWater: null, runMax: null };
    const { body } = await authorised(call, (headers) =>
      call.http.request(`${locationPath(call.settings)}/reviews`, { headers, query: { pageSize: call.settings.pageSize, pageToken: cursor.pageToken, orderBy: 'updateTime desc' } }),
    );
    const page = parsed(listSchema, body, 'review list');
    const all = page.reviews.map(toReview).filter((review): review is PlatformReview => review !== null);
    const changed = (review: PlatformReview) => (review.updatedAt ?? review.publishedAt).toISOString();
    const fresh = cursor.highWater === null ? all : all.filter((review) => changed(review) > cursor.highWater!);
    const runMax = [cursor.runMax, ...fresh.map(changed)].reduce<string | null>((max, value) => (value !== null && (max === null || value > max) ? value : max), null);
    const reachedKnown = fresh.length < all.length;
    if (page.nextPageToken && !reachedKnown) return { reviews: fresh, cursor: JSON.stringify({ pageToken: page.nextPageToken, highWater: cursor.highWater, runMax }), hasMore: true };
    return { reviews: fresh, cursor: JSON.stringify({ pageToken: null, highWater: runMax ?? cursor.highWater, runMax: null }), hasMore: false };
  },
  async fetchReview(call, externalId) {
    try {
      const { body } = await authorised(call, (headers) => call.http.request(`${locationPath(call.settings)}/reviews/${encodeURIComponent(externalId)}`, { headers }));
      return toReview(body);
    } catch (error) {
      if (error instanceof PlatformError && error.kind === 'not-found') return null;
      throw error;
    }
  },
  /**
   * A Pub/Sub push. Verified: the secret in the push URL (checked by the server), Google's OIDC
   * token when the subscription is authenticated (pushAudience set), the subscription it came
   * from, and that the notification is for this account and location. The review itself is then
   * read through the API, so even a forged push could at worst cause a re-read.
   */
  async parsePush(call, request) {
    if (call.settings.pushAudience) await verifyPushToken(call.settings, request.headers.authorization);
    let json: unknown;
    try {
      json = JSON.parse(request.body);
    } catch {
      throw new PlatformError('malformed', 'The Pub/Sub push body is not JSON');
    }
    const push = parsed(pushSchema, json, 'Pub/Sub push');
    if (call.settings.pubsubSubscription && push.subscription !== call.settings.pubsubSubscription) {
      throw new PlatformError('rejected', `Push from subscription ${push.subscription}, expected ${call.settings.pubsubSubscription}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(Buffer.from(push.message.data, 'base64').toString('utf8'));
    } catch {
      throw new PlatformError('malformed', 'The Pub/Sub message data is not base64-encoded JSON');
    }
    const notification = parsed(notificationSchema, data, 'notification');
    const location = `accounts/${call.settings.accountId}/locations/${call.settings.locationId}`;
    const reviewName = notification.review ?? '';
    if (!reviewName.startsWith(`${location}/reviews/`) && notification.location !== location) {
      throw new PlatformError('rejected', `The notification is for ${notification.location ?? reviewName}, not ${location}`);
    }
    const reviewId = reviewName.startsWith(`${location}/reviews/`) ? reviewName.slice(`${location}/reviews/`.length) : null;
    return { reviews: [], refetchExternalIds: reviewId ? [reviewId] : [], deletedExternalIds: [] };
  },
  async publishReply(call, externalId, text) {
    const { body } = await authorised(call, (headers) =>
      call.http.request<{ updateTime?: string }>(`${locationPath(call.settings)}/reviews/${encodeURIComponent(externalId)}/reply`, { method: 'PUT', headers, json: { comment: text } }),
    );
    return { publishedAt: body?.updateTime ? new Date(body.updateTime) : new Date() };
  },
  async deleteReply(call, externalId) {
    await authorised(call, (headers) => call.http.request(`${locationPath(call.settings)}/reviews/${encodeURIComponent(externalId)}/reply`, { method: 'DELETE', headers }));
  },
  /** Google has no invitation API: the invitation is the public review link, sent by us. */
  async createInvitation(call) {
    if (!call.settings.placeId) throw new PlatformError('rejected', 'Set placeId in the Google settings to invite customers to review');
    return { url: `https://search.google.com/local/writereview?placeid=${encodeURIComponent(call.settings.placeId)}`, duplicate: false, sentByPlatform: false };
  },
};

export function createGooglePlugin(options: unknown = {}) {
  return definePlugin({
    name: 'google',
    version: '1.0.0',
    options,
    optionsSchema: z.object({}).strict(),
    setup: () => ({ reviewPlatforms: [googlePlatform] }),
  });
}
