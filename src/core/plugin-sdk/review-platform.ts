import type { Contribution } from './contribution.js';

export const REVIEW_PLATFORM_CAPABILITIES = ['list', 'reply', 'invite', 'push', 'aggregates-only'] as const;
export type ReviewPlatformCapability = (typeof REVIEW_PLATFORM_CAPABILITIES)[number];

export interface PlatformReview {
  externalId: string;
  rating: number;
  title: string | null;
  text: string | null;
  authorName: string | null;
  authorEmail: string | null;
  orderReference: string | null;
  language: string | null;
  publishedAt: Date;
  updatedAt: Date | null;
  url: string | null;
  reply: { text: string; publishedAt: Date } | null;
}

export interface ReviewPage {
  reviews: PlatformReview[];
  /** Opaque cursor to resume from; null when there is nothing more. */
  nextCursor: string | null;
}

export interface RawPushRequest {
  headers: Record<string, string>;
  body: string;
}

/**
 * A review source such as Trustpilot or Google. Functions are required by the capabilities
 * declared: `list` needs `fetchReviews`, `reply` needs `publishReply` and `deleteReply`, `invite`
 * needs `createInvitation`, `push` needs `parsePush`.
 */
export interface ReviewPlatform<Settings = unknown> extends Contribution<ReviewPlatformCapability, Settings> {
  displayName: string;
  ratingScale: { min: number; max: number };
  /** False where the platform forbids inviting only selected (for example happy) customers. */
  allowsSelectiveInvitations: boolean;
  fetchReviews?(settings: Settings, cursor: string | null): Promise<ReviewPage>;
  parsePush?(settings: Settings, request: RawPushRequest): Promise<{ externalIds: string[] }>;
  publishReply?(settings: Settings, reviewExternalId: string, text: string): Promise<{ publishedAt: Date }>;
  deleteReply?(settings: Settings, reviewExternalId: string): Promise<void>;
  createInvitation?(settings: Settings, customer: { email: string; name: string | null; orderReference: string | null; locale: string | null }): Promise<{ url: string | null }>;
}

export const REQUIRED_FUNCTIONS: Record<ReviewPlatformCapability, Array<keyof ReviewPlatform>> = {
  list: ['fetchReviews'],
  reply: ['publishReply', 'deleteReply'],
  invite: ['createInvitation'],
  push: ['parsePush'],
  'aggregates-only': [],
};
