import { isLowSample } from './low-sample.js';

export interface ReviewRatingInput {
  /** Rating on the platform's own scale. */
  rating: number;
  scale: { min: number; max: number };
  answered: boolean;
  /** Hours from the review to the first reply, when answered. */
  replyHours: number | null;
}

/** A rating on any scale mapped to 0-1 (min -> 0, max -> 1). */
export function normaliseRating(rating: number, scale: { min: number; max: number }): number {
  return (rating - scale.min) / (scale.max - scale.min);
}

/** The same rating on 1-5. */
export function toFiveStars(rating: number, scale: { min: number; max: number }): number {
  return 1 + normaliseRating(rating, scale) * 4;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** What the database aggregates for a set of reviews; the formula below turns it into the metric. */
export interface ReviewRatingCounts {
  count: number;
  /** Sum of the normalised (0-1) ratings. */
  sumNormalised: number;
  /** Reviews per rounded star, 1 to 5 (half stars round up). */
  stars: readonly [number, number, number, number, number];
  answered: number;
  medianReplyHours: number | null;
}

/** Mean rating (0-1 and 1-5), count, distribution on 1-5 stars, share answered (%) and median reply time. */
export function reviewRatingsFromCounts(counts: ReviewRatingCounts) {
  const n = counts.count;
  const mean = n === 0 ? null : counts.sumNormalised / n;
  return {
    count: n,
    meanNormalised: mean,
    meanStars: mean === null ? null : 1 + mean * 4,
    distribution: counts.stars.map((count, index) => ({ stars: index + 1, count, share: n === 0 ? 0 : (count / n) * 100 })),
    answeredShare: n === 0 ? null : (counts.answered / n) * 100,
    medianReplyHours: counts.medianReplyHours,
    /** Fewer than 50 reviews: an average that a few new reviews can move; read with care. */
    lowSample: isLowSample('SINGLE', n),
  };
}

/** The same metric from individual reviews (the reference the SQL path is tested against). */
export function reviewRatings(reviews: readonly ReviewRatingInput[]) {
  const stars = [0, 0, 0, 0, 0] as [number, number, number, number, number];
  for (const review of reviews) stars[Math.floor(toFiveStars(review.rating, review.scale) + 0.5) - 1]! += 1;
  return reviewRatingsFromCounts({
    count: reviews.length,
    sumNormalised: reviews.reduce((sum, review) => sum + normaliseRating(review.rating, review.scale), 0),
    stars,
    answered: reviews.filter((review) => review.answered).length,
    medianReplyHours: median(reviews.filter((review) => review.answered && review.replyHours !== null).map((review) => review.replyHours!)),
  });
}
