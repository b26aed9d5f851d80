import { describe, expect, it } from 'vitest';
import { detectLanguage, normaliseLanguage } from './review-language.js';

describe('detectLanguage', () => {
  it.each([
    ['Snel geleverd en de klantenservice dacht goed met me mee. Zeker een aanrader!', 'nl'],
    ['Fast delivery and the support team really thought along with me. Recommended!', 'en'],
    ['Schnelle Lieferung und der Kundendienst hat sehr gut mitgedacht. Empfehlenswert!', 'de'],
    ['Top!', null],
    ['', null],
    [null, null],
  ])('%s -> %s', (text, expected) => {
    expect(detectLanguage(text)).toBe(expected);
  });
});

describe('normaliseLanguage', () => {
  it.each([
    ['nl-NL', 'nl'],
    ['EN', 'en'],
    ['en_GB', 'en'],
    ['nld', 'nl'],
    ['xx-unknown-long', 'xx'],
    ['???', null],
    [null, null],
  ])('%s -> %s', (value, expected) => {
    expect(normaliseLanguage(value)).toBe(expected);
  });
});
