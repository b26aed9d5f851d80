import { describe, expect, it } from 'vitest';
import { fillPlaceholders, formatDate, renderTexts, resolveLocale, textsFor, unknownPlaceholders } from './survey-texts.js';

describe('resolveLocale', () => {
  it.each([
    ['nl-NL', ['nl', 'en'], 'en', 'nl'],
    ['nl', ['nl-BE', 'en'], 'en', 'nl-BE'],
    ['de', ['nl', 'en'], 'nl', 'nl'],
    [null, ['nl', 'en'], 'en', 'en'],
    ['en', ['nl', 'en'], 'nl', 'en'],
  ] as const)('%s in %o (fallback %s) -> %s', (customer, available, fallback, expected) => {
    expect(resolveLocale(customer, available, fallback)).toBe(expected);
  });
});

describe('placeholders', () => {
  it.each([
    ['Op {date} kocht u {subject}.', { date: '11 januari 2026', subject: 'een televisie' }, 'Op 11 januari 2026 kocht u een televisie.'],
    ['Op {date} kocht u {subject}.', { date: '11 januari 2026' }, null],
    ['Hallo', {}, 'Hallo'],
    ['{firstName}, bedankt', { firstName: '' }, null],
  ] as const)('%s', (template, values, expected) => {
    expect(fillPlaceholders(template, values)).toBe(expected);
  });

  it('names unknown placeholders', () => {
    expect(unknownPlaceholders('{subject} on {when} by {who}')).toEqual(['when', 'who']);
  });

  it('falls back to a generic reason when the subject is unknown', () => {
    const texts = renderTexts(textsFor({}, 'nl', 'nl'), { date: '1 mei 2026' }, 'nl');
    expect(texts.reason).toBe('U bent klant bij ons.');
  });

  it('uses the survey texts over the defaults, per field', () => {
    const texts = textsFor({ en: { title: 'Your TV' }, nl: { title: 'Uw tv' } }, 'en', 'nl');
    expect(texts.title).toBe('Your TV');
    expect(texts.buttonLabel).toBe('Give your opinion');
  });

  it('formats dates in the time zone and language', () => {
    expect(formatDate(new Date('2026-01-10T23:30:00Z'), 'nl', 'Europe/Amsterdam')).toBe('11 januari 2026');
    expect(formatDate(new Date('2026-01-10T23:30:00Z'), 'en', 'UTC')).toBe('10 January 2026');
  });
});
