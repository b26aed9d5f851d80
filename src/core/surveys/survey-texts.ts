import { intlLocale, languageOf, type Language } from '../i18n/languages.js';

/** The texts of a survey in one locale. Every field may use the placeholders in PLACEHOLDERS. */
export interface SurveyTexts {
  title: string;
  /** Why we ask: shown in the invitation and on the first page. */
  whyWeAsk: string;
  /** The concrete reason, usually naming the subject: "You bought {subject} on {date}." */
  reason: string;
  /** How long it takes: "It takes about 2 minutes." */
  duration: string;
  signature: string;
  subject: string;
  reminderSubject: string;
  buttonLabel: string;
  thankYou: string;
}

export const SURVEY_TEXT_FIELDS = ['title', 'whyWeAsk', 'reason', 'duration', 'signature', 'subject', 'reminderSubject', 'buttonLabel', 'thankYou'] as const;
export const PLACEHOLDERS = ['subject', 'date', 'firstName', 'businessUnit', 'company'] as const;
export type PlaceholderValues = Partial<Record<(typeof PLACEHOLDERS)[number], string | null>>;

/** Built-in texts, used for every field a survey leaves empty. */
export const DEFAULT_TEXTS: Record<Language, SurveyTexts> = {
  nl: {
    title: 'Hoe was uw ervaring?',
    whyWeAsk: 'Met uw antwoord maken we onze service beter.',
    reason: 'Op {date} kocht u {subject}.',
    duration: 'Het invullen duurt ongeveer 1 minuut.',
    signature: 'Met vriendelijke groet,\nhet klantenservice-team',
    subject: 'Wat vond u ervan?',
    reminderSubject: 'Nog even uw mening?',
    buttonLabel: 'Geef uw mening',
    thankYou: 'Hartelijk dank voor uw antwoorden!',
  },
  en: {
    title: 'How was your experience?',
    whyWeAsk: 'Your answer helps us improve our service.',
    reason: 'On {date} you bought {subject}.',
    duration: 'It takes about 1 minute.',
    signature: 'Kind regards,\nthe customer service team',
    subject: 'How did we do?',
    reminderSubject: 'A moment for your opinion?',
    buttonLabel: 'Give your opinion',
    thankYou: 'Thank you for your answers!',
  },
  de: {
    title: 'Wie war Ihre Erfahrung?',
    whyWeAsk: 'Mit Ihrer Antwort verbessern wir unseren Service.',
    reason: 'Am {date} haben Sie {subject} gekauft.',
    duration: 'Das Ausfüllen dauert etwa 1 Minute.',
    signature: 'Mit freundlichen Grüßen\nIhr Kundenservice-Team',
    subject: 'Wie waren Sie zufrieden?',
    reminderSubject: 'Noch kurz Ihre Meinung?',
    buttonLabel: 'Meinung abgeben',
    thankYou: 'Vielen Dank für Ihre Antworten!',
  },
  fr: {
    title: 'Comment s’est passée votre expérience ?',
    whyWeAsk: 'Votre réponse nous aide à améliorer notre service.',
    reason: 'Le {date}, vous avez acheté {subject}.',
    duration: 'Cela prend environ 1 minute.',
    signature: 'Cordialement,\nl’équipe du service client',
    subject: 'Qu’en avez-vous pensé ?',
    reminderSubject: 'Un instant pour votre avis ?',
    buttonLabel: 'Donner mon avis',
    thankYou: 'Merci beaucoup pour vos réponses !',
  },
};

const GENERIC_REASON: Record<Language, string> = { nl: 'U bent klant bij ons.', en: 'You are a customer of ours.', de: 'Sie sind Kunde bei uns.', fr: 'Vous êtes client chez nous.' };

/**
 * The locale to address a customer in: their own when the survey has texts for it (exact, then
 * language only), else the survey's fallback locale.
 */
export function resolveLocale(customerLocale: string | null | undefined, available: readonly string[], fallback: string): string {
  if (customerLocale) {
    if (available.includes(customerLocale)) return customerLocale;
    const language = customerLocale.split('-')[0]!;
    if (available.includes(language)) return language;
    const sameLanguage = available.find((locale) => locale.split('-')[0] === language);
    if (sameLanguage) return sameLanguage;
  }
  return fallback;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** Names used in a template that are not known placeholders. */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!).filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
}

/** Fills the placeholders; null when one of them has no value (the caller then uses a generic text). */
export function fillPlaceholders(template: string, values: PlaceholderValues): string | null {
  let missing = false;
  const filled = template.replace(PLACEHOLDER, (_all, name: string) => {
    const value = values[name as keyof PlaceholderValues];
    if (value === null || value === undefined || value === '') {
      missing = true;
      return '';
    }
    return value;
  });
  return missing ? null : filled;
}

/**
 * The texts for one locale: the survey's own in that locale (or its language), then the built-in
 * defaults of that language. The fallback locale's own texts are used only when they are in the same
 * language: a German page never mixes in the Dutch title.
 */
export function textsFor(surveyTexts: Record<string, Partial<SurveyTexts>>, locale: string, fallbackLocale: string): SurveyTexts {
  const language = languageOf(locale);
  const own = surveyTexts[locale] ?? surveyTexts[locale.split('-')[0]!] ?? (languageOf(fallbackLocale) === language ? surveyTexts[fallbackLocale] : undefined) ?? {};
  const merged = { ...DEFAULT_TEXTS[language] };
  for (const field of SURVEY_TEXT_FIELDS) {
    const value = own[field];
    if (typeof value === 'string' && value.trim()) merged[field] = value;
  }
  return merged;
}

/** Every text with its placeholders filled; a reason that cannot be filled becomes a generic one. */
export function renderTexts(texts: SurveyTexts, values: PlaceholderValues, locale: string): SurveyTexts {
  const language = languageOf(locale);
  const out = { ...texts };
  for (const field of SURVEY_TEXT_FIELDS) {
    const filled = fillPlaceholders(texts[field], values);
    out[field] =
      filled ??
      (field === 'reason'
        ? GENERIC_REASON[language]
        : texts[field]
            .replace(PLACEHOLDER, '')
            .replace(/\s{2,}/g, ' ')
            .trim());
  }
  return out;
}

const SUBJECT_FALLBACK: Record<Language, string> = { nl: 'ons', en: 'us', de: 'uns', fr: 'nous' };

/**
 * A question's text with its placeholders filled. It must stay a question: an unknown {subject}
 * becomes "us" ("How satisfied are you with us?"), any other unknown placeholder is left out.
 */
export function fillQuestionText(template: string, values: PlaceholderValues, locale: string): string {
  return template
    .replace(PLACEHOLDER, (_all, name: string) => values[name as keyof PlaceholderValues] || (name === 'subject' ? SUBJECT_FALLBACK[languageOf(locale)] : ''))
    .replace(/\s{2,}/g, ' ')
    .replace(/\s+([?.!,])$/u, (match, mark: string) => (languageOf(locale) === 'fr' && mark === '?' ? ` ${mark}` : mark));
}

/** "11 januari 2026" / "11 January 2026" / "11. Januar 2026" in the workspace's time zone. */
export function formatDate(date: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(date);
}
