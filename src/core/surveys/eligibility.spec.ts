import { describe, expect, it } from 'vitest';
import { chooseChannel, eligibility, type EligibilityFacts } from './eligibility.js';

const now = new Date('2026-03-10T10:00:00Z');
const base: EligibilityFacts = {
  now,
  surveyActive: true,
  customer: { unsubscribedAt: null, consentSurveys: true, consentEmail: true, consentSms: false, consentPhone: false, email: 'a@example.com', phone: null },
  touchpointAt: new Date('2026-03-07T10:00:00Z'),
  maxAgeHours: 336,
  sentInPeriod: 0,
  cap: 2,
  channel: { code: 'email', address: 'email', consent: 'email' },
};
const customer = (patch: Partial<EligibilityFacts['customer']>) => ({ customer: { ...base.customer, ...patch } });

describe('eligibility', () => {
  it.each<[string, Partial<EligibilityFacts>, string | null]>([
    ['eligible', {}, null],
    ['survey closed', { surveyActive: false }, 'SURVEY_NOT_ACTIVE'],
    ['unsubscribed', customer({ unsubscribedAt: new Date('2026-01-01') }), 'UNSUBSCRIBED'],
    ['unsubscribe in the future does not count yet', customer({ unsubscribedAt: new Date('2026-04-01') }), null],
    ['no survey consent', customer({ consentSurveys: false }), 'NO_CONSENT'],
    ['exactly at maximum age', { touchpointAt: new Date(now.getTime() - 336 * 3_600_000) }, null],
    ['one minute past maximum age', { touchpointAt: new Date(now.getTime() - 336 * 3_600_000 - 60_000) }, 'TOO_OLD'],
    ['sent by hand has no age', { touchpointAt: null }, null],
    ['one below the cap', { sentInPeriod: 1 }, null],
    ['at the cap', { sentInPeriod: 2 }, 'CONTACT_CAP'],
    ['cap of zero', { cap: 0 }, 'CONTACT_CAP'],
    ['no channel', { channel: null }, 'NO_CHANNEL'],
    ['email without email consent', customer({ consentEmail: false }), 'NO_CONSENT'],
    ['email without address', customer({ email: null }), 'NO_ADDRESS'],
    ['sms without consent', { channel: { code: 'sms', address: 'phone', consent: 'sms' } }, 'NO_CONSENT'],
    ['sms without number', { channel: { code: 'sms', address: 'phone', consent: 'sms' }, ...customer({ consentSms: true }) }, 'NO_ADDRESS'],
    ['link needs nothing', { channel: { code: 'link', address: null, consent: null }, ...customer({ email: null, consentEmail: false }) }, null],
  ])('%s', (_name, patch, expected) => {
    const result = eligibility({ ...base, ...patch });
    expect(result.ok ? null : result.reason).toBe(expected);
  });
});

describe('chooseChannel', () => {
  const enabled = new Set(['email', 'sms', 'link']);
  it.each([
    [{ forced: 'sms', preferred: 'email', lastUsed: null }, 'sms'],
    [{ forced: 'widget', preferred: 'email', lastUsed: null }, null],
    [{ forced: null, preferred: 'sms', lastUsed: 'email' }, 'sms'],
    [{ forced: null, preferred: 'phone', lastUsed: 'email' }, 'email'],
    [{ forced: null, preferred: null, lastUsed: null }, 'email'],
  ] as const)('%o -> %s', (options, expected) => {
    expect(chooseChannel({ ...options, defaults: ['email', 'link'], enabled })).toBe(expected);
  });
});
