import { OUTBOX_INSERT } from '../events/record-events.js';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { db, run } from '../../db/kysely.js';
import type { SqlConnection, SqlRunner } from '../../db/sql-runner.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Clock } from '../clock.js';
import { contactRefusal } from '../customers/contact-consent.js';
import { globalIdSql } from '../events/global-id.js';
import type { PluginRegistry } from '../plugin-sdk/registry.js';
import type { DeliveryResult, SurveyChannel } from '../plugin-sdk/survey-channel.js';
import { usableChannels, type UsableChannel } from './channel-settings.service.js';
import { chooseChannel, eligibility } from './eligibility.js';
import { invitationFacts, messageFactsOf, type InvitationFacts } from './invitation-facts.js';
import { buildInvitationMessage } from './invitation-message.js';
import { ANSWERABLE, MARKED_REMINDED, REMINDABLE } from './invitation-states.js';

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
  sql: SqlRunner;
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
/** Invitations decided together in one transaction. (Each bulk UPDATE also names its ids as an array: a recordset alone is estimated at 100 rows and planned as a scan of the whole table.) */
const CHUNK = 50;

type Outcome = 'sent' | 'skipped' | 'failed' | 'retried';
type Claim = { id: string; facts: InvitationFacts; chosen: UsableChannel };

/**
 * Moves invitations through their lifecycle: sends what is due, the one reminder, expiry. Every
 * step claims its rows with a conditional update or FOR UPDATE SKIP LOCKED, so several server
 * instances can run it at once and nothing is sent twice. State lives only in the database, so a
 * restart loses nothing. Sending works in chunks: one transaction locks a chunk's invitations and
 * their customers (in a fixed order), reads their facts in one statement, decides each (the cap
 * counts what this chunk already decided for the same customer) and writes the decisions in two
 * statements; the sends follow, and their outcomes are written together.
 */
