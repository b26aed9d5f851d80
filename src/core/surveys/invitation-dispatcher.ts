import { globalIdSql } from '../events/global-id.js';
import { ANSWERABLE, MARKED_REMINDED, REMINDABLE } from './invitation-states.js';
import type { Logger } from 'pino';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import type { Clock } from '../clock.js';
import type { PluginRegistry } from '../plugin-sdk/registry.js';
import type { DeliveryResult, SurveyChannel } from '../plugin-sdk/survey-channel.js';
import { usableChannels, type UsableChannel } from './channel-settings.service.js';
import { chooseChannel, eligibility } from './eligibility.js';
import { invitationFacts, messageFactsOf } from './invitation-facts.js';
import { buildInvitationMessage } from './invitation-message.js';
import { contactRefusal } from '../customers/contact-consent.js';

export interface DispatchReport {
  sent: number;
  skipped: number;
  failed: number;
  retried: number;
  reminded: number;
  expired: number;
}

export interface DispatcherDeps {
  prisma: PrismaClient;
  registry: PluginRegistry;
  clock: Clock;
  publicUrl: string;
  log: Logger;
}

const DAY = 86_400_000;
const MAX_ATTEMPTS = 3;
/** A send still unconfirmed after this long was cut off (crash, restart): marked failed, never repeated. */
const STUCK_AFTER_MS = 10 * 60_000;
/** Channels tried when neither the survey, the customer nor their history names one. */
const DEFAULT_CHANNELS = ['email', 'sms'];

/**
 * Moves invitations through their lifecycle: sends what is due, the one reminder, expiry. Every
 * step claims its rows with a conditional update or FOR UPDATE SKIP LOCKED, so several server
 * instances can run it at once and nothing is sent twice. State lives only in the database, so a
 * restart loses nothing.
 */
