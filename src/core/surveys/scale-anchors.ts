import { wordsFor, type Language } from '../i18n/languages.js';

type AnchoredType = 'NPS' | 'CSAT' | 'CES';

/** The ends of the standard scales, per language: a bare 1 or 7 says nothing. */
const DEFAULT_ANCHORS: Record<Language, Record<AnchoredType, readonly [string, string]>> = {
  nl: {
    NPS: ['Zeer onwaarschijnlijk', 'Zeer waarschijnlijk'],
    CSAT: ['Zeer ontevreden', 'Zeer tevreden'],
    CES: ['Helemaal mee oneens', 'Helemaal mee eens'],
  },
  en: {
    NPS: ['Not at all likely', 'Extremely likely'],
    CSAT: ['Very dissatisfied', 'Very satisfied'],
    CES: ['Strongly disagree', 'Strongly agree'],
  },
  de: {
    NPS: ['Sehr unwahrscheinlich', 'Sehr wahrscheinlich'],
    CSAT: ['Sehr unzufrieden', 'Sehr zufrieden'],
    CES: ['Stimme überhaupt nicht zu', 'Stimme voll und ganz zu'],
  },
  fr: {
    NPS: ['Pas du tout probable', 'Très probable'],
    CSAT: ['Très insatisfait', 'Très satisfait'],
    CES: ['Pas du tout d’accord', 'Tout à fait d’accord'],
  },
};

/** The labels under the ends of a scale: the question's own, else the standard ones of its type. */
export function scaleAnchors(type: string, own: { lowLabel?: string | null; highLabel?: string | null } | null, locale: string): { low: string | null; high: string | null } {
  const standard = (wordsFor(DEFAULT_ANCHORS, locale) as Record<string, readonly [string, string] | undefined>)[type];
  return { low: own?.lowLabel || standard?.[0] || null, high: own?.highLabel || standard?.[1] || null };
}
