/**
 * The one rule for every path that contacts a person: survey invitations and their reminder,
 * review invitations (ours or the platform's own mail), and personal replies that close the loop.
 */
export type ContactPurpose =
  /** A survey invitation or its reminder. */
  | 'SURVEY'
  /** A request for a review, sent by us or by the platform (which mails the person itself). */
  | 'REVIEW_REQUEST'
  /** A personal answer to the person's own feedback (closing the loop). */
  | 'PERSONAL_REPLY';

export type ChannelConsent = 'email' | 'sms' | 'phone';

export interface ContactableCustomer {
  unsubscribedAt: Date | null;
  consentSurveys: boolean;
  consentEmail: boolean;
  consentSms: boolean;
  consentPhone: boolean;
}

export type ContactRefusal = 'UNSUBSCRIBED' | 'NO_CONSENT';

/** Whether the person agreed to be reached through this kind of channel. */
export function hasChannelConsent(customer: Pick<ContactableCustomer, 'consentEmail' | 'consentSms' | 'consentPhone'>, consent: ChannelConsent | null): boolean {
  if (consent === 'email') return customer.consentEmail;
  if (consent === 'sms') return customer.consentSms;
  if (consent === 'phone') return customer.consentPhone;
  return true;
}

/**
 * Why a person may not be contacted for this purpose, or null. Surveys and review requests need
 * consent to surveys and no unsubscribe; every purpose needs consent to the channel used (pass
 * null when the channel is not known yet: it is checked once it is). A personal reply to the
 * person's own feedback is not a survey: an unsubscribe from surveys does not stop it, a missing
 * channel consent does.
 */
export function contactRefusal(customer: ContactableCustomer, purpose: ContactPurpose, channelConsent: ChannelConsent | null, now: Date): ContactRefusal | null {
  if (purpose !== 'PERSONAL_REPLY') {
    if (customer.unsubscribedAt && customer.unsubscribedAt <= now) return 'UNSUBSCRIBED';
    if (!customer.consentSurveys) return 'NO_CONSENT';
  }
  return hasChannelConsent(customer, channelConsent) ? null : 'NO_CONSENT';
}
