import type { Contribution } from './contribution.js';

export const SURVEY_CHANNEL_CAPABILITIES = ['html', 'embed-first-question', 'bounces', 'open-tracking', 'agent-assisted', 'link-only'] as const;
export type SurveyChannelCapability = (typeof SURVEY_CHANNEL_CAPABILITIES)[number];

/** Everything a channel needs to deliver one invitation. Texts are already in the customer's locale. */
export interface SurveyInvitationMessage {
  invitationId: string;
  /** Personal survey URL holding the invitation token. */
  surveyUrl: string;
  locale: string;
  recipient: { name: string | null; salutationLine: string; email: string | null; phone: string | null };
  subject: string;
  reason: string;
  whyWeAsk: string;
  duration: string;
  signature: string;
  buttonLabel: string;
  isReminder: boolean;
  /** A/B variant: when set, the first question is shown in the message itself. */
  embeddedQuestion?: { text: string; scale: { min: number; max: number } };
}

export type DeliveryFailureCode = 'NO_ADDRESS' | 'REJECTED' | 'BOUNCED' | 'RATE_LIMITED' | 'UNAVAILABLE' | 'MISCONFIGURED';

export type DeliveryResult =
  | { ok: true; status: 'SENT' | 'DELIVERED'; providerMessageId?: string; url?: string }
  | { ok: false; failure: DeliveryFailureCode; message: string; retryable: boolean };

/**
 * A way to reach customers with a survey invitation (email, link, widget, SMS ...).
 *
 * @example
 * const link: SurveyChannel<{}> = {
 *   code: 'link', description: 'Returns the personal survey URL', settingsSchema: z.object({}),
 *   capabilities: ['link-only'],
 *   async send(message) { return { ok: true, status: 'DELIVERED', url: message.surveyUrl }; },
 * };
 */
export interface SurveyChannel<Settings = unknown> extends Contribution<SurveyChannelCapability, Settings> {
  send(message: SurveyInvitationMessage, settings: Settings): Promise<DeliveryResult>;
}
