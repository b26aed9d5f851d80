import type { FieldIssue } from '../errors.js';

export interface AnswerInput {
  questionId: string;
  score?: number | null;
  choices?: string[] | null;
  text?: string | null;
  /** The respondent dismissed the question: stored, never counted as an answer. */
  skipped?: boolean | null;
}

export interface QuestionRule {
  id: string;
  type: string;
  scaleMin: number | null;
  scaleMax: number | null;
  options: unknown;
  required: boolean;
}

export interface CleanAnswer {
  questionId: string;
  score: number | null;
  choices: string[];
  text: string | null;
  skipped: boolean;
}

export const MAX_OPEN_TEXT = 5000;

/** Checks one answer against its question; returns the stored form or the issues, each naming the field. */
export function validateAnswer(question: QuestionRule, answer: AnswerInput, path: string[]): { answer: CleanAnswer } | { issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const at = (field: string, message: string) => issues.push({ path: [...path, field], message });
  const text = answer.text?.trim() ? answer.text.trim() : null;
  const choices = answer.choices ?? [];
  if (answer.skipped) {
    if (question.required) at('skipped', 'this question is required and cannot be skipped');
    if (answer.score != null || choices.length || text) at('skipped', 'a skipped question carries no answer');
    return issues.length ? { issues } : { answer: { questionId: question.id, score: null, choices: [], text: null, skipped: true } };
  }
  switch (question.type) {
    case 'NPS':
    case 'CSAT':
    case 'CES':
    case 'RATING': {
      const score = answer.score;
      if (score == null) at('score', 'is required for this question');
      else if (!Number.isInteger(score) || score < (question.scaleMin ?? 0) || score > (question.scaleMax ?? 10))
        at('score', `must be a whole number from ${question.scaleMin} to ${question.scaleMax}`);
      if (choices.length) at('choices', 'are only for choice questions');
      if (text) at('text', 'is only for open questions');
      break;
    }
    case 'SINGLE_CHOICE':
    case 'MULTIPLE_CHOICE': {
      const allowed = new Set((question.options as Array<{ value: string }>).map((entry) => entry.value));
      if (choices.length === 0) at('choices', 'pick at least one option');
      if (question.type === 'SINGLE_CHOICE' && choices.length > 1) at('choices', 'pick exactly one option');
      const unknown = choices.find((choice) => !allowed.has(choice));
      if (unknown !== undefined) at('choices', `"${unknown}" is not an option of this question`);
      if (new Set(choices).size !== choices.length) at('choices', 'must not repeat an option');
      if (answer.score != null) at('score', 'is only for scale questions');
      break;
    }
    case 'OPEN_TEXT':
      if (!text) at('text', 'is required for this question; skip it instead');
      else if (text.length > MAX_OPEN_TEXT) at('text', `must be at most ${MAX_OPEN_TEXT} characters`);
      if (answer.score != null) at('score', 'is only for scale questions');
      break;
  }
  if (issues.length) return { issues };
  return { answer: { questionId: question.id, score: answer.score ?? null, choices: [...choices].sort(), text, skipped: false } };
}
