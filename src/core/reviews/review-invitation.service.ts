import { randomUUID } from 'node:crypto';
import type { ScopedPrisma } from '../../db/workspace-scope.js';
import type { ReviewInvitation } from '../../generated/prisma/client.js';
import { findOrThrow } from '../commerce/references.js';
import { SelectiveInvitationRefusedError, ValidationError } from '../errors.js';
import { PlatformError } from '../plugin-sdk/index.js';
import { sendDirectMessage } from '../surveys/channel-settings.service.js';
import { COUNTS_AGAINST_CAP } from '../surveys/invitation-states.js';
import type { ReviewRuntime } from './review-runtime.js';
import { contactRefusal } from '../customers/contact-consent.js';
import { formatFullName } from '../customers/format-name.js';
import { wordsFor, type Language } from '../i18n/languages.js';
import { salutationLine } from '../surveys/salutation.js';
import { brandOf, type BrandColumns } from '../workspaces/branding.js';
import { run } from '../../db/kysely.js';
import { dueReviewMoments, lockCustomerForInvitation, reserveReviewInvitation, reviewInvitationFacts } from './reviews.queries.js';

export type ReviewMoment = 'MANUAL' | 'TOUCHPOINT' | 'REPEAT_ORDER' | 'PROMOTER_SCORE';

interface CustomerFacts extends Record<string, unknown> {
  email: string | null;
  firstName: string | null;
  infix: string | null;
  lastName: string | null;
  locale: string | null;
  externalId: string | null;
  unsubscribedAt: Date | null;
  consentSurveys: boolean;
  consentEmail: boolean;
  consentSms: boolean;
  consentPhone: boolean;
  contactCap: number;
  contacted: number;
  brand: BrandColumns;
}

export interface InviteRequest {
  workspaceId: string;
  customerId: string;
  connectionId: string;
  moment: ReviewMoment;
  /** One invitation per cause: the touchpoint, order or response, or the caller's idempotency key. */
  sourceKey: string;
  ruleId?: string | null;
}

/**
 * Asks one customer for a review on one platform, under the same rules as survey invitations:
 * unsubscribed customers and those without consent are skipped, and the workspace's contact-
 * pressure cap counts survey and review invitations together. The cap slot is taken in a
 * transaction that locks the customer (so two concurrent invitations cannot both take the last
 * slot); the platform is called after it and a failure gives the slot back.
 * Idempotent per (source, customer, sourceKey): a repeated request returns the first result.
 */
export async function inviteToReview(rt: ReviewRuntime, request: InviteRequest): Promise<ReviewInvitation> {
  const existing = await rt.prisma.reviewInvitation.findUnique({
    where: { connectionId_customerId_sourceKey: { connectionId: request.connectionId, customerId: request.customerId, sourceKey: request.sourceKey } },
  });
  if (existing && existing.workspaceId === request.workspaceId) return existing;
  const connection = await rt.prisma.reviewConnection.findFirstOrThrow({ where: { id: request.connectionId, workspaceId: request.workspaceId } });
  const { platform, call } = rt.calls.forConnection(connection);
  const now = rt.clock.now();
  const reserved = await rt.sql.transaction(async (conn) => {
    // Lock the customer before counting: counts read in the locking statement itself would come
    // from before a concurrent invitation committed, and both could take the last slot.
    await run(conn, lockCustomerForInvitation(request.workspaceId, request.customerId));
    const [facts]: CustomerFacts[] = await run(conn, reviewInvitationFacts(request.workspaceId, request.customerId, COUNTS_AGAINST_CAP.values, now));
    if (!facts) throw new ValidationError([{ path: ['input', 'customerId'], message: 'no such customer' }]);
    // Every review invitation reaches the customer by e-mail (the platform's own, or ours with the link).
    const refusal = contactRefusal(facts, 'REVIEW_REQUEST', 'email', now);
    const skipReason = refusal ? refusal : facts.contacted >= facts.contactCap ? 'CONTACT_CAP' : !facts.email ? 'NO_ADDRESS' : null;
    const [row] = await run(
      conn,
      reserveReviewInvitation({
        workspaceId: request.workspaceId,
        connectionId: request.connectionId,
        customerId: request.customerId,
        ruleId: request.ruleId ?? null,
        moment: request.moment,
        sourceKey: request.sourceKey,
        skipReason,
        now,
      }),
    );
    return { id: row?.id ?? null, facts, skipped: skipReason !== null };
  });
  if (!reserved.id)
    return rt.prisma.reviewInvitation.findUniqueOrThrow({
      where: { connectionId_customerId_sourceKey: { connectionId: request.connectionId, customerId: request.customerId, sourceKey: request.sourceKey } },
    });
  if (reserved.skipped) return rt.prisma.reviewInvitation.findUniqueOrThrow({ where: { id: reserved.id } });
  const { facts } = reserved;
  try {
    if (!platform.createInvitation) throw new PlatformError('rejected', `${platform.displayName} cannot invite customers`);
    const name = formatFullName(facts);
    const result = await platform.createInvitation(call, {
      email: facts.email!,
      name,
      firstName: facts.firstName,
      lastName: [facts.infix, facts.lastName].filter(Boolean).join(' ') || null,
      reference: facts.externalId ?? request.customerId,
      locale: facts.locale,
    });
    if (!result.sentByPlatform && result.url && !result.duplicate) {
      const delivery = await emailReviewLink(rt, request.workspaceId, facts, platform.displayName, result.url, reserved.id);
      if (!delivery.ok) return await rt.prisma.reviewInvitation.update({ where: { id: reserved.id }, data: { url: result.url, status: 'FAILED', sentAt: null, failureMessage: delivery.message } });
    }
    return await rt.prisma.reviewInvitation.update({ where: { id: reserved.id }, data: { url: result.url, duplicate: result.duplicate } });
  } catch (error) {
    const message = error instanceof PlatformError ? `${platform.displayName}: ${error.message}` : 'The invitation failed unexpectedly';
    if (!(error instanceof PlatformError)) rt.log.error({ err: error, invitation: reserved.id }, 'review invitation failed');
    return rt.prisma.reviewInvitation.update({ where: { id: reserved.id }, data: { status: 'FAILED', sentAt: null, failureMessage: message } });
  }
}

