import { describe, expect, it } from 'vitest';
import { bucketStart, bucketStarts } from './buckets.js';

describe('buckets', () => {
  it.each([
    ['2026-03-18', 'DAY', '2026-03-18'],
    ['2026-03-18', 'WEEK', '2026-03-16'],
    ['2026-03-16', 'WEEK', '2026-03-16'],
    ['2026-03-22', 'WEEK', '2026-03-16'],
    ['2026-01-01', 'WEEK', '2025-12-29'],
    ['2026-03-18', 'MONTH', '2026-03-01'],
    ['2026-03-18', 'QUARTER', '2026-01-01'],
    ['2026-11-30', 'QUARTER', '2026-10-01'],
    ['2026-03-18', 'YEAR', '2026-01-01'],
  ] as const)('%s in a %s starts %s', (day, bucket, start) => {
    expect(bucketStart(day, bucket)).toBe(start);
  });

  it('lists every bucket of a range, without gaps', () => {
    expect(bucketStarts('2026-01-15', '2026-04-01', 'MONTH')).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
    expect(bucketStarts('2025-12-30', '2026-01-06', 'WEEK')).toEqual(['2025-12-29', '2026-01-05']);
    expect(bucketStarts('2024-01-01', '2027-01-01', 'YEAR')).toEqual(['2024-01-01', '2025-01-01', '2026-01-01']);
    expect(bucketStarts('2026-02-27', '2026-03-02', 'DAY')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});
