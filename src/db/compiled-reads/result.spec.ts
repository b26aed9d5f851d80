import { describe, expect, it } from 'vitest';
import { Prisma } from '../../generated/prisma/client.js';
import { decimalText, isoInstant } from './result.js';

describe('decimalText', () => {
  it.each([
    '129.90',
    '129.95',
    '10.00',
    '0.00',
    '0',
    '0.05',
    '-0.50',
    '-12.30',
    '1000',
    '100.000',
    '0.0000010',
    '0.00000010',
    '0.000000001',
    '123456789012345678901',
    '1234567890123456789012',
    '1234567890123456789012.5',
    '99999999999999999999.99',
    '-0.0000001',
  ])('%s is written as Prisma.Decimal writes it', (text) => {
    expect(decimalText(text)).toBe(new Prisma.Decimal(text).toString());
  });
});

describe('isoInstant', () => {
  it.each([
    '2025-03-03T00:00:00+00:00',
    '2025-03-03T10:20:30.1+00:00',
    '2025-03-03T10:20:30.12+00:00',
    '2025-03-03T10:20:30.123+00:00',
    '2025-03-03T10:20:30.123Z',
    '2025-03-03T10:20:30.123+01:00',
    '2025-03-03T23:59:59.999-05:30',
    '0044-03-15T12:00:00+00:00',
  ])('%s is written as its Date would be', (text) => {
    expect(isoInstant(text)).toBe(new Date(text).toISOString());
  });

  it('a Date passes through toISOString; an invalid instant throws', () => {
    expect(isoInstant(new Date(Date.UTC(2024, 1, 29, 8)))).toBe('2024-02-29T08:00:00.000Z');
    expect(() => isoInstant('not a date')).toThrow(RangeError);
  });
});
