import { claimIdempotencyKeyOrThrow } from '../idempotency/idempotency-key.js';
import { sql } from 'kysely';
import { run } from '../../db/kysely.js';
import type { SqlConnection, SqlRunner } from '../../db/sql-runner.js';
import type { ScopedPrisma } from '../../db/workspace-scope.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { ValidationError } from '../errors.js';
import { newInvitationToken, pickVariant } from './invitation-token.js';
import { resolveLocale } from './survey-texts.js';
import { surveyLocales, surveyLocalesWith } from './survey-locales.js';

const HOUR = 3_600_000;

interface Candidate {
  touchpointId: string;
  customerId: string;
  occurredAt: Date;
  surveyId: string;
  delayHours: number;
  maxAgeHours: number;
  defaultLocale: string;
  texts: unknown;
  questionLocales: string[] | null;
  embedFirstQuestionPercent: number;
  customerLocale: string | null;
}

/**
 * Creates the invitations that new touchpoints trigger: every active survey subscribed to the
 * touchpoint's type or journey phase, sent `delayHours` after the moment. A moment older than the
 * survey's maximum age is recorded as skipped (TOO_OLD) rather than asked about. Safe to run twice
 * for the same touchpoints: one invitation per survey and touchpoint. Runs on the caller's
 * connection (the transaction that writes the touchpoints).
 */
export async function scheduleTriggeredInvitations(conn: SqlConnection, workspaceId: string, touchpoints: { ids: string[] } | { externalIds: string[] }, now: Date): Promise<number> {
  const keys = 'ids' in touchpoints ? touchpoints.ids : touchpoints.externalIds;
  if (keys.length === 0) return 0;
  const which = 'ids' in touchpoints ? sql`t.id = ANY (${touchpoints.ids}::uuid[])` : sql`t."externalId" = ANY (${touchpoints.externalIds}::text[])`;
  const candidates = await run(
    conn,
    sql<Candidate>`
      SELECT t.id AS "touchpointId", t."customerId", t."occurredAt", s.id AS "surveyId", s."delayHours", s."maxAgeHours",
             s."defaultLocale", s.texts, s."embedFirstQuestionPercent", c.locale AS "customerLocale",
             (SELECT array_agg(DISTINCT k) FROM "Question" q, jsonb_object_keys(q.texts) k WHERE q."surveyId" = s.id) AS "questionLocales"
        FROM "Touchpoint" t
        JOIN "Survey" s ON s."workspaceId" = t."workspaceId" AND s.status = 'ACTIVE'
                       AND (t.type = ANY (s."triggerTouchpointTypes") OR t."journeyPhase" = ANY (s."triggerJourneyPhases"))
        JOIN "Customer" c ON c."workspaceId" = t."workspaceId" AND c.id = t."customerId"
       WHERE t."workspaceId" = ${workspaceId}::uuid AND ${which}
         AND NOT EXISTS (SELECT 1 FROM "Invitation" i WHERE i."surveyId" = s.id AND i."touchpointId" = t.id)`,
  );
  if (candidates.length === 0) return 0;
  const rows = candidates.map((candidate) => {
    const tooOld = now.getTime() - new Date(candidate.occurredAt).getTime() > candidate.maxAgeHours * HOUR;
    return {
      surveyId: candidate.surveyId,
      customerId: candidate.customerId,
      touchpointId: candidate.touchpointId,
      token: newInvitationToken(),
      status: tooOld ? 'SKIPPED' : 'SCHEDULED',
      variant: pickVariant(candidate.embedFirstQuestionPercent),
      locale: resolveLocale(candidate.customerLocale, surveyLocalesWith(candidate.texts, candidate.questionLocales ?? []), candidate.defaultLocale),
      sendAfter: new Date(new Date(candidate.occurredAt).getTime() + candidate.delayHours * HOUR).toISOString(),
      skippedAt: tooOld ? now.toISOString() : null,
      skipReason: tooOld ? 'TOO_OLD' : null,
    };
  });
  const inserted = await run(
    conn,
    sql<{ id: string }>`
      INSERT INTO "Invitation" ("workspaceId", "surveyId", "customerId", "touchpointId", token, status, variant, locale, "sendAfter", "skippedAt", "skipReason", "updatedAt")
      SELECT ${workspaceId}::uuid, r."surveyId", r."customerId", r."touchpointId", r.token, r.status::"InvitationStatus", r.variant, r.locale, r."sendAfter",
             r."skippedAt", r."skipReason"::"SkipReason", now()
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r("surveyId" uuid, "customerId" uuid, "touchpointId" uuid, token text, status text, variant text,
             locale text, "sendAfter" timestamptz, "skippedAt" timestamptz, "skipReason" text)
      ON CONFLICT ("surveyId", "touchpointId") DO NOTHING
      RETURNING id`,
  );
  return inserted.length;
}

