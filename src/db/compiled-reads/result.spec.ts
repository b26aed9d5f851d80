import { describe, expect, it } from 'vitest';
import { Prisma } from '../../generated/prisma/client.js';
import { decimalText } from './result.js';

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
