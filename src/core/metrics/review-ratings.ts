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

/** Mean rating (0-1 and 1-5), count, distribution on 1-5 stars, share answered and median reply time. */
export function reviewRatings(reviews: readonly ReviewRatingInput[]) {
  const n = reviews.length;
  const normalised = reviews.map((review) => normaliseRating(review.rating, review.scale));
  const stars = [1, 2, 3, 4, 5].map((star) => reviews.filter((review) => Math.round(toFiveStars(review.rating, review.scale)) === star).length);
  const mean = n === 0 ? null : normalised.reduce((sum, value) => sum + value, 0) / n;
  return {
    count: n,
    meanNormalised: mean,
    meanStars: mean === null ? null : 1 + mean * 4,
    distribution: stars.map((count, index) => ({ stars: index + 1, count, share: n === 0 ? 0 : (count / n) * 100 })),
    answeredShare: n === 0 ? null : (reviews.filter((review) => review.answered).length / n) * 100,
    medianReplyHours: median(reviews.filter((review) => review.answered && review.replyHours !== null).map((review) => review.replyHours!)),
  };
}
