import nodemailer, { type Transporter } from 'nodemailer';
import { definePlugin, z, type DeliveryResult, type SurveyChannel } from '../../core/plugin-sdk/index.js';
import { directHtml, invitationHtml, invitationText, senderOf } from './email-body.js';

const settingsSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    requireTLS: z.boolean().default(false),
    user: z.string().optional(),
    password: z.string().optional(),
    from: z.string().min(3),
    replyTo: z.string().optional(),
  })
  .strict();

export type EmailSettings = z.output<typeof settingsSchema>;

/** Whether an SMTP error means the address will not work (bounce) or the server may work later. */
export function classifySmtpError(error: unknown): DeliveryResult {
  const smtp = error as { responseCode?: number; code?: string; message?: string };
  const message = smtp.message ?? String(error);
  if (typeof smtp.responseCode === 'number') {
    if (smtp.responseCode >= 500) {
      const recipient = /^55[0-3]$/.test(String(smtp.responseCode)) || /recipient|mailbox|user unknown/i.test(message);
      return recipient ? { ok: false, failure: 'BOUNCED', message, retryable: false } : { ok: false, failure: 'REJECTED', message, retryable: false };
    }
    if (smtp.responseCode === 421 || smtp.responseCode === 450 || smtp.responseCode === 451 || smtp.responseCode === 452) return { ok: false, failure: 'RATE_LIMITED', message, retryable: true };
  }
  if (smtp.code === 'EAUTH') return { ok: false, failure: 'MISCONFIGURED', message, retryable: false };
  return { ok: false, failure: 'UNAVAILABLE', message, retryable: true };
}

/** Survey invitations by email over SMTP (nodemailer), HTML and text, one clear button. */
export function createEmailChannel(): SurveyChannel<EmailSettings> {
  const transports = new Map<string, Transporter>();
  const transportFor = (settings: EmailSettings) => {
    const key = JSON.stringify(settings);
    let transport = transports.get(key);
    if (!transport) {
      transport = nodemailer.createTransport({
        host: settings.host,
        port: settings.port,
        secure: settings.secure,
        requireTLS: settings.requireTLS,
        auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
        pool: true,
        maxConnections: 3,
        connectionTimeout: 10_000,
        socketTimeout: 30_000,
      });
      transports.set(key, transport);
    }
    return transport;
  };
  return {
    code: 'email',
    description: 'Sends the invitation by email over SMTP: personal salutation, the reason, one button; HTML and text.',
    settingsSchema,
    capabilities: ['html', 'embed-first-question', 'bounces', 'reminders'],
    address: 'email',
    consent: 'email',
    async send(message, settings) {
      if (!message.recipient.email) return { ok: false, failure: 'NO_ADDRESS', message: 'The customer has no email address', retryable: false };
      try {
        const info = await transportFor(settings).sendMail({
          from: senderOf(settings.from, message.brand),
          to: message.recipient.name ? { name: message.recipient.name, address: message.recipient.email } : message.recipient.email,
          replyTo: settings.replyTo,
          subject: message.subject,
          text: invitationText(message),
          html: invitationHtml(message),
          // RFC 2369 / RFC 8058: mail clients offer a one-click unsubscribe.
          list: { unsubscribe: { url: message.unsubscribeUrl, comment: 'Unsubscribe from surveys' } },
          headers: { 'X-CX-Invitation': message.invitationId, 'Auto-Submitted': 'auto-generated', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        });
        if ((info.rejected?.length ?? 0) > 0) return { ok: false, failure: 'BOUNCED', message: `Recipient rejected: ${info.response}`, retryable: false };
        return { ok: true, status: 'SENT', providerMessageId: info.messageId };
      } catch (error) {
        return classifySmtpError(error);
      }
    },
    async sendDirect(message, settings) {
      if (!message.recipient.email) return { ok: false, failure: 'NO_ADDRESS', message: 'The customer has no email address', retryable: false };
      try {
        const info = await transportFor(settings).sendMail({
          from: senderOf(settings.from, message.brand),
          to: message.recipient.name ? { name: message.recipient.name, address: message.recipient.email } : message.recipient.email,
          replyTo: message.replyTo ?? settings.replyTo,
          subject: message.subject,
          text: message.text,
          html: directHtml(message),
          headers: { 'X-CX-Follow-Up': message.reference },
        });
        if ((info.rejected?.length ?? 0) > 0) return { ok: false, failure: 'BOUNCED', message: `Recipient rejected: ${info.response}`, retryable: false };
        return { ok: true, status: 'SENT', providerMessageId: info.messageId };
      } catch (error) {
        return classifySmtpError(error);
      }
    },
    async close() {
      for (const transport of transports.values()) transport.close();
      transports.clear();
    },
  };
}

export function createEmailChannelPlugin(options: unknown = {}) {
  return definePlugin({
    name: 'email-channel',
    version: '1.0.0',
    options,
    optionsSchema: z.object({}).strict(),
    setup: () => ({ surveyChannels: [createEmailChannel()] }),
  });
}
