import { describe, expect, it } from 'vitest';
import { NPS_GROUPS, npsGroupOf, npsGroupSql } from './score-groups.js';

describe('NPS groups', () => {
  it.each([
    [0, 'DETRACTORS'],
    [6, 'DETRACTORS'],
    [7, 'PASSIVES'],
    [8, 'PASSIVES'],
    [9, 'PROMOTERS'],
    [10, 'PROMOTERS'],
  ])('%i is one of the %s', (score, group) => {
    expect(npsGroupOf(score)).toBe(group);
    expect(score).toBeGreaterThanOrEqual(NPS_GROUPS[group as keyof typeof NPS_GROUPS].min);
    expect(score).toBeLessThanOrEqual(NPS_GROUPS[group as keyof typeof NPS_GROUPS].max);
  });

  it('covers 0 to 10 without gaps or overlaps', () => {
    const covered = Object.values(NPS_GROUPS).flatMap(({ min, max }) => Array.from({ length: max - min + 1 }, (_, i) => min + i));
    expect(covered.sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i));
  });

  it('writes the same rule as SQL', () => {
    expect(npsGroupSql('a.score')).toBe("CASE WHEN a.score >= 9 THEN 'PROMOTERS' WHEN a.score >= 7 THEN 'PASSIVES' ELSE 'DETRACTORS' END");
  });
});
