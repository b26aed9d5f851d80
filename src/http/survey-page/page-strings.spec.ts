import { describe, expect, it } from 'vitest';
import { pageStrings, problemText } from './page-strings.js';

describe('problemText', () => {
  it.each([
    ['nl', ['input', 'answers', '0', 'score'], 'is required for this question', 'Kies een score.'],
    ['nl', ['input', 'answers', '0', 'choices'], 'pick at least one option', 'Kies ten minste één antwoord.'],
    ['nl', ['input', 'answers', '0', 'choices'], 'pick exactly one option', 'Kies één antwoord.'],
    ['nl', ['input', 'answers', '0', 'text'], 'must be at most 5000 characters', 'Uw antwoord is te lang.'],
    ['nl', ['input', 'answers'], 'question 2 is required before the response can be completed', 'Vraag 2 is verplicht.'],
    ['en', ['input', 'answers', '0', 'choices'], 'pick at least one option', 'Please pick at least one answer.'],
    ['en', ['input', 'answers', '0', 'questionId'], 'is not a question of this survey', 'Please check your answer.'],
    ['de', ['input', 'answers', '0', 'choices'], 'pick at least one option', 'Bitte wählen Sie mindestens eine Antwort.'],
    ['de-CH', ['input', 'answers'], 'question 3 is required before the response can be completed', 'Frage 3 muss beantwortet werden.'],
    ['fr-BE', ['input', 'answers', '0', 'score'], 'is required for this question', 'Choisissez une note.'],
    ['es', ['input', 'answers', '0', 'score'], 'is required for this question', 'Please choose a score.'],
  ])('%s %j %s', (locale, path, message, expected) => {
    expect(problemText(pageStrings(locale), { path, message })).toBe(expected);
  });
});
