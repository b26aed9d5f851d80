import { describe, expect, it } from 'vitest';
import { salutationLine } from './salutation.js';

const base = { firstName: null, infix: null, lastName: null, salutation: 'NONE' as const };

describe('salutationLine', () => {
  it.each([
    ['nl', { salutation: 'MS', firstName: 'Anna', infix: 'de', lastName: 'Vries' }, 'Beste mevrouw De Vries'],
    ['en', { salutation: 'MS', firstName: 'Anna', infix: 'de', lastName: 'Vries' }, 'Dear Ms De Vries'],
    ['nl', { salutation: 'MR', firstName: 'Jan', infix: 'van der', lastName: 'Berg' }, 'Beste meneer Van der Berg'],
    ['nl', { salutation: 'MR', lastName: 'Jansen' }, 'Beste meneer Jansen'],
    ['nl', { salutation: 'MX', firstName: 'Sam', infix: 'de', lastName: 'Boer' }, 'Beste Sam de Boer'],
    ['nl', { salutation: 'NONE', firstName: 'Sam', infix: 'De', lastName: 'Boer' }, 'Beste Sam de Boer'],
    ['en', { salutation: 'NONE', firstName: 'Sam' }, 'Dear Sam'],
    ['nl', { salutation: 'NONE', infix: 'van', lastName: 'Dijk' }, 'Beste Van Dijk'],
    ['nl', { salutation: 'MS', firstName: 'Anna' }, 'Beste Anna'],
    ['nl', {}, 'Beste klant'],
    ['en', { firstName: '  ' }, 'Dear customer'],
    ['nl-BE', { salutation: 'MS', lastName: 'Peeters' }, 'Beste mevrouw Peeters'],
    ['de', { salutation: 'MR', lastName: 'Schmidt' }, 'Sehr geehrter Herr Schmidt'],
    ['de-AT', { salutation: 'MS', infix: 'von', lastName: 'Berg' }, 'Sehr geehrte Frau Von Berg'],
    ['de', { firstName: 'Lena' }, 'Guten Tag Lena'],
    ['fr-BE', { salutation: 'MS', lastName: 'Dubois' }, 'Bonjour Madame Dubois'],
    ['fr', {}, 'Bonjour'],
    ['es', { salutation: 'MR', lastName: 'García' }, 'Dear Mr García'],
  ] as const)('%s %o -> %s', (locale, customer, expected) => {
    expect(salutationLine({ ...base, ...customer }, locale)).toBe(expected);
  });
});
