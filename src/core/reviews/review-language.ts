import { franc } from 'franc-min';
import { iso6393To1 } from 'iso-639-3';

/**
 * The language of a review text as ISO 639-1 ("nl", "en"), or null when the text is too short or
 * too ambiguous to tell. Used only when the platform does not say.
 */
export function detectLanguage(text: string | null): string | null {
  if (!text || text.trim().length < 20) return null;
  const code = franc(text, { minLength: 20 });
  return code === 'und' ? null : (iso6393To1[code] ?? null);
}

/** "nl-NL", "NL", "dut" and friends to the two-letter code we store. */
export function normaliseLanguage(value: string | null): string | null {
  if (!value) return null;
  const primary = value.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  if (/^[a-z]{2}$/.test(primary)) return primary;
  if (/^[a-z]{3}$/.test(primary)) return iso6393To1[primary] ?? null;
  return null;
}
