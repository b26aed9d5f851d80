import { definePlugin, z, type SurveyChannel } from '../../core/plugin-sdk/index.js';

/** The app asks pendingInvitations(customerId, channel: "in-app") and renders the questions natively. */
export const inAppChannel: SurveyChannel<Record<string, never>> = {
  code: 'in-app',
  description: 'Keeps the invitation for the customer’s app, which fetches it with pendingInvitations and answers with submitResponse.',
  settingsSchema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  capabilities: ['pull'],
  address: null,
  consent: null,
  async send() {
    return { ok: true, status: 'DELIVERED' };
  },
};

export function createInAppChannelPlugin(options: unknown = {}) {
  return definePlugin({ name: 'in-app-channel', version: '1.0.0', options, optionsSchema: z.object({}).strict(), setup: () => ({ surveyChannels: [inAppChannel] }) });
}
