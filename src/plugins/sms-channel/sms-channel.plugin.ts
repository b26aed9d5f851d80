import { definePlugin, z, type DeliveryResult, type SurveyChannel, type SurveyInvitationMessage } from '../../core/plugin-sdk/index.js';

const settingsSchema = z
  .object({
    /** The provider's send endpoint; it receives POST { from, to, text } as JSON. */
    url: z.url({ protocol: /^https?$/ }),
    /** Sent as "Authorization: Bearer <token>". */
    token: z.string().min(8),
    /** Sender name (at most 11 characters) or number. */
    sender: z.string().regex(/^([A-Za-z0-9 ]{1,11}|\+?\d{6,15})$/, 'must be up to 11 letters or digits, or a phone number'),
    timeoutMs: z.number().int().min(1000).max(60_000).default(10_000),
  })
  .strict();

export type SmsSettings = z.output<typeof settingsSchema>;

/** One short message: the salutation, the reason and the link. */
export function smsText(message: SurveyInvitationMessage): string {
  return `${message.recipient.salutationLine}, ${message.reason} ${message.buttonLabel}: ${message.surveyUrl}`;
}

function classify(status: number, body: string): DeliveryResult {
  const message = `HTTP ${status}: ${body.slice(0, 300)}`;
  if (status === 429) return { ok: false, failure: 'RATE_LIMITED', message, retryable: true };
  if (status === 401 || status === 403) return { ok: false, failure: 'MISCONFIGURED', message, retryable: false };
  if (status >= 500) return { ok: false, failure: 'UNAVAILABLE', message, retryable: true };
  if (status >= 300 && status < 400) return { ok: false, failure: 'MISCONFIGURED', message: `${message} (redirects are not followed)`, retryable: false };
  return { ok: false, failure: 'REJECTED', message, retryable: false };
}

/** Invitations by SMS through an HTTP SMS provider. */
export const smsChannel: SurveyChannel<SmsSettings> = {
  code: 'sms',
  description: 'Sends a short message with the personal link through an HTTP SMS provider.',
  settingsSchema,
  capabilities: ['reminders'],
  address: 'phone',
  consent: 'sms',
  async send(message, settings) {
    if (!message.recipient.phone) return { ok: false, failure: 'NO_ADDRESS', message: 'The customer has no phone number', retryable: false };
    let response: Response;
    try {
      response = await fetch(settings.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(settings.timeoutMs),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${settings.token}`, 'idempotency-key': `${message.invitationId}${message.isReminder ? ':reminder' : ''}` },
        body: JSON.stringify({ from: settings.sender, to: message.recipient.phone, text: smsText(message) }),
      });
    } catch (error) {
      return { ok: false, failure: 'UNAVAILABLE', message: error instanceof Error ? error.message : String(error), retryable: true };
    }
    const body = await response.text();
    if (!response.ok) return classify(response.status, body);
    let id: string | undefined;
    try {
      const parsed = JSON.parse(body) as { id?: unknown };
      id = typeof parsed.id === 'string' || typeof parsed.id === 'number' ? String(parsed.id) : undefined;
    } catch {
      id = undefined;
    }
    return { ok: true, status: 'SENT', providerMessageId: id };
  },
};

export function createSmsChannelPlugin(options: unknown = {}) {
  return definePlugin({ name: 'sms-channel', version: '1.0.0', options, optionsSchema: z.object({}).strict(), setup: () => ({ surveyChannels: [smsChannel] }) });
}
