import { builder } from '../builder.js';

/** A label in one locale. */
export const LocalizedTextRef = builder.objectRef<{ locale: string; text: string }>('LocalizedText').implement({
  fields: (t) => ({ locale: t.exposeString('locale'), text: t.exposeString('text') }),
});

export const LocalizedTextInput = builder.inputType('LocalizedTextInput', {
  fields: (t) => ({ locale: t.string({ required: true }), text: t.string({ required: true }) }),
});

/** Turns a { locale: value } record into a list sorted by locale. */
export function byLocale<T>(record: unknown): Array<{ locale: string } & T> {
  return Object.entries((record ?? {}) as Record<string, T>)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([locale, value]) => ({ locale, ...value }));
}
