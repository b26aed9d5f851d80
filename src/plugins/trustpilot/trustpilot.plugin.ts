import { definePlugin, expectShape, PlatformError, withAccessToken, z, type PlatformCall, type PlatformReview, type ReviewPlatform } from '../../core/plugin-sdk/index.js';

const settingsSchema = z
  .object({
    apiKey: z.string().min(1),
    apiSecret: z.string().min(1),
    businessUnitId: z.string().min(1),
    /** The business user replies are published as (Trustpilot's authorBusinessUserId). */
    businessUserId: z.string().min(1),
    apiBaseUrl: z.url().default('https://api.trustpilot.com'),
    invitationsBaseUrl: z.url().default('https://invitations-api.trustpilot.com'),
    /** LINK: a personal review link we send ourselves; EMAIL: Trustpilot sends its own invitation email. */
    invitationMode: z.enum(['LINK', 'EMAIL']).default('LINK'),
    senderEmail: z.email().optional(),
    templateId: z.string().optional(),
    pageSize: z.number().int().min(1).max(100).default(100),
  })
  .strict();
type Settings = z.output<typeof settingsSchema>;

const reviewSchema = z.looseObject({
  id: z.string(),
  stars: z.number().int().min(1).max(5),
  title: z.string().nullish(),
  text: z.string().nullish(),
  language: z.string().nullish(),
  createdAt: z.string(),
  updatedAt: z.string().nullish(),
  referenceId: z.string().nullish(),
  referralEmail: z.string().nullish(),
  status: z.string().nullish(),
  consumer: z.looseObject({ displayName: z.string().nullish() }).nullish(),
  companyReply: z.looseObject({ text: z.string(), createdAt: z.string() }).nullish(),
});
const listSchema = z.looseObject({
  reviews: z.array(z.unknown()),
  links: z.array(z.looseObject({ rel: z.string(), href: z.string() })).default([]),
});
const tokenSchema = z.looseObject({ access_token: z.string(), expires_in: z.union([z.string(), z.number()]) });
const webhookSchema = z.looseObject({
  events: z.array(z.looseObject({ eventName: z.string(), eventData: z.looseObject({ id: z.string() }) })),
});
const cursorSchema = z.object({ since: z.string().nullable(), page: z.number().int().min(1), maxSeen: z.string().nullable() });

const parsed = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => expectShape('Trustpilot', schema, value, what);

function toReview(raw: unknown): PlatformReview {
  const review = parsed(reviewSchema, raw, 'review');
  return {
    externalId: review.id,
    rating: review.stars,
    title: review.title ?? null,
    text: review.text ?? null,
    authorName: review.consumer?.displayName ?? null,
    authorEmail: review.referralEmail ?? null,
    orderReference: review.referenceId ?? null,
    language: review.language ?? null,
    publishedAt: new Date(review.createdAt),
    updatedAt: review.updatedAt ? new Date(review.updatedAt) : null,
    url: `https://www.trustpilot.com/reviews/${encodeURIComponent(review.id)}`,
    reply: review.companyReply ? { text: review.companyReply.text, publishedAt: new Date(review.companyReply.createdAt) } : null,
    deleted: review.status === 'deleted',
  };
}

/** Calls the Business API with a bearer token from the client-credentials grant. */
function authorised<T>(call: PlatformCall<Settings>, use: (headers: Record<string, string>) => Promise<T>): Promise<T> {
  const { settings } = call;
  return withAccessToken(
    call.state,
    async () => {
      const basic = Buffer.from(`${settings.apiKey}:${settings.apiSecret}`).toString('base64');
      const { body } = await call.http.request('/v1/oauth/oauth-business-users-for-applications/accesstoken', {
        method: 'POST',
        headers: { authorization: `Basic ${basic}` },
        form: { grant_type: 'client_credentials' },
      });
      const token = parsed(tokenSchema, body, 'token response');
      return { token: token.access_token, expiresInSeconds: Number(token.expires_in) || 3600 };
    },
    (token) => use({ authorization: `Bearer ${token}` }),
  );
}

