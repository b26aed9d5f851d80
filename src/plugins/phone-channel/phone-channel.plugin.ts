import { definePlugin, z, type SurveyChannel } from '../../core/plugin-sdk/index.js';

/** An agent calls: the invitation joins the call list (pendingInvitations(channel: "phone")) and the answers come in through recordPhoneResponse. */
export const phoneChannel: SurveyChannel<Record<string, never>> = {
  code: 'phone',
  description: 'Puts the customer on the agents’ call list; the agent records the answers with recordPhoneResponse.',
  settingsSchema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  capabilities: ['agent-assisted', 'pull'],
  address: 'phone',
  consent: 'phone',
  async send(message) {
    if (!message.recipient.phone) return { ok: false, failure: 'NO_ADDRESS', message: 'The customer has no phone number to call', retryable: false };
    return { ok: true, status: 'DELIVERED' };
  },
};

export function createPhoneChannelPlugin(options: unknown = {}) {
  return definePlugin({ name: 'phone-channel', version: '1.0.0', options, optionsSchema: z.object({}).strict(), setup: () => ({ surveyChannels: [phoneChannel] }) });
}
