import type { Contribution } from './contribution.js';
import type { PlatformHttp } from './platform-http.js';

export const REVIEW_PLATFORM_CAPABILITIES = ['list', 'reply', 'invite', 'push', 'aggregates-only'] as const;
export type ReviewPlatformCapability = (typeof REVIEW_PLATFORM_CAPABILITIES)[number];

export interface RatingScale {
  min: number;
  max: number;
}

/** One review as the platform reports it, mapped to common fields. */
export interface PlatformReview {
  externalId: string;
  /** On the platform's scale (see `ReviewPlatform.ratingScale`, or `scale` here when it varies). */
  rating: number;
  scale?: RatingScale;
  title: string | null;
  text: string | null;
  authorName: string | null;
  authorEmail: string | null;
  /** The shop's order or reference number, when the platform has one: used to link a customer. */
  orderReference: string | null;
  /** ISO 639-1 when the platform says; null lets the server detect it from the text. */
  language: string | null;
  publishedAt: Date;
  updatedAt: Date | null;
  url: string | null;
  /** The business' reply as the platform shows it. */
  reply: { text: string; publishedAt: Date } | null;
  /** True when the platform reports the review as removed. */
  deleted?: boolean;
}

export interface ReviewPage {
  reviews: PlatformReview[];
  /** Where to resume; persisted with the page, so a sync stopped halfway resumes there. */
  cursor: string | null;
  /** False when this sync has seen everything there is for now. */
  hasMore: boolean;
}

export interface RawPushRequest {
  headers: Record<string, string>;
  body: string;
  /** Query parameters of the push URL. */
  query: Record<string, string>;
}

/**
 * What a push said. Platforms whose notifications cannot be verified (Trustpilot's carry no
 * signature) return ids only: the server re-fetches those reviews through the API.
 */
export interface PushResult {
  reviews: PlatformReview[];
  refetchExternalIds: string[];
  deletedExternalIds: string[];
}

export interface ReviewInvitationRequest {
  email: string;
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  /** Our customer id or the order number, shown back on the review. */
  reference: string;
  locale: string | null;
}

export interface ReviewInvitationResult {
  /** A review link for the customer, when the platform returns one. */
  url: string | null;
  /** The platform already had an invitation for this customer and sent nothing new. */
  duplicate: boolean;
  /** True when the platform itself contacts the customer; false when `url` still has to reach them (the server emails it). */
  sentByPlatform: boolean;
}

/** What every platform function receives: its validated settings and an HTTP client bound to them. */
export interface PlatformCall<Settings> {
  settings: Settings;
  /** A client that retries 429/5xx with back-off and never follows redirects to other hosts. */
  http: PlatformHttp;
  /** Per-connection memory that lives as long as the process (access tokens and the like). */
  state: Map<string, unknown>;
}

/**
 * A review source such as Trustpilot or Google. Functions are required by the capabilities
 * declared: `list` needs `fetchReviews`, `reply` needs `publishReply` and `deleteReply`, `invite`
 * needs `createInvitation`, `push` needs `parsePush` (and `fetchReview` when pushes carry ids only).
 * Failures are thrown as `PlatformError` (see platform-http.ts) so the server can tell a rate
 * limit from an expired credential from a broken payload.
 */
export interface ReviewPlatform<Settings = unknown> extends Contribution<ReviewPlatformCapability, Settings> {
  displayName: string;
  ratingScale: RatingScale;
  /** False where the platform forbids inviting only selected (for example happy) customers. */
  allowsSelectiveInvitations: boolean;
  /** Where the platform's API lives for these settings; the server builds `call.http` from it. */
  api?(settings: Settings): { baseUrl: string; extraOrigins?: string[] };
  /** Reviews changed or added after `cursor` (null: from the beginning), one page per call. */
  fetchReviews?(call: PlatformCall<Settings>, cursor: string | null): Promise<ReviewPage>;
  /** One review by id; null when the platform no longer has it. */
  fetchReview?(call: PlatformCall<Settings>, externalId: string): Promise<PlatformReview | null>;
  /** Verifies what can be verified of a push request and says what it carried; throws PlatformError('rejected') otherwise. */
  parsePush?(call: PlatformCall<Settings>, request: RawPushRequest): Promise<PushResult>;
  publishReply?(call: PlatformCall<Settings>, reviewExternalId: string, text: string): Promise<{ publishedAt: Date }>;
  deleteReply?(call: PlatformCall<Settings>, reviewExternalId: string): Promise<void>;
  createInvitation?(call: PlatformCall<Settings>, request: ReviewInvitationRequest): Promise<ReviewInvitationResult>;
}

export const REQUIRED_FUNCTIONS: Record<ReviewPlatformCapability, Array<keyof ReviewPlatform>> = {
  list: ['fetchReviews'],
  reply: ['publishReply', 'deleteReply'],
  invite: ['createInvitation'],
  push: ['parsePush'],
  'aggregates-only': [],
};
