import { describe, expect, it } from 'vitest';
import { csvRecordStream, parseCsvRecords } from './csv-records.js';

describe('parseCsvRecords', () => {
  it.each([
    ['externalId,firstName\nc1,Jan\n', [{ externalId: 'c1', firstName: 'Jan' }]],
    ['externalId,firstName\nc1,\n', [{ externalId: 'c1' }]],
    ['externalId,devices\nc1,ios|android\n', [{ externalId: 'c1', devices: ['ios', 'android'] }]],
    [
      'externalId,consentEmail\nc1,yes\nc2,0\n',
      [
        { externalId: 'c1', consentEmail: true },
        { externalId: 'c2', consentEmail: false },
      ],
    ],
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

describe('csvRecordStream', () => {
  it('reads the same records and lines as parseCsvRecords, from a stream in small chunks', async () => {
    const csv = 'externalId,devices,attributes.tier\nc1,ios|android,gold\n\nc2,,silver\n';
    const { Readable } = await import('node:stream');
    const chunks = csv.match(/.{1,5}/gs)!;
    const read: Array<{ record: Record<string, unknown>; line: number }> = [];
    for await (const row of csvRecordStream(Readable.from(chunks))) read.push(row);
    const whole = parseCsvRecords(csv);
    expect(read.map((row) => row.record)).toEqual(whole.records);
    expect(read.map((row) => row.line)).toEqual(whole.lines);
  });
});
