type Salutation = 'MR' | 'MS' | 'MX' | 'NONE';

export interface SalutationCustomer {
  firstName: string | null;
  infix: string | null;
  lastName: string | null;
  salutation: Salutation;
}

const WORDS = {
  nl: { greeting: 'Beste', MR: 'meneer', MS: 'mevrouw', fallback: 'klant' },
  en: { greeting: 'Dear', MR: 'Mr', MS: 'Ms', fallback: 'customer' },
} as const;

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
  const words = locale.startsWith('nl') ? WORDS.nl : WORDS.en;
  const firstName = clean(customer.firstName);
  const lastName = clean(customer.lastName);
  if ((customer.salutation === 'MR' || customer.salutation === 'MS') && lastName) {
    return `${words.greeting} ${words[customer.salutation]} ${surnameWithoutFirstName(customer.infix, lastName)}`;
  }
  if (firstName && lastName) {
    const infix = clean(customer.infix);
    return `${words.greeting} ${[firstName, infix?.toLowerCase(), lastName].filter(Boolean).join(' ')}`;
  }
  if (firstName) return `${words.greeting} ${firstName}`;
  if (lastName) return `${words.greeting} ${surnameWithoutFirstName(customer.infix, lastName)}`;
  return `${words.greeting} ${words.fallback}`;
}
