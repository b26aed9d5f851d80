import { definePlugin, z, type SurveyChannel } from '../../core/plugin-sdk/index.js';

const settingsSchema = z
  .object({
    /** Signs visitor ids: the site's backend sends HMAC-SHA256(secret, customer externalId) as data-signature. */
    secret: z.string().min(32, 'must be at least 32 characters'),
    /** Origins of the sites that embed the widget (CORS). */
    allowedOrigins: z.array(z.url().transform((value) => new URL(value).origin)).min(1),
  })
  .strict();

/** The survey waits on the website: /widget.js shows it to the signed-in visitor. Nothing is pushed. */
export const widgetChannel: SurveyChannel<z.output<typeof settingsSchema>> = {
  code: 'widget',
  description: 'Shows the survey on the company website to the known visitor, through the embeddable /widget.js script.',
  settingsSchema,
  capabilities: ['pull'],
  address: null,
  consent: null,
  async send() {
    return { ok: true, status: 'DELIVERED' };
  },
};

export function createWidgetChannelPlugin(options: unknown = {}) {
  return definePlugin({ name: 'widget-channel', version: '1.0.0', options, optionsSchema: z.object({}).strict(), setup: () => ({ surveyChannels: [widgetChannel] }) });
}
