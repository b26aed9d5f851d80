import { describe, expect, it } from 'vitest';
import { historicalCsv, zonedTimeToUtc } from './historical-csv.js';

describe('zonedTimeToUtc', () => {
  it.each([
    ['2026-03-11 00:30:00', 'Europe/Amsterdam', '2026-03-10T23:30:00.000Z'],
    ['2026-07-01 12:00', 'Europe/Amsterdam', '2026-07-01T10:00:00.000Z'],
    ['2026-07-01T12:00:00', 'UTC', '2026-07-01T12:00:00.000Z'],
    ['2026-01-15 08:00:00', 'America/New_York', '2026-01-15T13:00:00.000Z'],
    // The hour that repeats when summer time ends: the first of the two.
    ['2026-10-25 02:30:00', 'Europe/Amsterdam', '2026-10-25T00:30:00.000Z'],
    // The hour that does not exist when summer time starts: read as winter time.
    ['2026-03-29 02:30:00', 'Europe/Amsterdam', '2026-03-29T01:30:00.000Z'],
  ])('%s in %s', (local, zone, expected) => {
    expect(zonedTimeToUtc(local, zone)?.toISOString()).toBe(expected);
  });

  it('refuses what is not a wall-clock time', () => {
    expect(zonedTimeToUtc('yesterday', 'UTC')).toBeNull();
  });
});

describe('historicalCsv', () => {
  const questions = [
    { id: 'q-nps', position: 0, type: 'NPS' },
    { id: 'q-choice', position: 1, type: 'MULTIPLE_CHOICE' },
    { id: 'q-open', position: 2, type: 'OPEN_TEXT' },
  ];

  it('reads the headers of a response export', () => {
    const csv = historicalCsv(
      ['response id', 'survey', 'started (Europe/Amsterdam)', 'completed (Europe/Amsterdam)', 'channel', 'language', 'customer external id', 'Q1 Aanraden?', 'Q2 Wat viel op?', 'Q3 Waarom?'],
      questions,
      'UTC',
    );
    expect(csv.ignored).toEqual(['survey']);
    expect(
      csv.toRecord({
        'response id': 'U3Vy',
        'started (Europe/Amsterdam)': '2026-03-11 00:30:00',
        'completed (Europe/Amsterdam)': '',
        channel: 'email',
        language: 'nl',
        'customer external id': 'c-1',
        'Q1 Aanraden?': '9',
        'Q2 Wat viel op?': 'price|speed',
        'Q3 Waarom?': 'Snel',
      }),
    ).toEqual({
      externalId: 'U3Vy',
      startedAt: '2026-03-10T23:30:00.000Z',
      channel: 'email',
      locale: 'nl',
      customerExternalId: 'c-1',
      answers: [
        { questionId: 'q-nps', score: 9 },
        { questionId: 'q-choice', choices: ['price', 'speed'] },
        { questionId: 'q-open', text: 'Snel' },
      ],
    });
  });

  it('reads its own column names, times with an offset as they are', () => {
    const csv = historicalCsv(['externalId', 'startedAt', 'Q1'], questions, 'Europe/Amsterdam');
    expect(csv.toRecord({ externalId: 'x', startedAt: '2025-01-01T10:00:00+02:00', Q1: '' })).toEqual({ externalId: 'x', startedAt: '2025-01-01T10:00:00+02:00', answers: [] });
  });

  it.each([
    [['startedAt'], 'externalId'],
    [['externalId'], 'startedAt'],
    [['externalId', 'startedAt', 'Q9'], 'Q9'],
    [['externalId', 'started (Mars/Olympus)'], 'started (Mars/Olympus)'],
  ])('refuses %j naming %s', (headers, field) => {
    expect(() => historicalCsv(headers, questions, 'UTC')).toThrow(expect.objectContaining({ issues: expect.arrayContaining([expect.objectContaining({ path: [field] })]) }));
  });
});
