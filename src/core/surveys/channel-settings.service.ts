import type { ScopedPrisma } from '../../db/workspace-scope.js';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { contactRefusal, type ContactableCustomer, type ContactPurpose } from '../customers/contact-consent.js';
import { ValidationError, issuesFromZod } from '../errors.js';
import type { PluginRegistry } from '../plugin-sdk/registry.js';
import type { DeliveryResult, DirectMessage, SurveyChannel } from '../plugin-sdk/survey-channel.js';

export interface UsableChannel {
  channel: SurveyChannel<unknown>;
  settings: unknown;
}

export type SettingsReader = Pick<PrismaClient, 'surveyChannelSetting'> | Pick<Prisma.TransactionClient, 'surveyChannelSetting'>;

/**
 * The channels a workspace can send through: installed, not switched off, and with settings that
 * pass the channel's schema (a channel that needs none, such as link, is usable without a row).
 */
export async function usableChannels(db: SettingsReader, registry: PluginRegistry, workspaceId: string): Promise<Map<string, UsableChannel>> {
  const rows = await db.surveyChannelSetting.findMany({ where: { workspaceId } });
  const byCode = new Map(rows.map((row) => [row.code, row]));
  const usable = new Map<string, UsableChannel>();
  for (const { contribution: channel } of registry.surveyChannels.list()) {
    const row = byCode.get(channel.code);
    if (row && !row.enabled) continue;
    const parsed = channel.settingsSchema.safeParse(row?.settings ?? {});
    if (parsed.success) usable.set(channel.code, { channel, settings: parsed.data });
  }
  return usable;
}

/**
 * Sends a personal message (closing the loop, a review link) through one of the workspace's
 * channels that can: the email channel unless another is named.
 */
export async function sendDirectMessage(
  db: SettingsReader,
  registry: PluginRegistry,
  workspaceId: string,
  message: DirectMessage,
  to: { customer: ContactableCustomer; purpose: ContactPurpose; now: Date },
  code = 'email',
): Promise<DeliveryResult | { ok: false; failure: 'NO_CHANNEL' | 'NO_CONSENT'; message: string }> {
  const usable = (await usableChannels(db, registry, workspaceId)).get(code);
  if (!usable?.channel.sendDirect) return { ok: false, failure: 'NO_CHANNEL', message: `channel "${code}" is not configured or cannot send a personal message` };
  const refusal = contactRefusal(to.customer, to.purpose, usable.channel.consent, to.now);
  if (refusal) {
    return {
      ok: false,
      failure: 'NO_CONSENT',
      message: refusal === 'UNSUBSCRIBED' ? 'the customer unsubscribed' : `the customer has not consented to be contacted by ${usable.channel.consent ?? code}`,
    };
  }
  return usable.channel.sendDirect(message, usable.settings);
}

/**
 * Sends a message to a member of the team (an owner's follow-up mail or digest) through the
 * workspace's email channel. Staff mail is not customer contact: no consent, no contact cap.
 */
export async function sendStaffMessage(
  db: SettingsReader,
  registry: PluginRegistry,
  workspaceId: string,
  message: DirectMessage,
): Promise<DeliveryResult | { ok: false; failure: 'NO_CHANNEL'; message: string; retryable: false }> {
  const usable = (await usableChannels(db, registry, workspaceId)).get('email');
  if (!usable?.channel.sendDirect) return { ok: false, failure: 'NO_CHANNEL', message: 'the email channel is not configured', retryable: false };
  return usable.channel.sendDirect(message, usable.settings);
}

/** Stores a channel's settings for the workspace after validating them against its schema. */
export async function configureSurveyChannelOrThrow(db: ScopedPrisma, registry: PluginRegistry, input: { code: string; enabled?: boolean | null; settings?: Record<string, unknown> | null }) {
  if (!registry.surveyChannels.has(input.code)) throw new ValidationError([{ path: ['input', 'code'], message: `no survey channel "${input.code}" is installed` }]);
  const channel = registry.surveyChannels.getByCodeOrThrow(input.code);
  const existing = await db.surveyChannelSetting.findFirst({ where: { code: input.code } });
  const settings = input.settings ?? (existing?.settings as Record<string, unknown> | undefined) ?? {};
  const parsed = channel.settingsSchema.safeParse(settings);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error.issues, ['input', 'settings']));
  const data = { settings: settings as Prisma.InputJsonObject, enabled: input.enabled ?? existing?.enabled ?? true };
  return db.surveyChannelSetting.upsert({
    where: { workspaceId_code: { workspaceId: '', code: input.code } },
    create: { code: input.code, ...data } as Prisma.SurveyChannelSettingUncheckedCreateInput,
    update: data,
  });
}
