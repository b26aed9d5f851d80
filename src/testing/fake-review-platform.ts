import { definePlugin, PlatformError, z, type PlatformReview, type ReviewPlatform } from '../core/plugin-sdk/index.js';

/**
 * An in-memory review platform with switches for what real platforms do to us: rate limits,
 * refused credentials, malformed payloads, failing replies, edits and removals. Settings carry
 * a `store` name so several sources can hold different reviews.
 */
export class FakeReviewStore {
  readonly reviews = new Map<string, PlatformReview>();
  readonly replies = new Map<string, string>();
  readonly invitations: Array<{ email: string; reference: string }> = [];
  rateLimited = false;
  authFails = false;
  malformed = false;
  replyFails = false;
  pageSize = 10;
  /** Pages served, for resumability checks. */
  pagesServed = 0;
  /** Fail (rate limited) after this many more pages; null: never. */
  failAfterPages: number | null = null;

  add(review: Partial<PlatformReview> & { externalId: string; rating: number }): void {
    const at = review.publishedAt ?? new Date('2026-10-01T10:00:00Z');
    this.reviews.set(review.externalId, {
      title: null,
      text: null,
      authorName: 'Fake author',
      authorEmail: null,
      orderReference: null,
      language: null,
      updatedAt: at,
      url: null,
      reply: null,
      ...review,
      publishedAt: at,
    });
  }

  edit(externalId: string, patch: Partial<PlatformReview>): void {
    const review = this.reviews.get(externalId)!;
    this.reviews.set(externalId, { ...review, ...patch, updatedAt: patch.updatedAt ?? new Date((review.updatedAt ?? review.publishedAt).getTime() + 60_000) });
  }
}

export const fakeReviewStores = new Map<string, FakeReviewStore>();
export function fakeReviewStore(name: string): FakeReviewStore {
  let store = fakeReviewStores.get(name);
  if (!store) fakeReviewStores.set(name, (store = new FakeReviewStore()));
  return store;
}

const settingsSchema = z.object({ store: z.string().min(1), selective: z.boolean().default(true) }).strict();
type Settings = z.output<typeof settingsSchema>;

function check(store: FakeReviewStore) {
  if (store.authFails) throw new PlatformError('auth', 'The fake platform refused the credentials (401)', { status: 401 });
  if (store.rateLimited) throw new PlatformError('rate-limited', 'Rate limited by the fake platform; retry after 3600 s', { status: 429, retryAfterMs: 3_600_000 });
  if (store.malformed) throw new PlatformError('malformed', 'The fake platform sent a body that is not JSON');
}

const ordered = (store: FakeReviewStore) =>
  [...store.reviews.values()].sort((a, b) => (a.updatedAt ?? a.publishedAt).getTime() - (b.updatedAt ?? b.publishedAt).getTime() || a.externalId.localeCompare(b.externalId));

export const fakeReviewPlatform: ReviewPlatform<Settings> = {
  code: 'fake-reviews',
  displayName: 'Fake reviews',
  description: 'In-memory review platform for tests.',
  settingsSchema,
  capabilities: ['list', 'reply', 'invite', 'push'],
  ratingScale: { min: 1, max: 5 },
  allowsSelectiveInvitations: true,
  /** Cursor: "<updatedAt ms>|<externalId>" of the last review read, oldest-updated first. */
  async fetchReviews(call, cursor) {
    const store = fakeReviewStore(call.settings.store);
    check(store);
    if (store.failAfterPages !== null) {
      if (store.failAfterPages <= 0) throw new PlatformError('rate-limited', 'Rate limited mid-sync', { status: 429 });
      store.failAfterPages -= 1;
    }
    const [at, id] = cursor ? [Number(cursor.split('|')[0]), cursor.split('|')[1] ?? ''] : [-1, ''];
    const after = ordered(store).filter((review) => {
      const time = (review.updatedAt ?? review.publishedAt).getTime();
      return time > at || (time === at && review.externalId > id);
    });
    const page = after.slice(0, store.pageSize);
    store.pagesServed += 1;
    const last = page.at(-1);
    return {
      reviews: page.map((review) => ({ ...review, reply: store.replies.has(review.externalId) ? { text: store.replies.get(review.externalId)!, publishedAt: review.publishedAt } : review.reply })),
      cursor: last ? `${(last.updatedAt ?? last.publishedAt).getTime()}|${last.externalId}` : cursor,
      hasMore: after.length > page.length,
    };
  },
  async fetchReview(call, externalId) {
    const store = fakeReviewStore(call.settings.store);
    check(store);
    return store.reviews.get(externalId) ?? null;
  },
  async parsePush(call, request) {
    const store = fakeReviewStore(call.settings.store);
    const body = JSON.parse(request.body) as { ids?: string[]; deleted?: string[] };
    if (!Array.isArray(body.ids)) throw new PlatformError('malformed', 'ids missing');
    void store;
    return { reviews: [], refetchExternalIds: body.ids, deletedExternalIds: body.deleted ?? [] };
  },
  async publishReply(call, externalId, text) {
    const store = fakeReviewStore(call.settings.store);
    check(store);
    if (store.replyFails) throw new PlatformError('rejected', 'The fake platform rejected the reply (422): text too long', { status: 422 });
    store.replies.set(externalId, text);
    return { publishedAt: new Date() };
  },
  async deleteReply(call, externalId) {
    const store = fakeReviewStore(call.settings.store);
    check(store);
    store.replies.delete(externalId);
  },
  async createInvitation(call, request) {
    const store = fakeReviewStore(call.settings.store);
    check(store);
    const duplicate = store.invitations.some((invitation) => invitation.email === request.email);
    if (!duplicate) store.invitations.push({ email: request.email, reference: request.reference });
    return { url: `https://reviews.example/${encodeURIComponent(request.reference)}`, duplicate, sentByPlatform: true };
  },
};

/** The same platform, but one that forbids selective invitations (as Google and Trustpilot do). */
export const fakeStrictReviewPlatform: ReviewPlatform<Settings> = { ...fakeReviewPlatform, code: 'fake-strict-reviews', displayName: 'Fake strict reviews', allowsSelectiveInvitations: false };

export function createFakeReviewPlugin() {
  return definePlugin({
    name: 'fake-reviews',
    version: '1.0.0',
    options: {},
    optionsSchema: z.object({}).strict(),
    setup: () => ({ reviewPlatforms: [fakeReviewPlatform, fakeStrictReviewPlatform] }),
  });
}
