import { sql } from 'kysely';
import { run } from '../../db/kysely.js';
import type { SqlConnection } from '../../db/sql-runner.js';
import { COUNTS_AGAINST_CAP } from './invitation-states.js';
import type { MessageFacts } from './invitation-message.js';
import { brandJsonSql, brandOf, type BrandColumns } from '../workspaces/branding.js';

/** Everything the dispatcher decides and writes with, for one invitation, in one statement. */
export interface InvitationFacts {
  id: string;
  workspaceId: string;
  customerId: string;
  forcedChannel: string | null;
  channel: string | null;
  token: string;
  locale: string;
  variant: string;
  surveyStatus: string;
  surveyChannel: string | null;
  maxAgeHours: number;
  expiresAfterDays: number;
  texts: unknown;
  defaultLocale: string;
  unsubscribedAt: Date | null;
  consentSurveys: boolean;
  consentEmail: boolean;
  consentSms: boolean;
  consentPhone: boolean;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  infix: string | null;
  lastName: string | null;
  salutation: 'MR' | 'MS' | 'MX' | 'NONE';
  preferredChannel: string | null;
  occurredAt: Date | null;
  subject: string | null;
  touchpointChannel: string | null;
  orderLines: unknown;
  businessUnitName: string | null;
  timeZone: string;
  brand: BrandColumns;
  contactCap: number;
  sentInPeriod: number;
  lastCompletedChannel: string | null;
  firstQuestion: { type: string; texts: unknown; scaleMin: number | null; scaleMax: number | null } | null;
}

/** The facts of several invitations in one statement (any order); the cap counts include everything committed before. */
export async function invitationFacts(conn: SqlConnection, ids: string[], now: Date): Promise<InvitationFacts[]> {
  return run(
    conn,
    sql<InvitationFacts>`
    SELECT i.id, i."workspaceId", i."customerId", i.channel AS "forcedChannel", i.channel, i.token, i.locale, i.variant,
           s.status::text AS "surveyStatus", s.channel AS "surveyChannel", s."maxAgeHours", s."expiresAfterDays", s.texts, s."defaultLocale",
           c."unsubscribedAt", c."consentSurveys", c."consentEmail", c."consentSms", c."consentPhone", c.email, c.phone,
           c."firstName", c.infix, c."lastName", c.salutation::text AS salutation, c."preferredChannel",
           t."occurredAt", t.subject, t.channel AS "touchpointChannel", o.lines AS "orderLines",
           COALESCE(tbu.name, cbu.name) AS "businessUnitName",
           ${sql.raw(brandJsonSql('w'))} AS brand,
           w."timeZone", w."contactCap",
           -- The customer's own invitations, by customer alone: the composite foreign key keeps them in the
           -- customer's workspace, and with the workspace in the condition a generically planned
           -- statement chose the (workspace, survey, customer, key) index and read every invitation
           -- of the workspace per row (dispatch slowed as the table grew: 655/s at 45,000).
           (SELECT count(*)::int FROM "Invitation" x
             WHERE x."customerId" = i."customerId"
               AND x."sentAt" >= ${now}::timestamptz - make_interval(days => w."contactPeriodDays")
               AND x.status::text = ANY (${COUNTS_AGAINST_CAP.values}::text[]))
         + (SELECT count(*)::int FROM "ReviewInvitation" y
             WHERE y."customerId" = i."customerId" AND y.status = 'SENT'
               AND y."sentAt" >= ${now}::timestamptz - make_interval(days => w."contactPeriodDays")) AS "sentInPeriod",
           (SELECT x.channel FROM "Invitation" x
             WHERE x."customerId" = i."customerId" AND x.status = 'COMPLETED'
             ORDER BY x."completedAt" DESC LIMIT 1) AS "lastCompletedChannel",
           (SELECT json_build_object('type', q.type, 'texts', q.texts, 'scaleMin', q."scaleMin", 'scaleMax', q."scaleMax")
              FROM "Question" q WHERE q."surveyId" = s.id AND q."retiredAt" IS NULL ORDER BY q.position LIMIT 1) AS "firstQuestion"
      FROM "Invitation" i
      JOIN "Survey" s ON s.id = i."surveyId"
      JOIN "Customer" c ON c.id = i."customerId"
      JOIN "Workspace" w ON w.id = i."workspaceId"
      LEFT JOIN "Touchpoint" t ON t.id = i."touchpointId"
      LEFT JOIN "Order" o ON o.id = t."orderId"
      LEFT JOIN "BusinessUnit" tbu ON tbu.id = t."businessUnitId"
      LEFT JOIN "BusinessUnit" cbu ON cbu.id = c."businessUnitId"
     WHERE i.id = ANY (${ids}::uuid[])`,
  );
}

export function messageFactsOf(facts: InvitationFacts, publicUrl: string, isReminder: boolean, canEmbed: boolean): MessageFacts {
  return {
    invitation: { id: facts.id, token: facts.token, locale: facts.locale, variant: facts.variant },
    survey: { texts: facts.texts, defaultLocale: facts.defaultLocale },
    customer: { firstName: facts.firstName, infix: facts.infix, lastName: facts.lastName, salutation: facts.salutation, email: facts.email, phone: facts.phone },
    touchpoint: facts.occurredAt ? { occurredAt: facts.occurredAt, subject: facts.subject } : null,
    orderLines: facts.orderLines,
    businessUnitName: facts.businessUnitName,
    workspace: { timeZone: facts.timeZone, brand: brandOf(facts.brand) },
    firstQuestion: facts.firstQuestion,
    publicUrl,
    isReminder,
    canEmbed,
  };
}