export class InvitationDispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  /** One pass over everything due now, in batches of `batchSize`, until nothing is left. */
  async dispatchDue(options: { batchSize?: number; concurrency?: number } = {}): Promise<DispatchReport> {
    const batchSize = options.batchSize ?? 200;
    const concurrency = options.concurrency ?? 4;
    const now = this.deps.clock.now();
    const report: DispatchReport = { sent: 0, skipped: 0, failed: 0, retried: 0, reminded: 0, expired: 0 };
    report.expired = await this.expire(now);
    await this.failStuck(now);
    const seen = new Set<string>();
    const channels = new ChannelCache(this.deps);
    for (;;) {
      const due = await this.deps.prisma.$queryRaw<Array<{ id: string }>>`
        SELECT id FROM "Invitation" WHERE status = 'SCHEDULED' AND "sendAfter" <= ${now} ORDER BY "sendAfter", id LIMIT ${batchSize}`;
      const fresh = due.filter((row) => !seen.has(row.id));
      if (fresh.length === 0) break;
      fresh.forEach((row) => seen.add(row.id));
      await inParallel(fresh, concurrency, async ({ id }) => {
        const outcome = await this.sendOne(id, now, channels);
        if (outcome) report[outcome] += 1;
      });
      if (due.length < batchSize) break;
    }
    const remindable = this.deps.registry.surveyChannels
      .list()
      .filter(({ contribution }) => contribution.capabilities.includes('reminders'))
      .map(({ contribution }) => contribution.code);
    for (;;) {
      const due = await this.deps.prisma.$queryRaw<Array<{ id: string }>>`
        SELECT i.id FROM "Invitation" i
          JOIN "Survey" s ON s.id = i."surveyId"
          JOIN "Customer" c ON c.id = i."customerId"
         WHERE i.status IN ${Prisma.raw(REMINDABLE.sql)} AND i."remindedAt" IS NULL
           AND s."reminderAfterHours" IS NOT NULL AND s.status = 'ACTIVE'
           AND i."sentAt" + make_interval(hours => s."reminderAfterHours") <= ${now}
           AND (i."expiresAt" IS NULL OR i."expiresAt" > ${now})
           AND i.channel = ANY (${remindable}::text[])
           AND c."unsubscribedAt" IS NULL AND c."consentSurveys"
         LIMIT ${batchSize}`;
      let reminded = 0;
      await inParallel(due, concurrency, async ({ id }) => {
        if (await this.remindOne(id, now, channels)) reminded += 1;
      });
      report.reminded += reminded;
      if (due.length < batchSize || reminded === 0) break;
    }
    return report;
  }

  private async expire(now: Date): Promise<number> {
    return this.deps.prisma.$executeRaw`
      UPDATE "Invitation" SET status = 'EXPIRED', "expiredAt" = ${now}, "updatedAt" = ${now}
       WHERE status IN ${Prisma.raw(ANSWERABLE.sql)} AND "expiresAt" <= ${now}`;
  }

  private async failStuck(now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - STUCK_AFTER_MS);
    await this.deps.prisma.$executeRaw`
      UPDATE "Invitation" SET status = 'FAILED', "failedAt" = ${now}, "updatedAt" = ${now},
             "failureMessage" = 'Interrupted before the channel confirmed delivery; not repeated, to avoid sending twice'
       WHERE status = 'SENDING' AND "sentAt" < ${cutoff}`;
  }

  /** Decides and sends one scheduled invitation. Returns what happened, or null when another worker had it. */
  async sendOne(id: string, now: Date, channels = new ChannelCache(this.deps)): Promise<'sent' | 'skipped' | 'failed' | 'retried' | null> {
    const { prisma } = this.deps;
    const claim = await prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<Array<{ customerId: string }>>`
        SELECT "customerId" FROM "Invitation" WHERE id = ${id}::uuid AND status = 'SCHEDULED' FOR UPDATE SKIP LOCKED`;
      if (!locked[0]) return null;
      // Serialises decisions per customer, so the contact-pressure cap holds under concurrency.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${locked[0].customerId}, 7302))`;
      const facts = (await invitationFacts(tx, id, now))!;
      const usable = await channels.of(facts.workspaceId, tx);
      const code = chooseChannel({
        forced: facts.forcedChannel ?? facts.surveyChannel,
        preferred: facts.preferredChannel,
        lastUsed: facts.lastCompletedChannel ?? facts.touchpointChannel,
        defaults: DEFAULT_CHANNELS,
        enabled: new Set(usable.keys()),
      });
      const chosen = code ? usable.get(code)! : null;
      const verdict = eligibility({
        now,
        surveyActive: facts.surveyStatus === 'ACTIVE',
        customer: facts,
        touchpointAt: facts.occurredAt,
        maxAgeHours: facts.maxAgeHours,
        sentInPeriod: facts.sentInPeriod,
        cap: facts.contactCap,
        channel: chosen ? { code: chosen.channel.code, address: chosen.channel.address, consent: chosen.channel.consent } : null,
      });
      if (!verdict.ok) {
        await tx.$executeRaw`
          UPDATE "Invitation" SET status = 'SKIPPED', "skipReason" = ${verdict.reason}::"SkipReason", "skippedAt" = ${now}, channel = ${code ?? facts.forcedChannel}, "updatedAt" = ${now}
           WHERE id = ${id}::uuid`;
        return { skipped: true as const };
      }
      const expiresAt = new Date(now.getTime() + facts.expiresAfterDays * DAY);
      await tx.$executeRaw`
        UPDATE "Invitation" SET status = 'SENDING', "sentAt" = ${now}, channel = ${code}, "expiresAt" = ${expiresAt}, "updatedAt" = ${now} WHERE id = ${id}::uuid`;
      return { skipped: false as const, facts, chosen: chosen! };
    });
    if (!claim) return null;
    if (claim.skipped) return 'skipped';
    const message = buildInvitationMessage(messageFactsOf(claim.facts, this.deps.publicUrl, false, claim.chosen.channel.capabilities.includes('embed-first-question')));
    const result = await deliver(claim.chosen.channel, claim.chosen.settings, message, this.deps.log);
    return this.recordOutcome(id, result, now);
  }

  private async recordOutcome(id: string, result: DeliveryResult, now: Date): Promise<'sent' | 'failed' | 'retried'> {
    const { prisma } = this.deps;
    if (result.ok) {
      await prisma.$executeRaw`
        UPDATE "Invitation" SET status = ${result.status}::"InvitationStatus", "providerMessageId" = ${result.providerMessageId ?? null},
               "deliveredAt" = CASE WHEN ${result.status} = 'DELIVERED' THEN ${now}::timestamptz ELSE "deliveredAt" END, "failureMessage" = NULL, "updatedAt" = ${now}
         WHERE id = ${id}::uuid AND status = 'SENDING'`;
      return 'sent';
    }
    const message = `${result.failure}: ${result.message}`.slice(0, 2000);
    if (result.failure === 'BOUNCED') {
      // The bounce and its event in one statement: the event exists exactly when the status changed.
      await prisma.$executeRaw`
        WITH bounced AS (
          UPDATE "Invitation" SET status = 'BOUNCED', "bouncedAt" = ${now}, "failureMessage" = ${result.message.slice(0, 2000)}, "updatedAt" = ${now}
           WHERE id = ${id}::uuid AND status = 'SENDING'
          RETURNING id, "workspaceId", "surveyId", "customerId", channel)
        INSERT INTO "DomainEvent" ("workspaceId", type, "subjectId", data, "occurredAt")
        SELECT b."workspaceId", 'invitation.bounced', ${Prisma.raw(globalIdSql('Invitation', 'b.id'))},
               jsonb_build_object('invitationId', ${Prisma.raw(globalIdSql('Invitation', 'b.id'))}, 'surveyId', ${Prisma.raw(globalIdSql('Survey', 'b."surveyId"'))},
                                  'customerId', ${Prisma.raw(globalIdSql('Customer', 'b."customerId"'))}, 'channel', b.channel, 'reason', ${result.message.slice(0, 500)}::text), ${now}
          FROM bounced b`;
      return 'failed';
    }
    const [current] = await prisma.$queryRaw<Array<{ attempts: number }>>`SELECT attempts FROM "Invitation" WHERE id = ${id}::uuid`;
    const attempts = current?.attempts ?? 0;
    if (result.retryable && attempts + 1 < MAX_ATTEMPTS) {
      const backoffMs = 5 * 60_000 * 2 ** attempts * (0.8 + Math.random() * 0.4);
      await prisma.$executeRaw`
        UPDATE "Invitation" SET status = 'SCHEDULED', "sentAt" = NULL, "expiresAt" = NULL, attempts = attempts + 1,
               "sendAfter" = ${new Date(now.getTime() + backoffMs)}, "failureMessage" = ${message}, "updatedAt" = ${now}
         WHERE id = ${id}::uuid AND status = 'SENDING'`;
      return 'retried';
    }
    await prisma.$executeRaw`
      UPDATE "Invitation" SET status = 'FAILED', "failedAt" = ${now}, attempts = attempts + 1, "failureMessage" = ${message}, "updatedAt" = ${now}
       WHERE id = ${id}::uuid AND status = 'SENDING'`;
    return 'failed';
  }

  /** Sends the one reminder; claimed by setting remindedAt, so it goes out at most once. */
  async remindOne(id: string, now: Date, channels = new ChannelCache(this.deps)): Promise<boolean> {
    const { prisma } = this.deps;
    const claimed = await prisma.$queryRaw<Array<{ id: string }>>`
      UPDATE "Invitation" SET "remindedAt" = ${now}, "updatedAt" = ${now},
             status = CASE WHEN status IN ${Prisma.raw(MARKED_REMINDED.sql)} THEN 'REMINDED'::"InvitationStatus" ELSE status END
       WHERE id = ${id}::uuid AND "remindedAt" IS NULL AND status IN ${Prisma.raw(REMINDABLE.sql)}
      RETURNING id`;
    if (claimed.length === 0) return false;
    const facts = (await invitationFacts(prisma, id, now))!;
    const chosen = facts.channel ? (await channels.of(facts.workspaceId, prisma)).get(facts.channel) : undefined;
    if (!chosen) {
      await prisma.$executeRaw`UPDATE "Invitation" SET "failureMessage" = ${`Reminder not sent: channel "${facts.channel}" is no longer usable`} WHERE id = ${id}::uuid`;
      return false;
    }
    // Consent may have been withdrawn since the invitation went out: the same rule as for sending.
    const refusal = contactRefusal(facts, 'SURVEY', chosen.channel.consent, now);
    if (refusal) {
      await prisma.$executeRaw`UPDATE "Invitation" SET "failureMessage" = ${`Reminder not sent: ${refusal === 'UNSUBSCRIBED' ? 'the customer unsubscribed' : `no consent for ${chosen.channel.consent}`}`} WHERE id = ${id}::uuid`;
      return false;
    }
    const message = buildInvitationMessage(messageFactsOf(facts, this.deps.publicUrl, true, chosen.channel.capabilities.includes('embed-first-question')));
    const result = await deliver(chosen.channel, chosen.settings, message, this.deps.log);
    if (!result.ok) {
      await prisma.$executeRaw`UPDATE "Invitation" SET "failureMessage" = ${`Reminder: ${result.failure}: ${result.message}`.slice(0, 2000)} WHERE id = ${id}::uuid`;
      return false;
    }
    return true;
  }
}

