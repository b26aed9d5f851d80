/** Locales a survey can be answered in: those of its texts and of its questions' texts. */
export function surveyLocales(surveyTexts: unknown, questionTexts: unknown[]): string[] {
  const locales = new Set<string>();
  for (const texts of [surveyTexts, ...questionTexts]) {
    if (texts && typeof texts === 'object') for (const locale of Object.keys(texts)) locales.add(locale);
  }
  return [...locales];
}

/** Locales of a survey from its texts plus locale codes already listed (e.g. gathered in SQL). */
export function surveyLocalesWith(surveyTexts: unknown, moreLocales: readonly string[]): string[] {
  return [...new Set([...surveyLocales(surveyTexts, []), ...moreLocales])];
}
