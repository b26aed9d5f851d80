import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from './csv-records.js';

describe('parseCsvRecords', () => {
  it.each([
    ['externalId,firstName\nc1,Jan\n', [{ externalId: 'c1', firstName: 'Jan' }]],
    ['externalId,firstName\nc1,\n', [{ externalId: 'c1' }]],
    ['externalId,devices\nc1,ios|android\n', [{ externalId: 'c1', devices: ['ios', 'android'] }]],
    ['externalId,consentEmail\nc1,yes\nc2,0\n', [{ externalId: 'c1', consentEmail: true }, { externalId: 'c2', consentEmail: false }]],
    ['externalId,attributes.tier\nc1,gold\n', [{ externalId: 'c1', attributes: { tier: 'gold' } }]],
    ['externalId,lines\no1,"[{""name"":""TV"",""quantity"":1,""unitPrice"":""499.00""}]"\n', [{ externalId: 'o1', lines: [{ name: 'TV', quantity: 1, unitPrice: '499.00' }] }]],
  ])('%j', (csv, expected) => {
    expect(parseCsvRecords(csv).records).toEqual(expected);
  });

  it('reports the line each record came from', () => {
    const { lines } = parseCsvRecords('externalId\nc1\n\nc2\n');
    expect(lines).toEqual([2, 4]);
  });
});
