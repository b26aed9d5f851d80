import { describe, expect, it } from 'vitest';
import { contactRefusal, type ContactableCustomer } from './contact-consent.js';

const now = new Date('2026-05-01T12:00:00Z');
const everyone: ContactableCustomer = { unsubscribedAt: null, consentSurveys: true, consentEmail: true, consentSms: true, consentPhone: true };

describe('contactRefusal: one rule for every path that contacts a person', () => {
  it.each([
    ['SURVEY', {}, 'email', null],
    ['SURVEY', { unsubscribedAt: new Date('2026-04-01T00:00:00Z') }, 'email', 'UNSUBSCRIBED'],
    ['SURVEY', { unsubscribedAt: new Date('2026-06-01T00:00:00Z') }, 'email', null],
    ['SURVEY', { consentSurveys: false }, null, 'NO_CONSENT'],
    ['SURVEY', { consentSms: false }, 'sms', 'NO_CONSENT'],
    ['SURVEY', { consentEmail: false }, 'sms', null],
    ['SURVEY', { consentPhone: false }, 'phone', 'NO_CONSENT'],
    ['SURVEY', { consentEmail: false, consentSms: false, consentPhone: false }, null, null],
    // A platform that mails the person itself needs the e-mail consent too.
    ['REVIEW_REQUEST', { consentEmail: false }, 'email', 'NO_CONSENT'],
    ['REVIEW_REQUEST', { consentSurveys: false }, 'email', 'NO_CONSENT'],
    ['REVIEW_REQUEST', { unsubscribedAt: new Date('2026-04-01T00:00:00Z') }, 'email', 'UNSUBSCRIBED'],
    // A reply to the person's own feedback: not a survey, but the channel consent counts.
    ['PERSONAL_REPLY', { consentSurveys: false, unsubscribedAt: new Date('2026-04-01T00:00:00Z') }, 'email', null],
    ['PERSONAL_REPLY', { consentEmail: false }, 'email', 'NO_CONSENT'],
    ['PERSONAL_REPLY', { consentSms: false }, 'sms', 'NO_CONSENT'],
  ] as const)('%s %o through %s -> %s', (purpose, patch, channel, expected) => {
    expect(contactRefusal({ ...everyone, ...patch }, purpose, channel, now)).toBe(expected);
  });
});
