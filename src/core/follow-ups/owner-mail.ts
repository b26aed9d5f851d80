import type { Logger } from 'pino';
import { run } from '../../db/kysely.js';
import type { SqlConnection, SqlRunner } from '../../db/sql-runner.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { chartUrls } from '../charts/chart-link.js';
import type { Clock } from '../clock.js';
import { formatFullName } from '../customers/format-name.js';
import { globalId } from '../events/global-id.js';
import type { PluginRegistry } from '../plugin-sdk/registry.js';
import { openReplyBreachWhere } from '../reviews/reply-policy.js';
import { sendStaffMessage } from '../surveys/channel-settings.service.js';
import { localized } from '../surveys/invitation-message.js';
import { brandOf } from '../workspaces/branding.js';
import { claimDueOwnerMails, finishOwnerMail, queueFollowUpRaisedMails, queueWeeklyDigestMails } from './owner-mail.queries.js';
import { DIGEST_LIST_SIZE, digestChartAlt, followUpRaisedText, weeklyDigestText, type DigestContent, type FollowUpLine, type OwnerMailText } from './owner-mail-texts.js';

/** Retries of a mail that failed for a passing reason, after 1, 5, 30 and 120 minutes; then it is FAILED. */
export const OWNER_MAIL_RETRY_MINUTES = [1, 5, 30, 120] as const;
/** A claimed mail not finished within this time (a crashed instance) is claimed again. */
const LEASE_SECONDS = 120;
/** The local time on Monday from which the week's digest goes out. */
const DIGEST_HOUR = 8;

/**
 * Queues the immediate mails for relayed follow-up events, inside the relay's transaction: one per
 * follow-up raised for an owner (`follow_up.created`) or handed to a new owner (`follow_up.changed`
 * with an owner e-mail), unless the owner turned these mails off. Keyed by the event, so a relay
 * that runs twice queues nothing twice.
 */
export async function queueFollowUpMails(conn: SqlConnection, eventIds: string[], now: Date): Promise<number> {
  const rows = await run(conn, queueFollowUpRaisedMails(eventIds, now));
  return rows.length;
}

/**
 * Queues this week's digest for every owner who opted in, from Monday 08:00 in the workspace's
 * time zone; keyed by ISO week, so the hourly schedule queues each digest once.
 */
export async function queueWeeklyDigests(sql: SqlRunner, now: Date): Promise<number> {
  const rows = await sql.session((conn) => run(conn, queueWeeklyDigestMails(now, DIGEST_HOUR)));
  return rows.length;
}

interface ClaimedMail extends Record<string, unknown> {
  id: string;
  workspaceId: string;
  kind: 'FOLLOW_UP_RAISED' | 'WEEKLY_DIGEST';
  email: string;
  followUpId: string | null;
  attempts: number;
}

export interface OwnerMailDeps {
  sql: SqlRunner;
  prisma: PrismaClient;
  registry: PluginRegistry;
  clock: Clock;
  log: Logger;
  publicUrl: string;
  /** Signs the digest's chart link. */
  chartSecret: string;
  /** A link into the team's own tool per follow-up, `{id}` replaced by its global id. */
  followUpUrlTemplate: string | null;
}

type Outcome = { status: 'SENT' } | { status: 'SKIPPED'; reason: string } | { status: 'FAILED'; reason: string; retryable: boolean };

/**
 * Sends queued owner mails through the workspace's email channel: claimed with SKIP LOCKED and a
 * lease (instances share the work; a crashed send is tried again), retried on passing failures on
 * OWNER_MAIL_RETRY_MINUTES. The content is read when the mail goes out, so a follow-up closed or
 * handed over in the meantime is not announced, and erased words are never mailed.
 */
export class OwnerMailer {
  constructor(private readonly deps: OwnerMailDeps) {}

  async sendDue(limit = 50): Promise<number> {
    const now = this.deps.clock.now();
    const claimed = await this.deps.sql.session((conn) => run(conn, claimDueOwnerMails(now, limit, LEASE_SECONDS)));
    for (const mail of claimed) {
      let outcome: Outcome;
      try {
        outcome = await this.send(mail, now);
      } catch (error) {
        this.deps.log.error({ err: error, ownerMailId: mail.id }, 'owner mail failed');
        outcome = { status: 'FAILED', reason: error instanceof Error ? error.message : String(error), retryable: true };
      }
      await this.finish(mail, outcome);
    }
    return claimed.length;
  }

