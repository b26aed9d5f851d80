import { Webhook } from 'standardwebhooks';
import { definePlugin, PlatformError, z, type PlatformReview, type ReviewPlatform } from '../../core/plugin-sdk/index.js';

const settingsSchema = z
  .object({
    /**
     * Standard Webhooks secrets (whsec_...). Several at once while rotating: a push signed with
     * any of them is accepted, so the sender can switch without losing a message.
     */
    secrets: z
      .array(z.string().regex(/^whsec_[A-Za-z0-9+/=]{24,}$/, 'a Standard Webhooks secret: whsec_ followed by at least 18 base64 bytes'))
      .min(1)
      .max(5),
    ratingScale: z
      .object({ min: z.number(), max: z.number() })
      .refine((scale) => scale.max > scale.min, 'max must be above min')
      .default({ min: 1, max: 5 }),
  })
  .strict();
type Settings = z.output<typeof settingsSchema>;

const reviewSchema = z.object({
  id: z.string().min(1).max(200),
  rating: z.number(),
  title: z.string().nullish(),
  text: z.string().nullish(),
  author: z.object({ name: z.string().nullish(), email: z.string().nullish() }).nullish(),
  orderReference: z.string().nullish(),
  language: z.string().min(2).max(8).nullish(),
  publishedAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }).nullish(),
  url: z.url().nullish(),
  reply: z.object({ text: z.string(), publishedAt: z.iso.datetime({ offset: true }) }).nullish(),
});
const eventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['review.created', 'review.updated']), data: reviewSchema }),
  z.object({ type: z.literal('review.deleted'), data: z.object({ id: z.string().min(1) }) }),
]);

export type GenericReviewEvent = z.input<typeof eventSchema>;

function toReview(review: z.output<typeof reviewSchema>, scale: Settings['ratingScale']): PlatformReview {
  if (review.rating < scale.min || review.rating > scale.max) throw new PlatformError('malformed', `rating ${review.rating} is outside the scale ${scale.min}-${scale.max}`);
  return {
    externalId: review.id,
    rating: review.rating,
    scale,
    title: review.title ?? null,
    text: review.text ?? null,
    authorName: review.author?.name ?? null,
    authorEmail: review.author?.email ?? null,
    orderReference: review.orderReference ?? null,
    language: review.language ?? null,
    publishedAt: new Date(review.publishedAt),
    updatedAt: review.updatedAt ? new Date(review.updatedAt) : null,
    url: review.url ?? null,
    reply: review.reply ? { text: review.reply.text, publishedAt: new Date(review.reply.publishedAt) } : null,
  };
}

/** Verifies a Standard Webhooks signature (HMAC-SHA256 over id.timestamp.body, 5 minutes tolerance) against every current secret. */
export function verifySignedPush(secrets: readonly string[], body: string, headers: Record<string, string>): unknown {
  let lastError: unknown;
  for (const secret of secrets) {
    try {
      return new Webhook(secret).verify(body, headers);
    } catch (error) {
      lastError = error;
    }
  }
  throw new PlatformError('rejected', `The push signature does not verify: ${(lastError as Error).message}`);
}

export const genericPlatform: ReviewPlatform<Settings> = {
  code: 'generic',
  displayName: 'Any source (signed push or CSV)',
  description: 'For any review source without its own plugin: reviews pushed as Standard Webhooks (review.created, review.updated, review.deleted), or imported as CSV.',
  settingsSchema,
  capabilities: ['push'],
  ratingScale: { min: 1, max: 5 },
  allowsSelectiveInvitations: true,
  async parsePush(call, request) {
    const json = verifySignedPush(call.settings.secrets, request.body, request.headers);
    const event = eventSchema.safeParse(json);
    if (!event.success) throw new PlatformError('malformed', `The push is not a review event: ${event.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    if (event.data.type === 'review.deleted') return { reviews: [], refetchExternalIds: [], deletedExternalIds: [event.data.data.id] };
    return { reviews: [toReview(event.data.data, call.settings.ratingScale)], refetchExternalIds: [], deletedExternalIds: [] };
  },
};

export function createGenericReviewsPlugin(options: unknown = {}) {
  return definePlugin({
    name: 'generic-reviews',
    version: '1.0.0',
    options,
    optionsSchema: z.object({}).strict(),
    setup: () => ({ reviewPlatforms: [genericPlatform] }),
  });
}
