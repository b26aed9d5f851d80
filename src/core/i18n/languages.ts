/**
 * The languages every built-in text (survey page, widget, mails, default questions) exists in.
 * A locale of another language falls back to English.
 */
export const LANGUAGES = ['nl', 'en', 'de', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

const INTL_LOCALES: Record<Language, string> = { nl: 'nl-NL', en: 'en-GB', de: 'de-DE', fr: 'fr-FR' };

/** The built-in language for a locale: "nl-BE" is Dutch, "fr-BE" French, "es" English. */
export function languageOf(locale: string | null | undefined): Language {
  const language = (locale ?? '').split('-')[0]!.toLowerCase();
  return (LANGUAGES as readonly string[]).includes(language) ? (language as Language) : 'en';
}

/** A full locale for Intl formatting in a language (dates: "11 januari 2026", "11. Januar 2026"). */
export function intlLocale(locale: string | null | undefined): string {
  return INTL_LOCALES[languageOf(locale)];
}

/** Picks the words of a locale's language from a table that has all four. */
export function wordsFor<T>(table: Record<Language, T>, locale: string | null | undefined): T {
  return table[languageOf(locale)];
}