  private async finish(mail: ClaimedMail, outcome: Outcome) {
    const now = this.deps.clock.now();
    const retryIn = outcome.status === 'FAILED' && outcome.retryable ? OWNER_MAIL_RETRY_MINUTES[mail.attempts - 1] : undefined;
    const status = outcome.status === 'FAILED' && retryIn !== undefined ? 'PENDING' : outcome.status;
    if (outcome.status === 'FAILED')
      this.deps.log.warn({ ownerMailId: mail.id, kind: mail.kind, attempts: mail.attempts, retryInMinutes: retryIn ?? null, reason: outcome.reason }, 'owner mail not sent');
    await this.deps.sql.session((conn) => run(conn, finishOwnerMail(mail.id, status, now, outcome.status === 'SENT' ? null : outcome.reason, retryIn ?? 0)));
  }

  private async send(mail: ClaimedMail, now: Date): Promise<Outcome> {
    const { prisma } = this.deps;
    // One read for the time zone and the brand (brandOf checks that the brand columns are all here).
    const workspace = await prisma.workspace.findUnique({
      where: { id: mail.workspaceId },
      select: { timeZone: true, companyName: true, logoUrl: true, accentColor: true, senderName: true },
    });
    if (!workspace) return { status: 'SKIPPED', reason: 'the workspace is gone' };
    const [preference, member] = await Promise.all([
      prisma.ownerMailPreference.findUnique({ where: { workspaceId_email: { workspaceId: mail.workspaceId, email: mail.email } } }),
      prisma.member.findFirst({ where: { workspaceId: mail.workspaceId, email: mail.email, removedAt: null }, select: { name: true, locale: true } }),
    ]);
    const locale = preference?.locale ?? member?.locale ?? 'en';
    let text: OwnerMailText;
    let image: { url: string; alt: string } | undefined;
    if (mail.kind === 'FOLLOW_UP_RAISED') {
      const line = mail.followUpId ? await this.followUpLine(mail.workspaceId, mail.followUpId, locale, now) : null;
      if (!line || line.ownerEmail !== mail.email) return { status: 'SKIPPED', reason: 'the follow-up was handed over or removed before the mail went out' };
      if (line.done) return { status: 'SKIPPED', reason: 'the follow-up was done before the mail went out' };
      if (preference && !preference.followUpRaised) return { status: 'SKIPPED', reason: 'the owner turned these mails off' };
      text = followUpRaisedText(line.line, locale, workspace.timeZone);
    } else {
      if (!preference?.weeklyDigest) return { status: 'SKIPPED', reason: 'the owner turned the digest off' };
      const content = await this.digest(mail.workspaceId, mail.email, workspace.timeZone, locale, now);
      text = weeklyDigestText(content, locale, workspace.timeZone);
      image = content.chart ?? undefined;
    }
    const brand = brandOf(workspace);
    const result = await sendStaffMessage(prisma, this.deps.registry, mail.workspaceId, {
      locale,
      brand,
      recipient: { name: member?.name ?? null, email: mail.email, phone: null },
      subject: brand.companyName ? `[${brand.companyName}] ${text.subject}` : text.subject,
      text: text.text,
      replyTo: null,
      reference: mail.followUpId ? globalId('FollowUp', mail.followUpId) : globalId('OwnerMail', mail.id),
      ...(image ? { image } : {}),
    });
    if (result.ok) return { status: 'SENT' };
    return { status: 'FAILED', reason: `${result.failure}: ${result.message}`, retryable: result.retryable };
  }

  private urlOf(id: string): string | null {
    return this.deps.followUpUrlTemplate ? this.deps.followUpUrlTemplate.replaceAll('{id}', encodeURIComponent(id)) : null;
  }

  private async followUpLine(workspaceId: string, followUpId: string, locale: string, now: Date) {
    const followUp = await this.deps.prisma.followUp.findFirst({ where: { id: followUpId, workspaceId } });
    if (!followUp) return null;
    const [lines] = await this.lines(workspaceId, [followUp], locale, now);
    return { line: lines!, ownerEmail: followUp.ownerEmail?.toLowerCase() ?? null, done: followUp.status === 'DONE' };
  }

