import type { QuestionInput } from './survey.input.js';

/** The standard question of each survey kind, in every built-in language. */
export const DEFAULT_QUESTIONS: Record<'NPS' | 'CSAT' | 'CES', QuestionInput> = {
  NPS: {
    type: 'NPS',
    required: true,
    texts: [
      { locale: 'nl', text: 'Hoe waarschijnlijk is het dat u ons aanbeveelt bij vrienden of collega’s?', lowLabel: 'Zeer onwaarschijnlijk', highLabel: 'Zeer waarschijnlijk' },
      { locale: 'en', text: 'How likely are you to recommend us to a friend or colleague?', lowLabel: 'Not at all likely', highLabel: 'Extremely likely' },
      { locale: 'de', text: 'Wie wahrscheinlich ist es, dass Sie uns Freunden oder Kollegen empfehlen?', lowLabel: 'Sehr unwahrscheinlich', highLabel: 'Sehr wahrscheinlich' },
      { locale: 'fr', text: 'Quelle est la probabilité que vous nous recommandiez à un ami ou un collègue ?', lowLabel: 'Pas du tout probable', highLabel: 'Très probable' },
    ],
  },
  CSAT: {
    type: 'CSAT',
    required: true,
    texts: [
      { locale: 'nl', text: 'Hoe tevreden bent u over {subject}?', lowLabel: 'Zeer ontevreden', highLabel: 'Zeer tevreden' },
      { locale: 'en', text: 'How satisfied are you with {subject}?', lowLabel: 'Very dissatisfied', highLabel: 'Very satisfied' },
      { locale: 'de', text: 'Wie zufrieden sind Sie mit {subject}?', lowLabel: 'Sehr unzufrieden', highLabel: 'Sehr zufrieden' },
      { locale: 'fr', text: 'Quel est votre degré de satisfaction concernant {subject} ?', lowLabel: 'Très insatisfait', highLabel: 'Très satisfait' },
    ],
  },
  CES: {
    type: 'CES',
    required: true,
    texts: [
      { locale: 'nl', text: 'Het was gemakkelijk om mijn vraag geregeld te krijgen.', lowLabel: 'Helemaal oneens', highLabel: 'Helemaal eens' },
      { locale: 'en', text: 'It was easy to get my issue handled.', lowLabel: 'Strongly disagree', highLabel: 'Strongly agree' },
      { locale: 'de', text: 'Es war einfach, mein Anliegen erledigt zu bekommen.', lowLabel: 'Stimme überhaupt nicht zu', highLabel: 'Stimme voll und ganz zu' },
      { locale: 'fr', text: 'Il a été facile de faire traiter ma demande.', lowLabel: 'Pas du tout d’accord', highLabel: 'Tout à fait d’accord' },
    ],
  },
};
