import type { Brand } from '../workspaces/branding.js';
import type { Contribution } from './contribution.js';

export type { Brand } from '../workspaces/branding.js';

export const SURVEY_CHANNEL_CAPABILITIES = [
  /** Sends a rich (HTML) message. */
  'html',
  /** Can show the first question inside the message (A/B variant B). */
  'embed-first-question',
  /** Reports bounces (synchronously as a failure, or later through recordInvitationBounce). */
  'bounces',
  'open-tracking',
  /** A person (an agent) asks the questions and records the answers. */
  'agent-assisted',
  /** Nothing is sent; the personal URL is handed back to be shared. */
  'link-only',
  /** Can deliver the one reminder. */
  'reminders',
  /** The customer fetches a pending invitation (website widget, in-app): nothing is pushed. */
  'pull',
] as const;
export type SurveyChannelCapability = (typeof SURVEY_CHANNEL_CAPABILITIES)[number];

/** Everything a channel needs to deliver one invitation. Texts are already in the customer's locale. */
export interface SurveyInvitationMessage {
  invitationId: string;
  /** Personal survey URL holding the invitation token. */
  surveyUrl: string;
  /** Where the customer stops all surveys (a page, and the RFC 8058 one-click POST target). */
  unsubscribeUrl: string;
  locale: string;
  recipient: { name: string | null; salutationLine: string; email: string | null; phone: string | null };
  subject: string;
  /** The concrete reason: "On 11 January 2026 you bought a television." */
  reason: string;
  whyWeAsk: string;
  duration: string;
  signature: string;
  buttonLabel: string;
  isReminder: boolean;
  /** The company as the customer knows it: name, logo, accent colour and sender name. */
  brand: Brand;
  /** Footer words in the message's language: "Rather not receive surveys?" and the link's label. */
  unsubscribePrompt: string;
  unsubscribeLabel: string;
  /** A/B variant B: the first question shown in the message, each score a link that answers it. */
  embeddedQuestion?: { text: string; scale: { min: number; max: number }; lowLabel: string | null; highLabel: string | null; answerUrl(score: number): string };
}

/** A personal message to one customer (closing the loop on their feedback, a review link), plain text. */
export interface DirectMessage {
  /** The language the text is written in. */
  locale: string;
  /** The company the message comes from. */
  brand: Brand;
  recipient: { name: string | null; email: string | null; phone: string | null };
  subject: string;
  text: string;
  /** Where the customer's answer should go (the follow-up owner). */
  replyTo: string | null;
  /** Our reference, for the message headers. */
  reference: string;
  /** Optional: a picture to show below the text (a chart), by URL; the text carries the URL too. Channels that cannot show pictures ignore it. */
  image?: { url: string; alt: string };
}

export type DeliveryFailureCode = 'NO_ADDRESS' | 'REJECTED' | 'BOUNCED' | 'RATE_LIMITED' | 'UNAVAILABLE' | 'MISCONFIGURED';

export type DeliveryResult = { ok: true; status: 'SENT' | 'DELIVERED'; providerMessageId?: string; url?: string } | { ok: false; failure: DeliveryFailureCode; message: string; retryable: boolean };

/**
 * A way to reach customers with a survey invitation (email, link, widget, SMS ...).
 *
 * @example
 * const link: SurveyChannel<{}> = {
 *   code: 'link', description: 'Returns the personal survey URL', settingsSchema: z.object({}),
 *   capabilities: ['link-only'], address: null, consent: null,
 *   async send(message) { return { ok: true, status: 'DELIVERED', url: message.surveyUrl }; },
 * };
 */
export interface SurveyChannel<Settings = unknown> extends Contribution<SurveyChannelCapability, Settings> {
  /** The customer field the channel delivers to; invitations to customers without it are skipped (NO_ADDRESS). */
  address: 'email' | 'phone' | null;
  /** The consent the customer must have given for this channel, besides consent to surveys. */
  consent: 'email' | 'sms' | 'phone' | null;
  /**
   * Delivers one invitation. Return a typed failure instead of throwing; `retryable` failures are
   * tried again later (at most 3 attempts). A thrown error is treated as a retryable UNAVAILABLE.
   */
  send(message: SurveyInvitationMessage, settings: Settings): Promise<DeliveryResult>;
  /** Optional: a personal message, used to close the loop with a customer about their feedback. */
  sendDirect?(message: DirectMessage, settings: Settings): Promise<DeliveryResult>;
  /** Releases connections (SMTP pools ...) at shutdown. */
  close?(): Promise<void>;
}
