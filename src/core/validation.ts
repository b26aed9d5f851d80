import { z } from 'zod';
import { ValidationError } from './errors.js';

/** Field schemas shared by every input that carries them. */
export const text = (max = 200) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
export const externalId = text(200);
export const uuid = z.uuid({ message: 'must be an id' });
export const timestamp = z.union([z.date(), z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset' })]).transform((value) => new Date(value));
export const jsonObject = z.record(z.string(), z.json());
export const locale = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a locale such as nl or nl-NL');
export const ianaTimeZone = z.string().refine((zone) => Intl.supportedValuesOf('timeZone').includes(zone) || zone === 'UTC', {
  message: 'must be an IANA time zone such as Europe/Amsterdam',
});
export const countryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as NL');
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');
/** Money as a decimal string or number with at most 2 decimals, kept exact as a string. */
export const money = z
  .union([z.string(), z.number()])
  .transform((value) => (typeof value === 'number' ? String(value) : value.trim()))
  .refine((value) => /^-?\d{1,12}(\.\d{1,2})?$/.test(value), 'must be an amount with at most 2 decimals');

/** Parses with zod; on failure throws a ValidationError whose paths start with `prefix`. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix: string[] = ['input']): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw ValidationError.fromZod(result.error, prefix);
  return result.data;
}
