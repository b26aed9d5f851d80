import { definePlugin, z, type SurveyChannel } from '../../core/plugin-sdk/index.js';

const settingsSchema = z.object({}).strict();

/** Hands back the personal survey URL, for QR codes, chat messages or print. */
export const linkChannel: SurveyChannel<z.output<typeof settingsSchema>> = {
  code: 'link',
  description: 'Returns the personal survey URL for the team to share (QR code, chat, print). Nothing is sent.',
  settingsSchema,
  capabilities: ['link-only'],
  address: null,
  consent: null,
  async send(message) {
    return { ok: true, status: 'DELIVERED', url: message.surveyUrl };
  },
};

export function createLinkChannelPlugin(options: unknown = {}) {
  return definePlugin({
    name: 'link-channel',
    version: '1.0.0',
    options,
    optionsSchema: z.object({}).strict(),
    setup: () => ({ surveyChannels: [linkChannel] }),
  });
}