interface ReviewMailWords {
  subject(company: string | null, platform: string): string;
  body(greeting: string, company: string | null, platform: string, url: string): string;
}

/** The review-link mail in each built-in language; without a company name it speaks of "us". */
const REVIEW_MAIL: Record<Language, ReviewMailWords> = {
  nl: {
    subject: (company, platform) => `Wilt u ${company ?? 'ons'} beoordelen op ${platform}?`,
    body: (greeting, company, platform, url) =>
      `${greeting},\n\nBedankt voor uw vertrouwen in ${company ?? 'ons'}. Wilt u uw ervaring delen op ${platform}? Het kost een minuut:\n\n${url}\n\nMet vriendelijke groet,\n${company ?? 'het klantenservice-team'}`,
  },
  en: {
    subject: (company, platform) => `Would you review ${company ?? 'us'} on ${platform}?`,
    body: (greeting, company, platform, url) =>
      `${greeting},\n\nThank you for choosing ${company ?? 'us'}. Would you share your experience on ${platform}? It takes a minute:\n\n${url}\n\nKind regards,\n${company ?? 'the customer service team'}`,
  },
  de: {
    subject: (company, platform) => `Möchten Sie ${company ?? 'uns'} auf ${platform} bewerten?`,
    body: (greeting, company, platform, url) =>
      `${greeting},\n\nvielen Dank für Ihr Vertrauen in ${company ?? 'uns'}. Möchten Sie Ihre Erfahrung auf ${platform} teilen? Es dauert nur eine Minute:\n\n${url}\n\nMit freundlichen Grüßen\n${company ?? 'Ihr Kundenservice-Team'}`,
  },
  fr: {
    subject: (company, platform) => (company ? `Voulez-vous évaluer ${company} sur ${platform} ?` : `Voulez-vous nous évaluer sur ${platform} ?`),
    body: (greeting, company, platform, url) =>
      `${greeting},\n\nMerci de votre confiance${company ? ` en ${company}` : ''}. Voulez-vous partager votre expérience sur ${platform} ? Cela prend une minute :\n\n${url}\n\nCordialement,\n${company ?? 'l’équipe du service client'}`,
  },
};

/**
 * Platforms that only hand out a review link (Google, Trustpilot links) leave it to us to reach the
 * customer: a short personal email through the workspace's email channel, in the customer's
 * language, from the company as customers know it.
 */
async function emailReviewLink(
  rt: ReviewRuntime,
  workspaceId: string,
  facts: CustomerFacts,
  platformName: string,
  url: string,
  invitationId: string,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const locale = facts.locale ?? 'nl';
  const words = wordsFor(REVIEW_MAIL, locale);
  const brand = brandOf(facts.brand);
  const greeting = salutationLine({ firstName: facts.firstName, infix: null, lastName: null, salutation: 'NONE' }, locale);
  const name = formatFullName(facts);
  const result = await sendDirectMessage(
    rt.prisma,
    rt.registry,
    workspaceId,
    {
      locale,
      brand,
      recipient: { name, email: facts.email, phone: null },
      subject: words.subject(brand.companyName, platformName),
      text: words.body(greeting, brand.companyName, platformName, url),
      replyTo: null,
      reference: `review-invitation:${invitationId}`,
    },
    { customer: facts, purpose: 'REVIEW_REQUEST', now: rt.clock.now() },
  );
  if (!result.ok && result.failure === 'NO_CHANNEL') return { ok: false, message: `${platformName} returned a review link, but no email channel is configured to send it` };
  return result.ok ? { ok: true } : { ok: false, message: `The review link could not be emailed (${result.failure}): ${result.message}` };
}

