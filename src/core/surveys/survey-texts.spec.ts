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

  it("never mixes the fallback locale's own texts into another language", () => {
    const texts = textsFor({ nl: { title: 'Uw tv' } }, 'de', 'nl');
    expect(texts.title).toBe('Wie war Ihre Erfahrung?');
    expect(textsFor({ nl: { title: 'Uw tv' } }, 'nl-BE', 'nl').title).toBe('Uw tv');
  });

  it.each([
    ['nl', 'Europe/Amsterdam', '11 januari 2026'],
    ['en', 'UTC', '10 January 2026'],
    ['de', 'Europe/Berlin', '11. Januar 2026'],
    ['fr-BE', 'Europe/Brussels', '11 janvier 2026'],
  ] as const)('formats dates in %s in the time zone %s: %s', (locale, zone, expected) => {
    expect(formatDate(new Date('2026-01-10T23:30:00Z'), locale, zone)).toBe(expected);
  });

  it.each(['nl', 'en', 'de', 'fr'] as const)('has every built-in text in %s', (locale) => {
    const texts = textsFor({}, locale, 'nl');
    for (const value of Object.values(texts)) expect(value.trim()).not.toBe('');
    expect(renderTexts(texts, {}, locale).reason).not.toMatch(/[{}]/);
  });
});
