import { describe, expect, it } from 'vitest';
import { nps } from './nps.js';

/** Counts per score 0-10 from a { score: count } map. */
const counts = (map: Record<number, number>) => Array.from({ length: 11 }, (_, score) => map[score] ?? 0);

describe('nps', () => {
  it.each<[string, Record<number, number>, number | null, number, number, number]>([
    ['domain.md example: 75 promoters, 15 detractors of 100', { 10: 75, 7: 10, 3: 15 }, 60, 75, 10, 15],
    ['no answers', {}, null, 0, 0, 0],
    ['all promoters', { 9: 4, 10: 6 }, 100, 10, 0, 0],
    ['all detractors', { 0: 3, 6: 2 }, -100, 0, 0, 5],
    ['all passives', { 7: 5, 8: 5 }, 0, 0, 10, 0],
    ['boundary 6 is a detractor', { 6: 1 }, -100, 0, 0, 1],
    ['boundary 7 is a passive', { 7: 1 }, 0, 0, 1, 0],
    ['boundary 8 is a passive, not a promoter', { 8: 1 }, 0, 0, 1, 0],
    ['boundary 9 is a promoter', { 9: 1 }, 100, 1, 0, 0],
    ['0 and 10', { 0: 1, 10: 1 }, 0, 1, 0, 1],
    ['one of three each', { 2: 1, 7: 1, 10: 1 }, 0, 1, 1, 1],
  ])('%s', (_name, map, score, promoters, passives, detractors) => {
    const result = nps(counts(map));
    if (score === null) expect(result.score).toBeNull();
    else expect(result.score).toBeCloseTo(score, 10);
    expect([result.promoters.count, result.passives.count, result.detractors.count]).toEqual([promoters, passives, detractors]);
  });

  it('reports shares and the whole distribution', () => {
    const result = nps(counts({ 10: 75, 7: 10, 3: 15 }));
    expect(result.promoters.share).toBe(75);
    expect(result.detractors.share).toBe(15);
    expect(result.passives.share).toBe(10);
    expect(result.distribution[3]).toEqual({ score: 3, count: 15, share: 15 });
    expect(result.distribution.reduce((sum, entry) => sum + entry.count, 0)).toBe(100);
  });

  it.each([
    // p = .75, d = .15, n = 100: var = .9 - .36 = .54; MoE = 1.96 * sqrt(.0054) * 100 = 14.40
    [{ 10: 75, 7: 10, 3: 15 }, 14.4028, false],
    // p = .5, d = .5, n = 400: var = 1; MoE = 1.96 * sqrt(1/400) * 100 = 9.80
    [{ 0: 200, 10: 200 }, 9.7998, false],
    // all passives: no spread, MoE 0 (but a low sample)
    [{ 7: 10 }, 0, true],
  ] as const)('margin of error %o -> %d', (map, moe, low) => {
    const result = nps(counts(map));
    expect(result.marginOfError).toBeCloseTo(moe, 3);
    expect(result.lowSample).toBe(low);
  });

  it('flags samples below 100 answers', () => {
    expect(nps(counts({ 9: 99 })).lowSample).toBe(true);
    expect(nps(counts({ 9: 100 })).lowSample).toBe(false);
  });

  it('refuses counts that are not 0-10', () => {
    expect(() => nps([1, 2, 3])).toThrow(RangeError);
  });
});
