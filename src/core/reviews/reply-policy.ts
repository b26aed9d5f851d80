import type { Prisma } from '../../generated/prisma/client.js';

/** The workspace's reply policy: reviews at or below `maxStars` (1-5) are answered within `hours`; null hours: no requirement. */
export interface ReplyPolicy {
  hours: number | null;
  maxStars: number;
}

/** Reviews the policy covers: not deleted, at or below its stars (stored normalised to 0-1). */
function covered(policy: ReplyPolicy): Prisma.ReviewWhereInput {
  return { deletedAt: null, ratingNormalised: { lte: (policy.maxStars - 1) / 4 + 1e-9 } };
}

/** Reviews in breach of the policy: still unanswered past its hours, or answered late. Null without a policy. */
export function replyBreachWhere(policy: ReplyPolicy, now: Date): Prisma.ReviewWhereInput | null {
  if (policy.hours === null) return null;
  const dueBefore = new Date(now.getTime() - policy.hours * 3_600_000);
  return { ...covered(policy), OR: [{ repliedAt: null, publishedAt: { lt: dueBefore } }, { replyHours: { gt: policy.hours } }] };
}

/** The breaches still open: unanswered past the policy's hours (what an owner must still do). Null without a policy. */
export function openReplyBreachWhere(policy: ReplyPolicy, now: Date): Prisma.ReviewWhereInput | null {
  if (policy.hours === null) return null;
  return { ...covered(policy), repliedAt: null, publishedAt: { lt: new Date(now.getTime() - policy.hours * 3_600_000) } };
}
