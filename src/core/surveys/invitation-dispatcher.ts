import type { Logger } from 'pino';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Clock } from '../clock.js';
import type { PluginRegistry } from '../plugin-sdk/registry.js';
import type { DeliveryResult, SurveyChannel } from '../plugin-sdk/survey-channel.js';
import { usableChannels } from './channel-settings.service.js';
import { chooseChannel, eligibility } from './eligibility.js';
import { buildInvitationMessage, type MessageFacts } from './invitation-message.js';

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
/** Statuses that mean the invitation reached (or was handed to) the customer: they count against the cap. */
const COUNTS_AGAINST_CAP = ['SENDING', 'SENT', 'DELIVERED', 'OPENED', 'STARTED', 'COMPLETED', 'REMINDED', 'EXPIRED'];

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
    for (;;) {
      const due = await this.deps.prisma.$queryRaw<Array<{ id: string }>>`
        SELECT id FROM "Invitation" WHERE status = 'SCHEDULED' AND "sendAfter" <= ${now} ORDER BY "sendAfter", id LIMIT ${batchSize}`;
      const fresh = due.filter((row) => !seen.has(row.id));
      if (fresh.length === 0) break;
      fresh.forEach((row) => seen.add(row.id));
      await inParallel(fresh, concurrency, async ({ id }) => {
        const outcome = await this.sendOne(id, now);
        if (outcome) report[outcome] += 1;
      });
      if (due.length < batchSize) break;
    }
    const remindable = this.deps.registry.surveyChannels.list().filter(({ contribution }) => contribution.capabilities.includes('reminders')).map(({ contribution }) => contribution.code);
    for (;;) {
      const due = await this.deps.prisma.$queryRaw<Array<{ id: string }>>`
        SELECT i.id FROM "Invitation" i
          JOIN "Survey" s ON s.id = i."surveyId"
          JOIN "Customer" c ON c.id = i."customerId"
         WHERE i.status IN ('SENT', 'DELIVERED', 'OPENED', 'STARTED') AND i."remindedAt" IS NULL
           AND s."reminderAfterHours" IS NOT NULL AND s.status = 'ACTIVE'
           AND i."sentAt" + make_interval(hours => s."reminderAfterHours") <= ${now}
           AND (i."expiresAt" IS NULL OR i."expiresAt" > ${now})
           AND i.channel = ANY (${remindable}::text[])
           AND c."unsubscribedAt" IS NULL AND c."consentSurveys"
         LIMIT ${batchSize}`;
      let reminded = 0;
      await inParallel(due, concurrency, async ({ id }) => {
        if (await this.remindOne(id, now)) reminded += 1;
      });
      report.reminded += reminded;
      if (due.length < batchSize || reminded === 0) break;
    }
    return report;
  }

  private async expire(now: Date): Promise<number> {
    return this.deps.prisma.$executeRaw`
      UPDATE "Invitation" SET status = 'EXPIRED', "expiredAt" = ${now}, "updatedAt" = ${now}
       WHERE status IN ('SENT', 'DELIVERED', 'OPENED', 'STARTED', 'REMINDED') AND "expiresAt" <= ${now}`;
  }

  private async failStuck(now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - STUCK_AFTER_MS);
    await this.deps.prisma.$executeRaw`
      UPDATE "Invitation" SET status = 'FAILED', "failedAt" = ${now}, "updatedAt" = ${now},
             "failureMessage" = 'Interrupted before the channel confirmed delivery; not repeated, to avoid sending twice'
       WHERE status = 'SENDING' AND "sentAt" < ${cutoff}`;
  }

  /** Decides and sends one scheduled invitation. Returns what happened, or null when another worker had it. */
  async sendOne(id: string, now: Date): Promise<'sent' | 'skipped' | 'failed' | 'retried' | null> {
    const { prisma, registry } = this.deps;
    const claim = await prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<Array<{ id: string; customerId: string; workspaceId: string }>>`
        SELECT id, "customerId", "workspaceId" FROM "Invitation" WHERE id = ${id}::uuid AND status = 'SCHEDULED' FOR UPDATE SKIP LOCKED`;
      const row = locked[0];
      if (!row) return null;
      // Serialises decisions per customer, so the contact-pressure cap holds under concurrency.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${row.customerId}, 7302))`;
      const invitation = await tx.invitation.findUniqueOrThrow({
        where: { id },
        include: {
          survey: { include: { questions: { where: { retiredAt: null }, orderBy: { position: 'asc' }, take: 1 } } },
          customer: { include: { businessUnit: { select: { name: true } } } },
          touchpoint: { include: { order: { select: { lines: true } }, businessUnit: { select: { name: true } } } },
          workspace: true,
        },
      });
      const { survey, customer, touchpoint, workspace } = invitation;
      const periodStart = new Date(now.getTime() - workspace.contactPeriodDays * DAY);
      const sentInPeriod = await tx.invitation.count({
        where: { workspaceId: row.workspaceId, customerId: customer.id, sentAt: { gte: periodStart }, status: { in: COUNTS_AGAINST_CAP as never[] } },
      });
      const usable = await usableChannels(tx, registry, row.workspaceId);
      const lastUsed = await tx.invitation.findFirst({
        where: { workspaceId: row.workspaceId, customerId: customer.id, status: 'COMPLETED' },
        orderBy: { completedAt: 'desc' },
        select: { channel: true },
      });
      const code = chooseChannel({
        forced: invitation.channel ?? survey.channel,
        preferred: customer.preferredChannel,
        lastUsed: lastUsed?.channel ?? touchpoint?.channel ?? null,
        defaults: DEFAULT_CHANNELS,
        enabled: new Set(usable.keys()),
      });
      const chosen = code ? usable.get(code)! : null;
      const verdict = eligibility({
        now,
        surveyActive: survey.status === 'ACTIVE',
        customer,
        touchpointAt: touchpoint?.occurredAt ?? null,
        maxAgeHours: survey.maxAgeHours,
        sentInPeriod,
        cap: workspace.contactCap,
        channel: chosen ? { code: chosen.channel.code, address: chosen.channel.address, consent: chosen.channel.consent } : null,
      });
      if (!verdict.ok) {
        await tx.invitation.update({ where: { id }, data: { status: 'SKIPPED', skipReason: verdict.reason, skippedAt: now, channel: code ?? invitation.channel } });
        return { skipped: true as const };
      }
      const expiresAt = new Date(now.getTime() + survey.expiresAfterDays * DAY);
      await tx.invitation.update({ where: { id }, data: { status: 'SENDING', sentAt: now, channel: code, expiresAt } });
      const facts: MessageFacts = {
        invitation,
        survey,
        customer,
        touchpoint,
        orderLines: touchpoint?.order?.lines ?? null,
        businessUnitName: touchpoint?.businessUnit?.name ?? customer.businessUnit?.name ?? null,
        workspace,
        firstQuestion: survey.questions[0] ?? null,
        publicUrl: this.deps.publicUrl,
        isReminder: false,
        canEmbed: chosen!.channel.capabilities.includes('embed-first-question'),
      };
      return { skipped: false as const, facts, chosen: chosen! };
    });
    if (!claim) return null;
    if (claim.skipped) return 'skipped';
    const result = await deliver(claim.chosen.channel, claim.chosen.settings, buildInvitationMessage(claim.facts), this.deps.log);
    return this.recordOutcome(id, result, now);
  }

  private async recordOutcome(id: string, result: DeliveryResult, now: Date): Promise<'sent' | 'failed' | 'retried'> {
    const invitations = this.deps.prisma.invitation;
    if (result.ok) {
      await invitations.updateMany({
        where: { id, status: 'SENDING' },
        data: { status: result.status, providerMessageId: result.providerMessageId ?? null, ...(result.status === 'DELIVERED' ? { deliveredAt: now } : {}), failureMessage: null },
      });
      return 'sent';
    }
    if (result.failure === 'BOUNCED') {
      await invitations.updateMany({ where: { id, status: 'SENDING' }, data: { status: 'BOUNCED', bouncedAt: now, failureMessage: result.message } });
      return 'failed';
    }
    const current = await invitations.findUniqueOrThrow({ where: { id }, select: { attempts: true } });
    if (result.retryable && current.attempts + 1 < MAX_ATTEMPTS) {
      const backoffMs = 5 * 60_000 * 2 ** current.attempts * (0.8 + Math.random() * 0.4);
      await invitations.updateMany({
        where: { id, status: 'SENDING' },
        data: { status: 'SCHEDULED', sentAt: null, expiresAt: null, attempts: { increment: 1 }, sendAfter: new Date(now.getTime() + backoffMs), failureMessage: `${result.failure}: ${result.message}` },
      });
      return 'retried';
    }
    await invitations.updateMany({ where: { id, status: 'SENDING' }, data: { status: 'FAILED', failedAt: now, attempts: { increment: 1 }, failureMessage: `${result.failure}: ${result.message}` } });
    return 'failed';
  }

  /** Sends the one reminder; claimed by setting remindedAt, so it goes out at most once. */
  async remindOne(id: string, now: Date): Promise<boolean> {
    const { prisma, registry } = this.deps;
    const claimed = await prisma.$queryRaw<Array<{ id: string }>>`
      UPDATE "Invitation" SET "remindedAt" = ${now}, "updatedAt" = ${now},
             status = CASE WHEN status IN ('SENT', 'DELIVERED', 'OPENED') THEN 'REMINDED'::"InvitationStatus" ELSE status END
       WHERE id = ${id}::uuid AND "remindedAt" IS NULL AND status IN ('SENT', 'DELIVERED', 'OPENED', 'STARTED')
      RETURNING id`;
    if (claimed.length === 0) return false;
    const invitation = await prisma.invitation.findUniqueOrThrow({
      where: { id },
      include: {
        survey: { include: { questions: { where: { retiredAt: null }, orderBy: { position: 'asc' }, take: 1 } } },
        customer: { include: { businessUnit: { select: { name: true } } } },
        touchpoint: { include: { order: { select: { lines: true } }, businessUnit: { select: { name: true } } } },
        workspace: true,
      },
    });
    const usable = await usableChannels(prisma, registry, invitation.workspaceId);
    const chosen = invitation.channel ? usable.get(invitation.channel) : undefined;
    if (!chosen) {
      await prisma.invitation.update({ where: { id }, data: { failureMessage: `Reminder not sent: channel "${invitation.channel}" is no longer usable` } });
      return false;
    }
    const message = buildInvitationMessage({
      invitation,
      survey: invitation.survey,
      customer: invitation.customer,
      touchpoint: invitation.touchpoint,
      orderLines: invitation.touchpoint?.order?.lines ?? null,
      businessUnitName: invitation.touchpoint?.businessUnit?.name ?? invitation.customer.businessUnit?.name ?? null,
      workspace: invitation.workspace,
      firstQuestion: invitation.survey.questions[0] ?? null,
      publicUrl: this.deps.publicUrl,
      isReminder: true,
      canEmbed: chosen.channel.capabilities.includes('embed-first-question'),
    });
    const result = await deliver(chosen.channel, chosen.settings, message, this.deps.log);
    if (!result.ok) {
      await prisma.invitation.update({ where: { id }, data: { failureMessage: `Reminder: ${result.failure}: ${result.message}` } });
      return false;
    }
    return true;
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
