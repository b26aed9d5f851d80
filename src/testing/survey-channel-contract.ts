import { describe, expect, it } from 'vitest';
import { SURVEY_CHANNEL_CAPABILITIES, type SurveyChannel, type SurveyInvitationMessage } from '../core/plugin-sdk/index.js';

/** A complete invitation as the dispatcher hands it to a channel; patch what a case needs. */
export function sampleInvitation(patch: Partial<SurveyInvitationMessage> = {}): SurveyInvitationMessage {
  return {
    invitationId: '00000000-0000-4000-8000-000000000001',
    surveyUrl: 'https://survey.example.com/s/abcdefghijklmnopqrstuvwxyz012345',
    unsubscribeUrl: 'https://survey.example.com/s/abcdefghijklmnopqrstuvwxyz012345/unsubscribe',
    locale: 'nl',
    recipient: { name: 'Anna de Vries', salutationLine: 'Beste mevrouw De Vries', email: 'anna@example.com', phone: '+31612345678' },
    subject: 'Wat vond u ervan?',
    reason: 'Op 11 januari 2026 kocht u een televisie.',
    whyWeAsk: 'Met uw antwoord maken we onze service beter.',
    duration: 'Het invullen duurt ongeveer 1 minuut.',
    signature: 'Groet,\nEva',
    buttonLabel: 'Geef uw mening',
    isReminder: false,
    brand: { companyName: 'Tv-huis Jansen', logoUrl: null, accentColor: '#1463d8', senderName: 'Tv-huis Jansen' },
    unsubscribePrompt: 'Liever geen vragenlijsten meer?',
    unsubscribeLabel: 'Afmelden',
    ...patch,
  };
}

export interface SurveyChannelCase {
  channel: SurveyChannel<unknown>;
  /** Valid settings (called when a test runs, so a provider started in beforeAll is known by then). */
  settings: () => unknown;
  /** Settings pointing at a provider that does not answer: the send must be a retryable UNAVAILABLE. */
  unreachable?: () => unknown;
  /** Checks that the provider side received the message. */
  delivered?: (sent: SurveyInvitationMessage) => Promise<void>;
}

/**
 * The suite every survey channel passes, built-in or not: declared capabilities, address and
 * consent; valid settings; a delivery that says how it went; a missing address and an unreachable
 * provider reported as typed failures, never thrown. Call it at the top level of a vitest file.
 */
export function surveyChannelContract(cases: SurveyChannelCase[]): void {
  describe.each(cases.map((c) => [c.channel.code, c] as const))('survey channel contract: %s', (_code, c) => {
    it('declares known capabilities, its address and consent, and valid settings', () => {
      for (const capability of c.channel.capabilities) expect(SURVEY_CHANNEL_CAPABILITIES).toContain(capability);
      expect([null, 'email', 'phone']).toContain(c.channel.address);
      expect([null, 'email', 'sms', 'phone']).toContain(c.channel.consent);
      expect(c.channel.settingsSchema.safeParse(c.settings()).success).toBe(true);
    });

    it('delivers an invitation and says how', async () => {
      const sent = sampleInvitation();
      const result = await c.channel.send(sent, c.settings());
      expect(result).toMatchObject({ ok: true });
      if (result.ok) expect(['SENT', 'DELIVERED']).toContain(result.status);
      await c.delivered?.(sent);
    });

    it('reports a missing address as a typed failure, never by throwing', async () => {
      const result = await c.channel.send(sampleInvitation({ recipient: { name: null, salutationLine: 'Beste klant', email: null, phone: null } }), c.settings());
      if (c.channel.address) expect(result).toEqual({ ok: false, failure: 'NO_ADDRESS', message: expect.any(String), retryable: false });
      else expect(result.ok).toBe(true);
    });

    it('can send the reminder when it says it can', async () => {
      if (!c.channel.capabilities.includes('reminders')) return;
      const result = await c.channel.send(sampleInvitation({ isReminder: true, subject: 'Nog even uw mening?' }), c.settings());
      expect(result.ok).toBe(true);
    });

    it('turns an unreachable provider into a retryable failure', async () => {
      if (!c.unreachable) return;
      const result = await c.channel.send(sampleInvitation(), c.unreachable());
      expect(result).toMatchObject({ ok: false, failure: 'UNAVAILABLE', retryable: true });
    });
  });
}
