import type { QuestionInput } from './survey.input.js';

/** The standard question of each survey kind, in Dutch and English. */
export const DEFAULT_QUESTIONS: Record<'NPS' | 'CSAT' | 'CES', QuestionInput> = {
  NPS: {
    type: 'NPS',
    required: true,
    texts: [
      { locale: 'nl', text: 'Hoe waarschijnlijk is het dat u ons aanbeveelt bij vrienden of collega’s?', lowLabel: 'Zeer onwaarschijnlijk', highLabel: 'Zeer waarschijnlijk' },
      { locale: 'en', text: 'How likely are you to recommend us to a friend or colleague?', lowLabel: 'Not at all likely', highLabel: 'Extremely likely' },
    ],
  },
  CSAT: {
    type: 'CSAT',
    required: true,
    texts: [
      { locale: 'nl', text: 'Hoe tevreden bent u over {subject}?', lowLabel: 'Zeer ontevreden', highLabel: 'Zeer tevreden' },
      { locale: 'en', text: 'How satisfied are you with {subject}?', lowLabel: 'Very dissatisfied', highLabel: 'Very satisfied' },
    ],
  },
  CES: {
    type: 'CES',
    required: true,
    texts: [
      { locale: 'nl', text: 'Het was gemakkelijk om mijn vraag geregeld te krijgen.', lowLabel: 'Helemaal oneens', highLabel: 'Helemaal eens' },
      { locale: 'en', text: 'It was easy to get my issue handled.', lowLabel: 'Strongly disagree', highLabel: 'Strongly agree' },
    ],
  },
};