export interface SendSurveyInput {
  surveyId: string;
  customerIds: string[];
  channel?: string | null;
  sendAt?: Date | null;
  idempotencyKey?: string | null;
}

export const MAX_CUSTOMERS_PER_SEND = 10_000;

/**
 * Schedules one invitation per customer (sent at `sendAt`, default now). Contact pressure,
 * consent and channel are decided when each invitation goes out, and a refusal is recorded on the
 * invitation. With an idempotency key a retried call creates nothing new and returns the same invitations.
 */
export async function sendSurveyOrThrow(db: ScopedPrisma, input: SendSurveyInput, now: Date, channelExists: (code: string) => boolean, keys?: { sql: SqlRunner; workspaceId: string }) {
  const issues = [];
  if (input.customerIds.length === 0) issues.push({ path: ['input', 'customerIds'], message: 'must name at least one customer' });
  if (input.customerIds.length > MAX_CUSTOMERS_PER_SEND) issues.push({ path: ['input', 'customerIds'], message: `at most ${MAX_CUSTOMERS_PER_SEND} customers per call` });
  if (input.channel && !channelExists(input.channel)) issues.push({ path: ['input', 'channel'], message: `no survey channel "${input.channel}" is installed` });
  if (input.idempotencyKey !== undefined && input.idempotencyKey !== null && !/^[\w.:-]{1,100}$/.test(input.idempotencyKey)) {
    issues.push({ path: ['input', 'idempotencyKey'], message: 'must be 1-100 letters, digits or . : _ -' });
  }
  if (issues.length) throw new ValidationError(issues);
  if (input.idempotencyKey && keys) {
    const bound = { surveyId: input.surveyId, customerIds: input.customerIds, channel: input.channel ?? null, sendAt: input.sendAt ?? null };
    await claimIdempotencyKeyOrThrow(keys.sql, keys.workspaceId, 'sendSurvey', input.idempotencyKey, bound, 'input.idempotencyKey');
  }
  const survey = await db.survey.findFirst({ where: { id: input.surveyId }, include: { questions: { select: { texts: true } } } });
  if (!survey) throw new ValidationError([{ path: ['input', 'surveyId'], message: 'no Survey with this id exists' }]);
  if (survey.status !== 'ACTIVE') throw new ValidationError([{ path: ['input', 'surveyId'], message: `the survey is ${survey.status.toLowerCase()}; activate it first` }]);
  const unique = [...new Set(input.customerIds)];
  const customers = await db.customer.findMany({ where: { id: { in: unique } }, select: { id: true, locale: true } });
  const byId = new Map(customers.map((customer) => [customer.id, customer]));
  const missing = input.customerIds.map((id, index) => ({ id, index })).filter(({ id }) => !byId.has(id));
  if (missing.length) throw new ValidationError(missing.slice(0, 100).map(({ index }) => ({ path: ['input', 'customerIds', String(index)], message: 'no Customer with this id exists' })));
  const locales = surveyLocales(
    survey.texts,
    survey.questions.map((question) => question.texts),
  );
  const sendAfter = input.sendAt && input.sendAt > now ? input.sendAt : now;
  const created = await db.invitation.createManyAndReturn({
    skipDuplicates: true,
    data: unique.map((customerId) => ({
      surveyId: survey.id,
      customerId,
      channel: input.channel ?? null,
      token: newInvitationToken(),
      variant: pickVariant(survey.embedFirstQuestionPercent),
      locale: resolveLocale(byId.get(customerId)!.locale, locales, survey.defaultLocale),
      sendAfter,
      idempotencyKey: input.idempotencyKey ?? null,
    })) as Prisma.InvitationCreateManyInput[],
  });
  const invitations = input.idempotencyKey
    ? await db.invitation.findMany({ where: { surveyId: survey.id, customerId: { in: unique }, idempotencyKey: input.idempotencyKey }, orderBy: { createdAt: 'asc' } })
    : created;
  return { count: invitations.length, created: created.length, sendAfter, invitations };
}
