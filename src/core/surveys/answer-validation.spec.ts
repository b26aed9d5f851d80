import { describe, expect, it } from 'vitest';
import { validateAnswer, type QuestionRule } from './answer-validation.js';

const q = (type: string, extra: Partial<QuestionRule> = {}): QuestionRule => ({
  id: 'q1',
  type,
  scaleMin: type === 'NPS' ? 0 : type === 'CSAT' ? 1 : type === 'CES' ? 1 : null,
  scaleMax: type === 'NPS' ? 10 : type === 'CSAT' ? 5 : type === 'CES' ? 7 : null,
  options: [{ value: 'price' }, { value: 'speed' }, { value: 'service' }],
  required: false,
  ...extra,
});

describe('validateAnswer', () => {
  it.each<[string, QuestionRule, Record<string, unknown>, string | null]>([
    ['NPS 0', q('NPS'), { score: 0 }, null],
    ['NPS 10', q('NPS'), { score: 10 }, null],
    ['NPS 11', q('NPS'), { score: 11 }, 'score'],
    ['NPS -1', q('NPS'), { score: -1 }, 'score'],
    ['NPS 7.5', q('NPS'), { score: 7.5 }, 'score'],
    ['NPS missing', q('NPS'), {}, 'score'],
    ['CSAT 0', q('CSAT'), { score: 0 }, 'score'],
    ['CSAT 5', q('CSAT'), { score: 5 }, null],
    ['CES 7', q('CES'), { score: 7 }, null],
    ['CES 8', q('CES'), { score: 8 }, 'score'],
    ['rating 3 of 1-4', q('RATING', { scaleMin: 1, scaleMax: 4 }), { score: 3 }, null],
    ['rating 5 of 1-4', q('RATING', { scaleMin: 1, scaleMax: 4 }), { score: 5 }, 'score'],
    ['score with text', q('NPS'), { score: 9, text: 'great' }, 'text'],
    ['single choice', q('SINGLE_CHOICE'), { choices: ['price'] }, null],
    ['single choice, two picked', q('SINGLE_CHOICE'), { choices: ['price', 'speed'] }, 'choices'],
    ['multiple choice', q('MULTIPLE_CHOICE'), { choices: ['price', 'speed'] }, null],
    ['unknown option', q('MULTIPLE_CHOICE'), { choices: ['colour'] }, 'choices'],
    ['repeated option', q('MULTIPLE_CHOICE'), { choices: ['price', 'price'] }, 'choices'],
    ['no option', q('SINGLE_CHOICE'), { choices: [] }, 'choices'],
    ['open text', q('OPEN_TEXT'), { text: ' Fast delivery ' }, null],
    ['open text blank', q('OPEN_TEXT'), { text: '   ' }, 'text'],
    ['open text too long', q('OPEN_TEXT'), { text: 'x'.repeat(5001) }, 'text'],
    ['skip optional', q('NPS'), { skipped: true }, null],
    ['skip required', q('NPS', { required: true }), { skipped: true }, 'skipped'],
    ['skip with a score', q('NPS'), { skipped: true, score: 3 }, 'skipped'],
  ])('%s', (_name, question, answer, field) => {
    const result = validateAnswer(question, { questionId: 'q1', ...answer }, ['input', 'answers', '0']);
    if (field === null) expect('answer' in result).toBe(true);
    else expect('issues' in result ? result.issues[0]!.path : null).toEqual(['input', 'answers', '0', field]);
  });

  it('stores open text trimmed and choices in a stable order', () => {
    expect(validateAnswer(q('OPEN_TEXT'), { questionId: 'q1', text: '  ok ' }, [])).toEqual({ answer: { questionId: 'q1', score: null, choices: [], text: 'ok', skipped: false } });
    expect(validateAnswer(q('MULTIPLE_CHOICE'), { questionId: 'q1', choices: ['speed', 'price'] }, [])).toMatchObject({ answer: { choices: ['price', 'speed'] } });
  });
});