/** Usable channels per workspace, read once per dispatcher pass instead of once per invitation. */
class ChannelCache {
  private readonly byWorkspace = new Map<string, Promise<Map<string, UsableChannel>>>();
  constructor(private readonly deps: Pick<DispatcherDeps, 'registry'>) {}
  /** `db` is the caller's open transaction when there is one (PGlite has a single connection). */
  of(workspaceId: string, db: Parameters<typeof usableChannels>[0]): Promise<Map<string, UsableChannel>> {
    let found = this.byWorkspace.get(workspaceId);
    if (!found) {
      found = usableChannels(db, this.deps.registry, workspaceId);
      this.byWorkspace.set(workspaceId, found);
    }
    return found;
  }
}

/** Calls the channel; a thrown error becomes a retryable UNAVAILABLE failure. */
async function deliver(channel: SurveyChannel<unknown>, settings: unknown, message: ReturnType<typeof buildInvitationMessage>, log: Logger): Promise<DeliveryResult> {
  try {
    return await channel.send(message, settings);
  } catch (error) {
    log.warn({ err: error, channel: channel.code, invitationId: message.invitationId }, 'survey channel threw');
    return { ok: false, failure: 'UNAVAILABLE', message: error instanceof Error ? error.message : String(error), retryable: true };
  }
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(runners);
}
