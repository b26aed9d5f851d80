import { describe, expect, it } from 'vitest';
import { followUpRaisedText, weeklyDigestText, type DigestContent, type FollowUpLine } from './owner-mail-texts.js';

const line: FollowUpLine = {
  id: 'Rm9sbG93VXA6MQ==',
  priority: 'URGENT',
  score: 0,
  source: 'Na de reparatie: Hoe waarschijnlijk ...?',
  customerName: 'Piet Jansen',
  comment: 'Piept.\nNog steeds.',
  dueAt: new Date('2026-03-04T09:00:00Z'),
  overdue: false,
  url: null,
};

describe('follow-up raised mail', () => {
  it.each([
    ['en', 'New follow-up (URGENT): score 0', 'Due: 4 March 2026 at 10:00 (Europe/Amsterdam)'],
    ['nl-BE', 'Nieuwe opvolging (URGENT): score 0', 'Uiterlijk: 4 maart 2026 om 10:00 (Europe/Amsterdam)'],
    ['de', 'Neue Nachverfolgung (URGENT): Wert 0', 'Fällig: 4. März 2026 um 10:00 (Europe/Amsterdam)'],
    ['fr', 'Nouveau suivi (URGENT) : note 0', 'Échéance: 4 mars 2026 à 10:00 (Europe/Amsterdam)'],
    ['es', 'New follow-up (URGENT): score 0', 'Due: 4 March 2026 at 10:00 (Europe/Amsterdam)'],
  ])('%s', (locale, subject, due) => {
    const mail = followUpRaisedText(line, locale, 'Europe/Amsterdam');
    expect(mail.subject).toBe(subject);
    expect(mail.text).toContain(due);
    expect(mail.text).toContain('  Piept.\n  Nog steeds.');
    expect(mail.text).toContain(line.id);
  });

  it('links into the team’s tool instead of naming the id when a link is configured, and leaves out what is unknown', () => {
    const mail = followUpRaisedText({ ...line, url: 'https://cx.example/f/1', customerName: null, comment: null, score: 2.5 }, 'en', 'UTC');
    expect(mail.text).toContain('Open: https://cx.example/f/1');
    expect(mail.text).not.toContain('Customer:');
    expect(mail.text).not.toContain('In their words');
    expect(mail.subject).toBe('New follow-up (URGENT): score 2.5');
  });
});

describe('weekly digest', () => {
  const base: DigestContent = { open: 0, overdue: 0, followUps: [], chart: null, reviews: null };
  it.each([
    ['nothing open', base, 'en', 'Your week: 0 open follow-ups, 0 overdue', ['No open follow-ups. Well done.'], ['stars', 'NPS of']],
    [
      'open, overdue, more than listed, late reviews and a chart',
      {
        open: 12,
        overdue: 1,
        followUps: [{ ...line, overdue: true }],
        chart: { url: 'https://cx.example/charts/trend.png?token=t', alt: 'NPS' },
        reviews: { count: 3, hours: 24, lines: [{ source: 'Trustpilot', stars: 1, publishedAt: new Date('2026-03-03T08:00:00Z'), title: 'Slecht' }] },
      },
      'en',
      'Your week: 12 open follow-ups, 1 overdue',
      [
        '- [URGENT] OVERDUE Score 0',
        '... and 11 more',
        '3 low reviews unanswered for more than 24 hours:',
        '- 1 stars, Trustpilot',
        '... and 2 more',
        'NPS of your questions, per month:\nhttps://cx.example/charts/trend.png?token=t',
      ],
      ['Well done'],
    ],
    ['one open, in German', { ...base, open: 1, followUps: [line] }, 'de', 'Ihre Woche: 1 offene Nachverfolgung, 0 überfällig', ['Offene Nachverfolgungen: 1'], ['ÜBERFÄLLIG']],
    ['in French', { ...base, open: 2, overdue: 2 }, 'fr', 'Votre semaine : 2 suivis ouverts, 2 en retard', ['Suivis ouverts: 2'], []],
  ] as const)('%s', (_name, content, locale, subject, contains, lacks) => {
    const mail = weeklyDigestText(content as DigestContent, locale, 'Europe/Amsterdam');
    expect(mail.subject).toBe(subject);
    for (const part of contains) expect(mail.text).toContain(part);
    for (const part of lacks) expect(mail.text).not.toContain(part);
  });
});