export interface RuleInput {
  connectionId: string;
  moment: ReviewMoment;
  touchpointType?: string | null;
  audience?: 'ALL' | 'PROMOTERS_ONLY' | null;
  delayHours?: number | null;
  maxAgeHours?: number | null;
}

/**
 * A rule that invites customers after a positive moment. Platforms that forbid review gating
 * (Google, Trustpilot) refuse rules that would invite only promoters; the error names the
 * compliant alternative: invite everyone after the moment.
 */
export async function createReviewRuleOrThrow(db: ScopedPrisma, rt: ReviewRuntime, input: RuleInput) {
  const connection = await findOrThrow(db.reviewConnection.findFirst({ where: { id: input.connectionId } }), 'ReviewSource', input.connectionId);
  const platform = rt.calls.platformOrThrow(connection.platformCode);
  if (!platform.capabilities.includes('invite')) throw new ValidationError([{ path: ['input', 'sourceId'], message: `${platform.displayName} cannot invite customers` }]);
  if (input.moment === 'MANUAL') throw new ValidationError([{ path: ['input', 'moment'], message: 'a rule reacts to a moment: TOUCHPOINT, REPEAT_ORDER or PROMOTER_SCORE' }]);
  if (input.moment === 'TOUCHPOINT' && !input.touchpointType?.trim())
    throw new ValidationError([{ path: ['input', 'touchpointType'], message: 'name the touchpoint type, for example "order_delivered" or "referral"' }]);
  const alternative = 'Invite every customer after the moment instead: moment TOUCHPOINT (for example "order_delivered") or REPEAT_ORDER, with audience ALL.';
  if (!platform.allowsSelectiveInvitations) {
    if (input.audience === 'PROMOTERS_ONLY') throw new SelectiveInvitationRefusedError('input.audience', platform.displayName, alternative);
    if (input.moment === 'PROMOTER_SCORE') throw new SelectiveInvitationRefusedError('input.moment', platform.displayName, alternative);
  }
  const delayHours = input.delayHours ?? 24;
  const maxAgeHours = input.maxAgeHours ?? 336;
  if (delayHours < 0 || delayHours > 24 * 60) throw new ValidationError([{ path: ['input', 'delayHours'], message: 'must be between 0 and 1440' }]);
  if (maxAgeHours <= delayHours) throw new ValidationError([{ path: ['input', 'maxAgeHours'], message: 'must be more than delayHours' }]);
  return db.reviewInvitationRule.create({
    data: {
      connectionId: connection.id,
      moment: input.moment,
      touchpointType: input.moment === 'TOUCHPOINT' ? input.touchpointType!.trim() : null,
      audience: input.audience ?? 'ALL',
      delayHours,
      maxAgeHours,
      // Moments from before the rule existed are not acted on.
      processedUntil: rt.clock.now(),
    } as never,
  });
}

/**
 * Runs every active rule over the moments that became due since its last run (moment time plus
 * the rule's delay), ignoring moments older than its maximum age. Safe to repeat and to run on
 * several instances: invitations are unique per cause.
 */
export async function runReviewRules(rt: ReviewRuntime, workspaceId?: string): Promise<number> {
  const now = rt.clock.now();
  const rules = await rt.prisma.reviewInvitationRule.findMany({ where: { active: true, ...(workspaceId ? { workspaceId } : {}), connection: { status: { not: 'DISABLED' } } } });
  let invited = 0;
  for (const rule of rules) {
    const until = new Date(now.getTime() - rule.delayHours * 3_600_000);
    const oldest = new Date(now.getTime() - rule.maxAgeHours * 3_600_000);
    const from = rule.processedUntil > oldest ? rule.processedUntil : oldest;
    if (until <= from) continue;
    const moments = await rt.sql.session((conn) => run(conn, dueReviewMoments(rule, from, until)));
    for (const moment of moments) {
      const invitation = await inviteToReview(rt, {
        workspaceId: rule.workspaceId,
        customerId: moment.customerId,
        connectionId: rule.connectionId,
        moment: rule.moment,
        sourceKey: moment.sourceKey,
        ruleId: rule.id,
      });
      if (invitation.status === 'SENT') invited += 1;
    }
    await rt.prisma.reviewInvitationRule.update({ where: { id: rule.id }, data: { processedUntil: until } });
  }
  return invited;
}

export const manualSourceKey = (key: string | null | undefined) => `manual:${key ?? randomUUID()}`;
