import { describe, expect, it } from 'vitest';
import { defaultAnchors, pageStrings, problemText } from './page-strings.js';

describe('problemText', () => {
  it.each([
    ['nl', ['input', 'answers', '0', 'score'], 'is required for this question', 'Kies een score.'],
    ['nl', ['input', 'answers', '0', 'choices'], 'pick at least one option', 'Kies ten minste één antwoord.'],
    ['nl', ['input', 'answers', '0', 'choices'], 'pick exactly one option', 'Kies één antwoord.'],
    ['nl', ['input', 'answers', '0', 'text'], 'must be at most 5000 characters', 'Uw antwoord is te lang.'],
    ['nl', ['input', 'answers'], 'question 2 is required before the response can be completed', 'Vraag 2 is verplicht.'],
    ['en', ['input', 'answers', '0', 'choices'], 'pick at least one option', 'Please pick at least one answer.'],
    ['en', ['input', 'answers', '0', 'questionId'], 'is not a question of this survey', 'Please check your answer.'],
  ])('%s %j %s', (locale, path, message, expected) => {
    expect(problemText(pageStrings(locale), { path, message })).toBe(expected);
  });
});

describe('defaultAnchors', () => {
  it.each([
    ['nl', 'CSAT', { low: 'Zeer ontevreden', high: 'Zeer tevreden' }],
    ['nl', 'CES', { low: 'Helemaal mee oneens', high: 'Helemaal mee eens' }],
    ['en', 'NPS', { low: 'Not at all likely', high: 'Extremely likely' }],
    ['en', 'RATING', null],
  ])('%s %s', (locale, type, expected) => {
    expect(defaultAnchors(pageStrings(locale), type)).toEqual(expected);
  });
});