  /** Follow-ups as mail lines: where each came from (survey and question, or review source) and the customer's name. */
  private async lines(
    workspaceId: string,
    followUps: Array<{
      id: string;
      priority: string;
      score: number | null;
      comment: string | null;
      dueAt: Date;
      status: string;
      questionId: string | null;
      reviewId: string | null;
      customerId: string | null;
    }>,
    locale: string,
    now: Date,
  ): Promise<FollowUpLine[]> {
    const { prisma } = this.deps;
    const ids = <K extends 'questionId' | 'reviewId' | 'customerId'>(key: K) => [...new Set(followUps.map((f) => f[key]).filter((id): id is string => id !== null))];
    const [questions, reviews, customers] = await Promise.all([
      prisma.question.findMany({ where: { workspaceId, id: { in: ids('questionId') } }, select: { id: true, texts: true, survey: { select: { name: true, defaultLocale: true } } } }),
      prisma.review.findMany({ where: { workspaceId, id: { in: ids('reviewId') } }, select: { id: true, connection: { select: { name: true, platformCode: true } } } }),
      prisma.customer.findMany({ where: { workspaceId, id: { in: ids('customerId') } }, select: { id: true, firstName: true, infix: true, lastName: true } }),
    ]);
    const question = new Map(questions.map((q) => [q.id, `${q.survey.name}: ${localized<{ text?: string }>(q.texts, locale, q.survey.defaultLocale)?.text ?? '-'}`]));
    const review = new Map(reviews.map((r) => [r.id, `${r.connection.name} (${r.connection.platformCode})`]));
    const customer = new Map(customers.map((c) => [c.id, formatFullName(c)]));
    return followUps.map((f) => {
      const id = globalId('FollowUp', f.id);
      return {
        id,
        priority: f.priority,
        score: f.score,
        source: (f.questionId && question.get(f.questionId)) || (f.reviewId && review.get(f.reviewId)) || '-',
        customerName: (f.customerId && customer.get(f.customerId)) || null,
        comment: f.comment,
        dueAt: f.dueAt,
        overdue: f.status !== 'DONE' && f.dueAt < now,
        url: this.urlOf(id),
      };
    });
  }

  private async digest(workspaceId: string, email: string, timeZone: string, locale: string, now: Date): Promise<DigestContent> {
    const { prisma } = this.deps;
    const owned = { workspaceId, ownerEmail: { equals: email, mode: 'insensitive' as const }, status: { not: 'DONE' as const } };
    const [open, overdue, top, workspace, npsQuestions, sources] = await Promise.all([
      prisma.followUp.count({ where: owned }),
      prisma.followUp.count({ where: { ...owned, dueAt: { lt: now } } }),
      prisma.followUp.findMany({ where: owned, orderBy: [{ dueAt: 'asc' }, { id: 'asc' }], take: DIGEST_LIST_SIZE }),
      prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { reviewReplySlaHours: true, reviewReplySlaMaxStars: true } }),
      // The NPS questions whose follow-ups reach this owner: the question's own owner, else the survey's (as raising does).
      prisma.question.findMany({
        where: {
          workspaceId,
          type: 'NPS',
          OR: [{ ownerEmail: { equals: email, mode: 'insensitive' } }, { ownerEmail: null, ownerName: null, survey: { ownerEmail: { equals: email, mode: 'insensitive' } } }],
        },
        select: { id: true },
      }),
      prisma.reviewConnection.findMany({ where: { workspaceId, ownerEmail: { equals: email, mode: 'insensitive' } }, select: { id: true } }),
    ]);
    const policy = { hours: workspace.reviewReplySlaHours, maxStars: workspace.reviewReplySlaMaxStars };
    const breach = openReplyBreachWhere(policy, now);
    let reviews: DigestContent['reviews'] = null;
    if (breach && sources.length > 0) {
      const where = { ...breach, workspaceId, connectionId: { in: sources.map((s) => s.id) } };
      const [count, late] = await Promise.all([
        prisma.review.count({ where }),
        prisma.review.findMany({ where, orderBy: [{ publishedAt: 'asc' }, { id: 'asc' }], take: DIGEST_LIST_SIZE, include: { connection: { select: { name: true } } } }),
      ]);
      reviews = {
        count,
        hours: policy.hours!,
        lines: late.map((r) => ({ source: r.connection.name, stars: Math.round((1 + r.ratingNormalised * 4) * 10) / 10, publishedAt: r.publishedAt, title: r.title })),
      };
    }
    let chart: DigestContent['chart'] = null;
    if (npsQuestions.length > 0) {
      const today = localDay(now, timeZone);
      const from = `${Number(today.slice(0, 4)) - 1}${today.slice(4, 8)}01`;
      const tomorrow = localDay(new Date(now.getTime() + 86_400_000), timeZone);
      const { pngUrl } = chartUrls(this.deps.publicUrl, this.deps.chartSecret, {
        workspaceId,
        kind: 'NPS',
        bucket: 'MONTH',
        filter: { period: { from, to: tomorrow }, questionIds: npsQuestions.map((q) => q.id) },
        // A digest may be opened weeks later.
        expiresAt: now.getTime() + 35 * 86_400_000,
      });
      chart = { url: pngUrl, alt: digestChartAlt(locale) };
    }
    return { open, overdue, followUps: await this.lines(workspaceId, top, locale, now), chart, reviews };
  }
}

/** "2026-03-02": the calendar day of an instant in a time zone. */
function localDay(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