export class InvitationDispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  /** One pass over everything due now, in batches of `batchSize`, until nothing is left. */
  async dispatchDue(options: { batchSize?: number; concurrency?: number } = {}): Promise<DispatchReport> {
    const batchSize = options.batchSize ?? 500;
    const concurrency = options.concurrency ?? 4;
    const now = this.deps.clock.now();
    const report: DispatchReport = { sent: 0, skipped: 0, failed: 0, retried: 0, reminded: 0, expired: 0 };
    report.expired = await this.expire(now);
    await this.failStuck(now);
    const seen = new Set<string>();
    const channels = new ChannelCache(this.deps);
    for (;;) {
      const due = await this.deps.sql.session((conn) =>
        run(conn, db.selectFrom('Invitation').select(['id', 'workspaceId']).where('status', '=', 'SCHEDULED').where('sendAfter', '<=', now).orderBy('sendAfter').orderBy('id').limit(batchSize)),
      );
      const fresh = due.filter((row) => !seen.has(row.id));
      if (fresh.length === 0) break;
      fresh.forEach((row) => seen.add(row.id));
      // Channel settings are read before any chunk's transaction (PGlite has a single connection).
      for (const workspaceId of new Set(fresh.map((row) => row.workspaceId))) await channels.of(workspaceId, this.deps.prisma);
      const chunks = Array.from({ length: Math.ceil(fresh.length / CHUNK) }, (_, index) => fresh.slice(index * CHUNK, (index + 1) * CHUNK).map((row) => row.id));
      await inParallel(chunks, concurrency, async (ids) => {
        for (const outcome of await this.sendBatch(ids, now, channels)) report[outcome] += 1;
      });
      if (due.length < batchSize) break;
    }
    const remindable = this.deps.registry.surveyChannels
      .list()
      .filter(({ contribution }) => contribution.capabilities.includes('reminders'))
      .map(({ contribution }) => contribution.code);
    for (;;) {
      const due = await this.deps.sql.session((conn) =>
        run(
          conn,
          sql<{ id: string; workspaceId: string }>`
            SELECT i.id, i."workspaceId" FROM "Invitation" i
              JOIN "Survey" s ON s.id = i."surveyId"
              JOIN "Customer" c ON c.id = i."customerId"
             WHERE i.status::text = ANY (${REMINDABLE.values}::text[]) AND i."remindedAt" IS NULL
               AND s."reminderAfterHours" IS NOT NULL AND s.status = 'ACTIVE'
               AND i."sentAt" + make_interval(hours => s."reminderAfterHours") <= ${now}
               AND (i."expiresAt" IS NULL OR i."expiresAt" > ${now})
               AND i.channel = ANY (${remindable}::text[])
               AND c."unsubscribedAt" IS NULL AND c."consentSurveys"
             LIMIT ${batchSize}`,
        ),
      );
      for (const workspaceId of new Set(due.map((row) => row.workspaceId))) await channels.of(workspaceId, this.deps.prisma);
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
    const rows = await this.deps.sql.session((conn) =>
      run(
        conn,
        db
          .updateTable('Invitation')
          .set({ status: 'EXPIRED', expiredAt: now, updatedAt: now })
          .where(sql<boolean>`status::text = ANY (${ANSWERABLE.values}::text[])`)
          .where('expiresAt', '<=', now)
          .returning('id'),
      ),
    );
    return rows.length;
  }

  private async failStuck(now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - STUCK_AFTER_MS);
    await this.deps.sql.session((conn) =>
      run(
        conn,
        db
          .updateTable('Invitation')
          .set({ status: 'FAILED', failedAt: now, updatedAt: now, failureMessage: 'Interrupted before the channel confirmed delivery; not repeated, to avoid sending twice' })
          .where('status', '=', 'SENDING')
          .where('sentAt', '<', cutoff),
      ),
    );
  }

  /**
   * Decides a chunk of scheduled invitations in one transaction and sends those that may go.
   * Invitations another worker holds (or already moved on) are left out of the outcomes.
   */
  private async sendBatch(ids: string[], now: Date, channels: ChannelCache): Promise<Outcome[]> {
    const decided = await this.deps.sql.transaction(async (conn) => {
      const locked = await run(conn, db.selectFrom('Invitation').select(['id', 'customerId']).where('id', 'in', ids).where('status', '=', 'SCHEDULED').orderBy('id').forUpdate().skipLocked());
      if (locked.length === 0) return { skipped: 0, claims: [] as Claim[] };
      // Serialises decisions per customer, so the contact-pressure cap holds under concurrency; a fixed order avoids deadlocks.
      const customers = [...new Set(locked.map((row) => row.customerId))].sort();
      await run(conn, sql`SELECT pg_advisory_xact_lock(hashtextextended(c, 7302)) FROM (SELECT c FROM unnest(${customers}::text[]) AS c ORDER BY c) AS ordered`);
      const factsById = new Map(
        (
          await invitationFacts(
            conn,
            locked.map((row) => row.id),
            now,
          )
        ).map((facts) => [facts.id, facts]),
      );
      const decidedForCustomer = new Map<string, number>();
      const skips: Array<{ id: string; reason: string; channel: string | null }> = [];
      const sends: Array<{ id: string; channel: string; expiresAt: string }> = [];
      const claims: Claim[] = [];
      // In the order they fell due, as one by one would have taken them.
      for (const id of ids) {
        const facts = factsById.get(id);
        if (!facts) continue;
        const usable = channels.known(facts.workspaceId);
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
          sentInPeriod: facts.sentInPeriod + (decidedForCustomer.get(facts.customerId) ?? 0),
          cap: facts.contactCap,
          channel: chosen ? { code: chosen.channel.code, address: chosen.channel.address, consent: chosen.channel.consent } : null,
        });
        if (!verdict.ok) {
          skips.push({ id, reason: verdict.reason, channel: code ?? facts.forcedChannel });
          continue;
        }
        decidedForCustomer.set(facts.customerId, (decidedForCustomer.get(facts.customerId) ?? 0) + 1);
        sends.push({ id, channel: code!, expiresAt: new Date(now.getTime() + facts.expiresAfterDays * DAY).toISOString() });
        claims.push({ id, facts, chosen: chosen! });
      }
      if (skips.length > 0) {
        await run(
          conn,
          sql`UPDATE "Invitation" i SET status = 'SKIPPED', "skipReason" = d.reason::"SkipReason", "skippedAt" = ${now}, channel = d.channel, "updatedAt" = ${now}
                FROM jsonb_to_recordset(${JSON.stringify(skips)}::jsonb) AS d(id uuid, reason text, channel text)
               WHERE i.id = d.id AND i.id = ANY (${skips.map((skip) => skip.id)}::uuid[])`,
        );
      }
      if (sends.length > 0) {
        await run(
          conn,
          sql`UPDATE "Invitation" i SET status = 'SENDING', "sentAt" = ${now}, channel = d.channel, "expiresAt" = d."expiresAt", "updatedAt" = ${now}
                FROM jsonb_to_recordset(${JSON.stringify(sends)}::jsonb) AS d(id uuid, channel text, "expiresAt" timestamptz)
               WHERE i.id = d.id AND i.id = ANY (${sends.map((send) => send.id)}::uuid[])`,
        );
      }
      return { skipped: skips.length, claims };
    });
    const outcomes: Outcome[] = Array.from({ length: decided.skipped }, () => 'skipped' as const);
    const results: Array<{ id: string; result: DeliveryResult }> = [];
    await inParallel(decided.claims, 8, async (claim) => {
      const message = buildInvitationMessage(messageFactsOf(claim.facts, this.deps.publicUrl, false, claim.chosen.channel.capabilities.includes('embed-first-question')));
      results.push({ id: claim.id, result: await deliver(claim.chosen.channel, claim.chosen.settings, message, this.deps.log) });
    });
    outcomes.push(...(await this.recordOutcomes(results, now)));
    return outcomes;
  }

  /** Successes in one statement; failures (rare) one by one, with their retry or bounce. */
  private async recordOutcomes(results: Array<{ id: string; result: DeliveryResult }>, now: Date): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    const delivered = results.flatMap(({ id, result }) => (result.ok ? [{ id, status: result.status, providerMessageId: result.providerMessageId ?? null }] : []));
    await this.deps.sql.session(async (conn) => {
      if (delivered.length > 0) {
        await run(
          conn,
          sql`UPDATE "Invitation" i SET status = d.status::"InvitationStatus", "providerMessageId" = d."providerMessageId",
                     "deliveredAt" = CASE WHEN d.status = 'DELIVERED' THEN ${now}::timestamptz ELSE i."deliveredAt" END, "failureMessage" = NULL, "updatedAt" = ${now}
                FROM jsonb_to_recordset(${JSON.stringify(delivered)}::jsonb) AS d(id uuid, status text, "providerMessageId" text)
               WHERE i.id = d.id AND i.id = ANY (${delivered.map((row) => row.id)}::uuid[]) AND i.status = 'SENDING'`,
        );
        outcomes.push(...delivered.map(() => 'sent' as const));
      }
      for (const { id, result } of results) if (!result.ok) outcomes.push(await this.recordFailure(conn, id, result, now));
    });
    return outcomes;
  }

  private async recordFailure(conn: SqlConnection, id: string, result: Extract<DeliveryResult, { ok: false }>, now: Date): Promise<'failed' | 'retried'> {
    const message = `${result.failure}: ${result.message}`.slice(0, 2000);
    if (result.failure === 'BOUNCED') {
      // The bounce and its event in one statement: the event exists exactly when the status changed.
      await run(
        conn,
        sql`WITH bounced AS (
              UPDATE "Invitation" SET status = 'BOUNCED', "bouncedAt" = ${now}, "failureMessage" = ${result.message.slice(0, 2000)}, "updatedAt" = ${now}
               WHERE id = ${id}::uuid AND status = 'SENDING'
              RETURNING id, "workspaceId", "surveyId", "customerId", channel)
            ${sql.raw(OUTBOX_INSERT)}
            SELECT b."workspaceId", 'invitation.bounced', ${sql.raw(globalIdSql('Invitation', 'b.id'))},
                   jsonb_build_object('invitationId', ${sql.raw(globalIdSql('Invitation', 'b.id'))}, 'surveyId', ${sql.raw(globalIdSql('Survey', 'b."surveyId"'))},
                                      'customerId', ${sql.raw(globalIdSql('Customer', 'b."customerId"'))}, 'channel', b.channel, 'reason', ${result.message.slice(0, 500)}::text), ${now}
              FROM bounced b`,
      );
      return 'failed';
    }
    const [current] = await run(conn, db.selectFrom('Invitation').select('attempts').where('id', '=', id));
    const attempts = current?.attempts ?? 0;
    if (result.retryable && attempts + 1 < MAX_ATTEMPTS) {
      const backoffMs = 5 * 60_000 * 2 ** attempts * (0.8 + Math.random() * 0.4);
      await run(
        conn,
        db
          .updateTable('Invitation')
          .set((eb) => ({
            status: 'SCHEDULED',
            sentAt: null,
            expiresAt: null,
            attempts: eb('attempts', '+', 1),
            sendAfter: new Date(now.getTime() + backoffMs),
            failureMessage: message,
            updatedAt: now,
          }))
          .where('id', '=', id)
          .where('status', '=', 'SENDING'),
      );
      return 'retried';
    }
    await run(
      conn,
      db
        .updateTable('Invitation')
        .set((eb) => ({ status: 'FAILED', failedAt: now, attempts: eb('attempts', '+', 1), failureMessage: message, updatedAt: now }))
        .where('id', '=', id)
        .where('status', '=', 'SENDING'),
    );
    return 'failed';
  }

  /** Sends the one reminder; claimed by setting remindedAt, so it goes out at most once. */
  async remindOne(id: string, now: Date, channels = new ChannelCache(this.deps)): Promise<boolean> {
    const note = (text: string) =>
      this.deps.sql.session((conn) =>
        run(
          conn,
          db
            .updateTable('Invitation')
            .set({ failureMessage: text.slice(0, 2000) })
            .where('id', '=', id),
        ),
      );
    const facts = await this.deps.sql.session(async (conn) => {
      const claimed = await run(
        conn,
        sql<{ id: string }>`
          UPDATE "Invitation" SET "remindedAt" = ${now}, "updatedAt" = ${now},
                 status = CASE WHEN status::text = ANY (${MARKED_REMINDED.values}::text[]) THEN 'REMINDED'::"InvitationStatus" ELSE status END
           WHERE id = ${id}::uuid AND "remindedAt" IS NULL AND status::text = ANY (${REMINDABLE.values}::text[])
          RETURNING id`,
      );
      if (claimed.length === 0) return null;
      return (await invitationFacts(conn, [id], now))[0]!;
    });
    if (!facts) return false;
    const chosen = facts.channel ? (await channels.of(facts.workspaceId, this.deps.prisma)).get(facts.channel) : undefined;
    if (!chosen) {
      await note(`Reminder not sent: channel "${facts.channel}" is no longer usable`);
      return false;
    }
    // Consent may have been withdrawn since the invitation went out: the same rule as for sending.
    const refusal = contactRefusal(facts, 'SURVEY', chosen.channel.consent, now);
    if (refusal) {
      await note(`Reminder not sent: ${refusal === 'UNSUBSCRIBED' ? 'the customer unsubscribed' : `no consent for ${chosen.channel.consent}`}`);
      return false;
    }
    const message = buildInvitationMessage(messageFactsOf(facts, this.deps.publicUrl, true, chosen.channel.capabilities.includes('embed-first-question')));
    const result = await deliver(chosen.channel, chosen.settings, message, this.deps.log);
    if (!result.ok) {
      await note(`Reminder: ${result.failure}: ${result.message}`);
      return false;
    }
    return true;
  }
}

/** Usable channels per workspace, read once per dispatcher pass instead of once per invitation. */
class ChannelCache {
  private readonly byWorkspace = new Map<string, Promise<Map<string, UsableChannel>>>();
  constructor(private readonly deps: Pick<DispatcherDeps, 'registry'>) {}
  private readonly loaded = new Map<string, Map<string, UsableChannel>>();
  of(workspaceId: string, reader: Parameters<typeof usableChannels>[0]): Promise<Map<string, UsableChannel>> {
    let found = this.byWorkspace.get(workspaceId);
    if (!found) {
      found = usableChannels(reader, this.deps.registry, workspaceId).then((channels) => {
        this.loaded.set(workspaceId, channels);
        return channels;
      });
      this.byWorkspace.set(workspaceId, found);
    }
    return found;
  }
  /** A workspace's channels read earlier in this pass (inside a transaction no other read may run). */
  known(workspaceId: string): Map<string, UsableChannel> {
    const channels = this.loaded.get(workspaceId);
    if (!channels) throw new Error(`channels of workspace ${workspaceId} were not read before deciding`);
    return channels;
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
