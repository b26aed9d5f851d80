import { wordsFor, type Language } from '../i18n/languages.js';

type Salutation = 'MR' | 'MS' | 'MX' | 'NONE';

export interface SalutationCustomer {
  firstName: string | null;
  infix: string | null;
  lastName: string | null;
  salutation: Salutation;
}

interface SalutationWords {
  /** "Beste mevrouw De Vries", "Sehr geehrte Frau De Vries", "Bonjour Madame De Vries". */
  titled: Record<'MR' | 'MS', (surname: string) => string>;
  /** "Beste Anna de Vries", "Guten Tag Anna de Vries". */
  named(name: string): string;
  /** No name known. */
  fallback: string;
}

const WORDS: Record<Language, SalutationWords> = {
  nl: { titled: { MR: (s) => `Beste meneer ${s}`, MS: (s) => `Beste mevrouw ${s}` }, named: (n) => `Beste ${n}`, fallback: 'Beste klant' },
  en: { titled: { MR: (s) => `Dear Mr ${s}`, MS: (s) => `Dear Ms ${s}` }, named: (n) => `Dear ${n}`, fallback: 'Dear customer' },
  de: { titled: { MR: (s) => `Sehr geehrter Herr ${s}`, MS: (s) => `Sehr geehrte Frau ${s}` }, named: (n) => `Guten Tag ${n}`, fallback: 'Guten Tag' },
  fr: { titled: { MR: (s) => `Bonjour Monsieur ${s}`, MS: (s) => `Bonjour Madame ${s}` }, named: (n) => `Bonjour ${n}`, fallback: 'Bonjour' },
};

const clean = (value: string | null) => value?.trim() || null;

/**
 * Dutch name rule: an infix is written with a capital when no first name or initial precedes it
 * ("mevrouw De Vries") and in lower case after a first name ("Anna de Vries").
 */
export function surnameWithoutFirstName(infix: string | null, lastName: string): string {
  const cleaned = clean(infix);
  if (!cleaned) return lastName;
  return `${cleaned.charAt(0).toUpperCase()}${cleaned.slice(1)} ${lastName}`;
}

/** "Beste mevrouw De Vries", "Dear Jan de Vries", "Beste klant": the opening line of an invitation. */
export function salutationLine(customer: SalutationCustomer, locale: string): string {
  const words = wordsFor(WORDS, locale);
  const firstName = clean(customer.firstName);
  const lastName = clean(customer.lastName);
  if ((customer.salutation === 'MR' || customer.salutation === 'MS') && lastName) {
    return words.titled[customer.salutation](surnameWithoutFirstName(customer.infix, lastName));
  }
  if (firstName && lastName) {
    const infix = clean(customer.infix);
    return words.named([firstName, infix?.toLowerCase(), lastName].filter(Boolean).join(' '));
  }
  if (firstName) return words.named(firstName);
  if (lastName) return words.named(surnameWithoutFirstName(customer.infix, lastName));
  return words.fallback;
}
