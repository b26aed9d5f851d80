import { definePlugin, z, type DeliveryResult, type SurveyChannel, type SurveyInvitationMessage } from '../core/plugin-sdk/index.js';

/** An in-memory survey channel: keeps every message, and can be told to fail the next sends. */
export function createFakeChannel(code = 'fake') {
  const sent: SurveyInvitationMessage[] = [];
  const failures: DeliveryResult[] = [];
  const channel: SurveyChannel<{ label?: string }> = {
    code,
    description: 'Keeps invitations in memory (tests)',
    settingsSchema: z.object({ label: z.string().optional() }).strict(),
    capabilities: ['reminders', 'embed-first-question'],
    address: 'email',
    consent: null,
    async send(message) {
      if (!message.recipient.email) return { ok: false, failure: 'NO_ADDRESS', message: 'no email address', retryable: false };
      const failure = failures.shift();
      if (failure) return failure;
      sent.push(message);
      return { ok: true, status: 'SENT', providerMessageId: `fake-${sent.length}` };
    },
  };
  return {
    channel,
    sent,
    failNext(result: DeliveryResult) {
      failures.push(result);
    },
    plugin: definePlugin({ name: 'fake-channel', version: '1.0.0', options: {}, optionsSchema: z.object({}), setup: () => ({ surveyChannels: [channel] }) }),
  };
}
