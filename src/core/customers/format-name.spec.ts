import { describe, expect, it } from 'vitest';
import { formatFullName } from './format-name.js';

describe('formatFullName', () => {
  it.each([
    [{ firstName: 'Jan', infix: 'van der', lastName: 'Berg' }, 'Jan van der Berg'],
    [{ firstName: 'Jan', infix: null, lastName: 'Jansen' }, 'Jan Jansen'],
    [{ firstName: null, infix: 'de', lastName: 'Vries' }, 'de Vries'],
    [{ firstName: ' Eva ', infix: '', lastName: null }, 'Eva'],
    [{ firstName: null, infix: null, lastName: null }, null],
  ])('%j -> %s', (input, expected) => {
    expect(formatFullName(input)).toBe(expected);
  });
});
