import { definePlugin, expectShape, PlatformError, z, type PlatformCall, type PlatformReview, type ReviewPlatform } from '../../core/plugin-sdk/index.js';

const settingsSchema = z
  .object({
    /** The publication API token (Kiyoh dashboard, Invite > Extra options). */
    apiToken: z.string().min(1),
    locationId: z.string().min(1),
    tenantId: z.string().default('98'),
    /** https://www.kiyoh.com, or https://www.klantenvertellen.nl for Klantenvertellen accounts. */
    apiBaseUrl: z.url().default('https://www.kiyoh.com'),
    pageSize: z.number().int().min(1).max(250).default(100),
    /** Days Kiyoh waits before sending an invitation. */
    inviteDelayDays: z.number().int().min(0).max(30).default(0),
    language: z.string().default('nl'),
  })
  .strict();
type Settings = z.output<typeof settingsSchema>;

const contentSchema = z.looseObject({ questionGroup: z.string(), rating: z.unknown() });
const reviewSchema = z.looseObject({
  reviewId: z.string(),
  reviewAuthor: z.string().nullish(),
  rating: z.number().min(1).max(10),
  reviewComments: z.string().nullish(),
  reviewContent: z.array(contentSchema).default([]),
  dateSince: z.string(),
  updatedSince: z.string().nullish(),
  referenceCode: z.string().nullish(),
  reviewLanguage: z.string().nullish(),
});
const feedSchema = z.looseObject({ reviews: z.array(z.unknown()) });
const errorSchema = z.looseObject({ errorCode: z.string().optional(), detailedError: z.array(z.looseObject({ errorCode: z.string().optional(), message: z.string().optional() })).optional() });

const parsed = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => expectShape('Kiyoh', schema, value, what);

function toReview(raw: unknown): PlatformReview {
  const review = parsed(reviewSchema, raw, 'review');
  const answer = (group: string) => {
    const value = review.reviewContent.find((content) => content.questionGroup === group)?.rating;
    return typeof value === 'string' && value.trim() !== '' ? value : null;
  };
  return {
    externalId: review.reviewId,
    rating: review.rating,
    title: answer('DEFAULT_ONELINER'),
    text: answer('DEFAULT_OPINION'),
    authorName: review.reviewAuthor ?? null,
    authorEmail: null,
    orderReference: review.referenceCode ?? null,
    language: review.reviewLanguage ?? null,
    publishedAt: new Date(review.dateSince),
    updatedAt: review.updatedSince ? new Date(review.updatedSince) : null,
    url: null,
    reply: review.reviewComments ? { text: review.reviewComments, publishedAt: new Date(review.updatedSince ?? review.dateSince) } : null,
  };
}

const headers = (settings: Settings) => ({ 'X-Publication-Api-Token': settings.apiToken });

async function respond(call: PlatformCall<Settings>, externalId: string, text: string) {
  await call.http.request('/v1/publication/review/response', {
    method: 'PUT',
    headers: headers(call.settings),
    json: { locationId: call.settings.locationId, tenantId: call.settings.tenantId, reviewId: externalId, response: text, reviewResponseType: 'PUBLIC', responseEmail: false },
  });
}

export const kiyohPlatform: ReviewPlatform<Settings> = {
  code: 'kiyoh',
  displayName: 'Kiyoh / Klantenvertellen',
  description: 'Kiyoh and Klantenvertellen publication API: review feed by updatedSince, public responses, and external invitations (a repeated invitation is reported as a duplicate).',
  settingsSchema,
  capabilities: ['list', 'reply', 'invite'],
  ratingScale: { min: 1, max: 10 },
  allowsSelectiveInvitations: true,
  api: (settings) => ({ baseUrl: settings.apiBaseUrl }),
  /** The feed is read oldest-updated first from the last update time seen (inclusive; re-reading writes nothing). */
  async fetchReviews(call, cursor) {
    const { settings } = call;
    const { body } = await call.http.request('/v1/publication/review/external', {
      headers: headers(settings),
      query: { locationId: settings.locationId, tenantId: settings.tenantId, limit: settings.pageSize, orderBy: 'UPDATE_DATE', sortOrder: 'ASC', updatedSince: cursor ?? '1970-01-01T00:00:00.000Z' },
    });
    const reviews = parsed(feedSchema, body, 'review feed').reviews.map(toReview);
    const highWater = reviews.reduce<string | null>((max, review) => {
      const at = (review.updatedAt ?? review.publishedAt).toISOString();
      return max === null || at > max ? at : max;
    }, cursor);
    // A full page that did not move the mark (all updated at one instant) would repeat forever.
    const hasMore = reviews.length === settings.pageSize && highWater !== cursor;
    return { reviews, cursor: highWater, hasMore };
  },
  publishReply: async (call, externalId, text) => {
    await respond(call, externalId, text);
    return { publishedAt: new Date() };
  },
  /** Kiyoh has no delete: an empty response removes the published one. */
  deleteReply: (call, externalId) => respond(call, externalId, ''),
  async createInvitation(call, request) {
    const { settings } = call;
    const { status, body } = await call.http.request('/v1/invite/external', {
      method: 'POST',
      headers: headers(settings),
      json: {
        location_id: settings.locationId,
        tenantId: settings.tenantId,
        invite_email: request.email,
        delay: settings.inviteDelayDays,
        first_name: request.firstName ?? '',
        last_name: request.lastName ?? '',
        ref_code: request.reference,
        language: request.locale?.slice(0, 2) ?? settings.language,
      },
      acceptStatuses: [400, 409],
      idempotent: true,
    });
    if (status < 300) return { url: null, duplicate: false, sentByPlatform: true };
    const error = parsed(errorSchema, body ?? {}, 'error');
    const codes = [error.errorCode, ...(error.detailedError ?? []).map((detail) => detail.errorCode)].filter(Boolean).join(' ');
    if (/DUPLICATE|ALREADY/i.test(codes)) return { url: null, duplicate: true, sentByPlatform: true };
    throw new PlatformError('rejected', `Kiyoh refused the invitation: ${codes || status}`, { status, body });
  },
};

export function createKiyohPlugin(options: unknown = {}) {
  return definePlugin({
    name: 'kiyoh',
    version: '1.0.0',
    options,
    optionsSchema: z.object({}).strict(),
    setup: () => ({ reviewPlatforms: [kiyohPlatform] }),
  });
}