export const trustpilotPlatform: ReviewPlatform<Settings> = {
  code: 'trustpilot',
  displayName: 'Trustpilot',
  description: 'Trustpilot Business API: private reviews (paged), replies, invitation links or emails, and service-review webhooks (re-fetched, as they carry no signature).',
  settingsSchema,
  capabilities: ['list', 'reply', 'invite', 'push'],
  ratingScale: { min: 1, max: 5 },
  // Trustpilot's guidelines: invite all customers or none, never only the happy ones.
  allowsSelectiveInvitations: false,
  api: (settings) => ({ baseUrl: settings.apiBaseUrl, extraOrigins: [settings.invitationsBaseUrl] }),
  async fetchReviews(call, cursorText) {
    const cursor = cursorText ? parsed(cursorSchema, JSON.parse(cursorText), 'cursor') : { since: null, page: 1, maxSeen: null };
    const { body } = await authorised(call, (headers) =>
      call.http.request(`/v1/private/business-units/${encodeURIComponent(call.settings.businessUnitId)}/reviews`, {
        headers,
        query: { page: cursor.page, perPage: call.settings.pageSize, orderBy: 'createdat.asc', startDateTime: cursor.since },
      }),
    );
    const page = parsed(listSchema, body, 'review list');
    const reviews = page.reviews.map(toReview);
    const maxSeen = reviews.reduce<string | null>((max, review) => (max === null || review.publishedAt.toISOString() > max ? review.publishedAt.toISOString() : max), cursor.maxSeen);
    const hasMore = page.links.some((link) => link.rel === 'next-page') && reviews.length > 0;
    // After the last page the next sync starts at the newest review seen (inclusive: re-reading it writes nothing).
    const next = hasMore ? { since: cursor.since, page: cursor.page + 1, maxSeen } : { since: maxSeen ?? cursor.since, page: 1, maxSeen: null };
    return { reviews, cursor: JSON.stringify(next), hasMore };
  },
  async fetchReview(call, externalId) {
    try {
      const { body } = await authorised(call, (headers) => call.http.request(`/v1/private/reviews/${encodeURIComponent(externalId)}`, { headers }));
      return toReview(body);
    } catch (error) {
      if (error instanceof PlatformError && error.kind === 'not-found') return null;
      throw error;
    }
  },
  async parsePush(_call, request) {
    let json: unknown;
    try {
      json = JSON.parse(request.body);
    } catch {
      throw new PlatformError('malformed', 'The Trustpilot webhook body is not JSON');
    }
    const { events } = parsed(webhookSchema, json, 'webhook');
    const result = { reviews: [], refetchExternalIds: [] as string[], deletedExternalIds: [] as string[] };
    for (const event of events) {
      if (event.eventName === 'service-review-deleted') result.deletedExternalIds.push(event.eventData.id);
      else if (event.eventName.startsWith('service-review-')) result.refetchExternalIds.push(event.eventData.id);
    }
    return result;
  },
  async publishReply(call, externalId, text) {
    await authorised(call, (headers) =>
      call.http.request(`/v1/private/reviews/${encodeURIComponent(externalId)}/reply`, {
        method: 'POST',
        headers,
        json: { authorBusinessUserId: call.settings.businessUserId, message: text },
        // Publishing the same reply twice replaces it: safe to repeat after a 5xx.
        idempotent: true,
      }),
    );
    return { publishedAt: new Date() };
  },
  async deleteReply(call, externalId) {
    await authorised(call, (headers) => call.http.request(`/v1/private/reviews/${encodeURIComponent(externalId)}/reply`, { method: 'DELETE', headers }));
  },
  async createInvitation(call, request) {
    const { settings } = call;
    const base = `${settings.invitationsBaseUrl.replace(/\/$/, '')}/v1/private/business-units/${encodeURIComponent(settings.businessUnitId)}`;
    if (settings.invitationMode === 'LINK') {
      const { body } = await authorised(call, (headers) =>
        call.http.request<{ url?: string }>(`${base}/invitation-links`, {
          method: 'POST',
          headers,
          json: { referenceId: request.reference, email: request.email, name: request.name ?? request.email, locale: request.locale ?? 'en-US', tags: [] },
          idempotent: true,
        }),
      );
      if (typeof body?.url !== 'string') throw new PlatformError('malformed', 'Trustpilot returned an invitation link without a url');
      return { url: body.url, duplicate: false, sentByPlatform: false };
    }
    await authorised(call, (headers) =>
      call.http.request(`${base}/email-invitations`, {
        method: 'POST',
        headers,
        json: {
          consumerEmail: request.email,
          consumerName: request.name ?? request.email,
          referenceNumber: request.reference,
          locale: request.locale ?? 'en-US',
          ...(settings.senderEmail ? { senderEmail: settings.senderEmail } : {}),
          serviceReviewInvitation: settings.templateId ? { templateId: settings.templateId } : {},
        },
      }),
    );
    return { url: null, duplicate: false, sentByPlatform: true };
  },
};

export function createTrustpilotPlugin(options: unknown = {}) {
  return definePlugin({
    name: 'trustpilot',
    version: '1.0.0',
    options,
    optionsSchema: z.object({}).strict(),
    setup: () => ({ reviewPlatforms: [trustpilotPlatform] }),
  });
}
