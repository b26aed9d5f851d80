import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SurveyChannel } from '../src/core/plugin-sdk/index.js';
import { sampleInvitation, surveyChannelContract, type SurveyChannelCase } from '../src/testing/index.js';
import { createEmailChannel } from '../src/plugins/email-channel/email-channel.plugin.js';
import { inAppChannel } from '../src/plugins/in-app-channel/in-app-channel.plugin.js';
import { linkChannel } from '../src/plugins/link-channel/link-channel.plugin.js';
import { phoneChannel } from '../src/plugins/phone-channel/phone-channel.plugin.js';
import { smsChannel } from '../src/plugins/sms-channel/sms-channel.plugin.js';
import { widgetChannel } from '../src/plugins/widget-channel/widget-channel.plugin.js';
import { createFakeChannel } from './fixtures/fake-channel.js';
import { startSmtpSink } from './support/smtp-sink.js';

/** A loopback SMS provider: POST /messages with a bearer token; 429 and 5xx on demand. */
async function startSmsProvider() {
  const received: Array<{ auth: string | undefined; idempotencyKey: string | undefined; body: { from: string; to: string; text: string } }> = [];
  const next: Array<{ status: number; body: string; headers?: Record<string, string> }> = [];
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => resolve(data));
    });
  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    if (req.headers.authorization !== 'Bearer test-token-123') {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid token"}');
      return;
    }
    const planned = next.shift();
    if (planned) {
      res.writeHead(planned.status, { 'content-type': 'application/json', ...planned.headers }).end(planned.body);
      return;
    }
    received.push({ auth: req.headers.authorization, idempotencyKey: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(body) });
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sms-${received.length}`, status: 'queued' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/messages`, received, next, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const message = sampleInvitation;

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let sms: Awaited<ReturnType<typeof startSmsProvider>>;
const email = createEmailChannel();

beforeAll(async () => {
  smtp = await startSmtpSink();
  sms = await startSmsProvider();
});
afterAll(async () => {
  await email.close?.();
  await smtp.close();
  await sms.close();
});

const fake = createFakeChannel();
const CASES: SurveyChannelCase[] = [
  { channel: fake.channel as SurveyChannel<unknown>, settings: () => ({}), delivered: async (sent) => expect(fake.sent.at(-1)?.invitationId).toBe(sent.invitationId) },
  { channel: linkChannel as SurveyChannel<unknown>, settings: () => ({}) },
  { channel: widgetChannel as SurveyChannel<unknown>, settings: () => widgetChannel.settingsSchema.parse({ secret: 'x'.repeat(32), allowedOrigins: ['https://shop.example'] }) },
  { channel: inAppChannel as SurveyChannel<unknown>, settings: () => ({}) },
  { channel: phoneChannel as SurveyChannel<unknown>, settings: () => ({}) },
  {
    channel: email as SurveyChannel<unknown>,
    settings: () => email.settingsSchema.parse({ host: '127.0.0.1', port: smtp.port, from: 'service@shop.example' }),
    unreachable: () => email.settingsSchema.parse({ host: '127.0.0.1', port: 1, from: 'service@shop.example' }),
    delivered: async (sent) => {
      const mails = await smtp.waitFor(1);
      expect(mails.some((mail) => mail.headers.get('x-cx-invitation') === sent.invitationId)).toBe(true);
    },
  },
  {
    channel: smsChannel as SurveyChannel<unknown>,
    settings: () => smsChannel.settingsSchema.parse({ url: sms.url, token: 'test-token-123', sender: 'Winkel' }),
    unreachable: () => smsChannel.settingsSchema.parse({ url: 'http://127.0.0.1:1/messages', token: 'test-token-123', sender: 'Winkel', timeoutMs: 2000 }),
    delivered: async () => {
      const last = sms.received.at(-1)!;
      expect(last.body).toEqual({ from: 'Winkel', to: '+31612345678', text: `Beste mevrouw De Vries, Op 11 januari 2026 kocht u een televisie. Geef uw mening: ${message().surveyUrl}` });
      expect(last.idempotencyKey).toBe(message().invitationId);
    },
  },
];

surveyChannelContract(CASES);

describe('sms provider answers', () => {
  it.each([
    [429, 'RATE_LIMITED', true],
    [503, 'UNAVAILABLE', true],
    [400, 'REJECTED', false],
    [302, 'MISCONFIGURED', false],
  ] as const)('HTTP %i is %s (retryable: %s)', async (status, failure, retryable) => {
    sms.next.push({ status, body: '{"error":"x"}', headers: status === 302 ? { location: 'http://elsewhere.example/' } : status === 429 ? { 'retry-after': '30' } : {} });
    const result = await smsChannel.send(message(), smsChannel.settingsSchema.parse({ url: sms.url, token: 'test-token-123', sender: 'Winkel' }));
    expect(result).toMatchObject({ ok: false, failure, retryable });
  });

  it('a wrong token is a configuration problem, not retried', async () => {
    const result = await smsChannel.send(message(), smsChannel.settingsSchema.parse({ url: sms.url, token: 'wrong-token-000', sender: 'Winkel' }));
    expect(result).toMatchObject({ ok: false, failure: 'MISCONFIGURED', retryable: false });
  });
});
