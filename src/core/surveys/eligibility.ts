import { contactRefusal, hasChannelConsent } from '../customers/contact-consent.js';

export type SkipReason = 'CONTACT_CAP' | 'NO_CONSENT' | 'UNSUBSCRIBED' | 'TOO_OLD' | 'NO_CHANNEL' | 'NO_ADDRESS' | 'SURVEY_NOT_ACTIVE';

export interface EligibilityFacts {
  now: Date;
  surveyActive: boolean;
  customer: {
    unsubscribedAt: Date | null;
    consentSurveys: boolean;
    consentEmail: boolean;
    consentSms: boolean;
    consentPhone: boolean;
    email: string | null;
    phone: string | null;
  };
  /** When the measured moment happened (the triggering touchpoint); null for sends by hand. */
  touchpointAt: Date | null;
  maxAgeHours: number;
  /** Invitations already sent to this customer within the policy period, all surveys together. */
  sentInPeriod: number;
  cap: number;
  /** The chosen channel and what it needs; null when no usable channel was found. */
  channel: { code: string; address: 'email' | 'phone' | null; consent: 'email' | 'sms' | 'phone' | null } | null;
}

/**
 * Whether an invitation may go out now, and if not, the one reason recorded on it. The order is
 * the order a person would check: the survey, the customer's wishes, timing, pressure, the channel.
 */
export function eligibility(facts: EligibilityFacts): { ok: true } | { ok: false; reason: SkipReason } {
  if (!facts.surveyActive) return { ok: false, reason: 'SURVEY_NOT_ACTIVE' };
  const refusal = contactRefusal(facts.customer, 'SURVEY', null, facts.now);
  if (refusal) return { ok: false, reason: refusal };
  if (facts.touchpointAt && facts.now.getTime() - facts.touchpointAt.getTime() > facts.maxAgeHours * 3_600_000) return { ok: false, reason: 'TOO_OLD' };
  if (facts.sentInPeriod >= facts.cap) return { ok: false, reason: 'CONTACT_CAP' };
  if (!facts.channel) return { ok: false, reason: 'NO_CHANNEL' };
  if (!hasChannelConsent(facts.customer, facts.channel.consent)) return { ok: false, reason: 'NO_CONSENT' };
  if (facts.channel.address === 'email' && !facts.customer.email) return { ok: false, reason: 'NO_ADDRESS' };
  if (facts.channel.address === 'phone' && !facts.customer.phone) return { ok: false, reason: 'NO_ADDRESS' };
  return { ok: true };
}

/**
 * The channel to use: the survey's forced channel, else the customer's preferred one, else the one
 * they last used with us, else the first default. Only channels the workspace has enabled count.
 */
export function chooseChannel(options: { forced: string | null; preferred: string | null; lastUsed: string | null; defaults: readonly string[]; enabled: ReadonlySet<string> }): string | null {
  if (options.forced) return options.enabled.has(options.forced) ? options.forced : null;
  for (const candidate of [options.preferred, options.lastUsed, ...options.defaults]) {
    if (candidate && options.enabled.has(candidate)) return candidate;
  }
  return null;
}
