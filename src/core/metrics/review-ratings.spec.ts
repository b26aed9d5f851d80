import { describe, expect, it } from 'vitest';
import { median, normaliseRating, reviewRatings, toFiveStars } from './review-ratings.js';

describe('review ratings', () => {
  it.each([
    [1, { min: 1, max: 5 }, 0, 1],
    [5, { min: 1, max: 5 }, 1, 5],
    [8, { min: 1, max: 10 }, 7 / 9, 1 + (7 / 9) * 4],
    [3, { min: 1, max: 5 }, 0.5, 3],
  ] as const)('%d on %o', (rating, scale, normalised, stars) => {
    expect(normaliseRating(rating, scale)).toBeCloseTo(normalised, 12);
    expect(toFiveStars(rating, scale)).toBeCloseTo(stars, 12);
  });

  it.each([
    [[], null],
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 2, 3], 2.5],
  ] as const)('median of %o', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('summarises reviews from several scales', () => {
    const five = { min: 1, max: 5 };
    const ten = { min: 1, max: 10 };
    const result = reviewRatings([
      { rating: 5, scale: five, answered: true, replyHours: 2 },
      { rating: 1, scale: five, answered: true, replyHours: 10 },
      { rating: 10, scale: ten, answered: false, replyHours: null },
      { rating: 1, scale: ten, answered: true, replyHours: 4 },
    ]);
    expect(result.count).toBe(4);
    expect(result.meanNormalised).toBeCloseTo(0.5, 12);
    expect(result.meanStars).toBeCloseTo(3, 12);
    expect(result.distribution.map((d) => d.count)).toEqual([2, 0, 0, 0, 2]);
    expect(result.answeredShare).toBe(75);
    expect(result.medianReplyHours).toBe(4);
  });

  it.each([
    [0, true],
    [49, true],
    [50, false],
  ])('flags %d reviews as a low sample: %s', (count, low) => {
    const review = { rating: 4, scale: { min: 1, max: 5 }, answered: false, replyHours: null };
    expect(reviewRatings(Array.from({ length: count }, () => review)).lowSample).toBe(low);
  });

  it('is empty without reviews', () => {
    expect(reviewRatings([])).toMatchObject({ count: 0, meanNormalised: null, answeredShare: null, medianReplyHours: null });
  });
});
