import { describe, expect, it } from 'vitest';
import { scaleAnchors } from './scale-anchors.js';

describe('scaleAnchors', () => {
  it.each([
    ['nl', 'CSAT', null, { low: 'Zeer ontevreden', high: 'Zeer tevreden' }],
    ['nl', 'CES', { lowLabel: null, highLabel: null }, { low: 'Helemaal mee oneens', high: 'Helemaal mee eens' }],
    ['en', 'NPS', null, { low: 'Not at all likely', high: 'Extremely likely' }],
    ['de', 'CES', null, { low: 'Stimme überhaupt nicht zu', high: 'Stimme voll und ganz zu' }],
    ['fr-BE', 'CSAT', null, { low: 'Très insatisfait', high: 'Très satisfait' }],
    ['nl', 'CSAT', { lowLabel: 'Slecht', highLabel: 'Top' }, { low: 'Slecht', high: 'Top' }],
    ['en', 'RATING', null, { low: null, high: null }],
    ['en', 'RATING', { lowLabel: 'Poor', highLabel: null }, { low: 'Poor', high: null }],
  ] as const)('%s %s %o', (locale, type, own, expected) => {
    expect(scaleAnchors(type, own, locale)).toEqual(expected);
  });
});
