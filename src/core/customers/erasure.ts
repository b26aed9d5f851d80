import { countChanged, type SqlConnection, type SqlRunner } from '../../db/sql-runner.js';
import { NotFoundError } from '../errors.js';
import { globalId, globalIdSql } from '../events/global-id.js';
import { recordEvents } from '../events/record-events.js';
import { ANSWERABLE } from '../surveys/invitation-states.js';

export type ErasureReceipt = {
  customerId: string;
  erasedAt: Date;
  apiKeyId: string | null;
  /** Values removed or cleared per table. */
  counts: Record<string, number>;
};

/**
 * Every statement of an erasure, in order, each returning how many rows it cleared or removed.
 * $1 workspace, $2 customer, $3 now, $4 the answerable invitation statuses. Scores, choices, statuses, amounts and dates stay, so NPS, CSAT,
 * response rates and commerce figures of past periods do not change; what names or describes the
 * person goes. The classification in personal-data.ts lists every column this covers.
 */
const STEPS: Array<{ table: string; sql: string }> = [
  {
    table: 'Answer',
    sql: `UPDATE "Answer" a SET text = NULL FROM "SurveyResponse" r
           WHERE r.id = a."responseId" AND r."workspaceId" = $1::uuid AND r."customerId" = $2::uuid AND a.text IS NOT NULL RETURNING 1`,
  },
  {
    table: 'FollowUpNote',
    sql: `DELETE FROM "FollowUpNote" n USING "FollowUp" f
           WHERE f.id = n."followUpId" AND f."workspaceId" = $1::uuid AND f."customerId" = $2::uuid RETURNING 1`,
  },
  {
    table: 'FollowUp',
    sql: `UPDATE "FollowUp" SET comment = NULL, "updatedAt" = $3 WHERE "workspaceId" = $1::uuid AND "customerId" = $2::uuid AND comment IS NOT NULL RETURNING 1`,
  },
  {
    table: 'ReviewVersion',
    sql: `DELETE FROM "ReviewVersion" v USING "Review" r
           WHERE r.id = v."reviewId" AND r."workspaceId" = $1::uuid AND r."customerId" = $2::uuid RETURNING 1`,
  },
  {
    // The rating stays for review metrics; the words, the author and our reply to them go. The content
    // hash stays, so an unchanged review is not re-imported with its text by the next sync.
    table: 'Review',
    sql: `UPDATE "Review" SET title = NULL, text = NULL, "authorName" = NULL, "authorEmail" = NULL, "orderReference" = NULL, url = NULL,
                 "replyText" = NULL, "replyDraft" = NULL, "replyAuthor" = NULL, "replyError" = NULL, "customerId" = NULL, "updatedAt" = $3
           WHERE "workspaceId" = $1::uuid AND "customerId" = $2::uuid RETURNING 1`,
  },
  {
    table: 'ReviewInvitation',
    sql: `UPDATE "ReviewInvitation" SET url = NULL, "failureMessage" = NULL
           WHERE "workspaceId" = $1::uuid AND "customerId" = $2::uuid AND (url IS NOT NULL OR "failureMessage" IS NOT NULL) RETURNING 1`,
  },
  {
    // Open links close (a sent invitation stays sent: response rates keep their denominator);
    // invitations not sent yet are skipped.
    table: 'Invitation',
    sql: `UPDATE "Invitation" SET "failureMessage" = NULL, "providerMessageId" = NULL,
                 status = CASE WHEN status::text = ANY ($4::text[]) THEN 'EXPIRED'::"InvitationStatus" WHEN status = 'SCHEDULED' THEN 'SKIPPED'::"InvitationStatus" ELSE status END,
                 "expiredAt" = CASE WHEN status::text = ANY ($4::text[]) THEN $3 ELSE "expiredAt" END,
                 "skippedAt" = CASE WHEN status = 'SCHEDULED' THEN $3 ELSE "skippedAt" END,
                 "skipReason" = CASE WHEN status = 'SCHEDULED' THEN 'NO_CONSENT'::"SkipReason" ELSE "skipReason" END,
                 "updatedAt" = $3
           WHERE "workspaceId" = $1::uuid AND "customerId" = $2::uuid RETURNING 1`,
  },
  {
    table: 'Touchpoint',
    sql: `UPDATE "Touchpoint" SET subject = NULL, attributes = '{}'::jsonb, "updatedAt" = $3
           WHERE "workspaceId" = $1::uuid AND "customerId" = $2::uuid AND (subject IS NOT NULL OR attributes <> '{}'::jsonb) RETURNING 1`,
  },
  {
    // Events that name the person, their responses, reviews or follow-ups keep their type and time only.
    table: 'DomainEvent',
    sql: `UPDATE "DomainEvent" e SET data = '{"erased": true}'::jsonb, "subjectId" = NULL
           WHERE e."workspaceId" = $1::uuid AND e.type <> 'customer.erased'
             AND (e.data::text LIKE '%' || ${globalIdSql('Customer', '$2::uuid')} || '%'
                  OR e."subjectId" IN (SELECT ${globalIdSql('SurveyResponse', 'r.id')} FROM "SurveyResponse" r WHERE r."workspaceId" = $1::uuid AND r."customerId" = $2::uuid)
                  OR e."subjectId" IN (SELECT ${globalIdSql('FollowUp', 'f.id')} FROM "FollowUp" f WHERE f."workspaceId" = $1::uuid AND f."customerId" = $2::uuid))
           RETURNING 1`,
  },
  {
    table: 'Customer',
    sql: `UPDATE "Customer" SET "externalId" = NULL, "firstName" = NULL, infix = NULL, "lastName" = NULL, salutation = 'NONE', email = NULL, phone = NULL,
                 locale = NULL, "ageBand" = NULL, gender = NULL, "incomeBand" = NULL, education = NULL, "maritalStatus" = NULL, country = NULL,
                 province = NULL, city = NULL, postcode = NULL, devices = '{}', apps = '{}', attributes = '{}'::jsonb, "preferredChannel" = NULL,
                 "consentEmail" = false, "consentSms" = false, "consentPhone" = false, "consentSurveys" = false,
                 "unsubscribedAt" = COALESCE("unsubscribedAt", $3), "erasedAt" = $3, "updatedAt" = $3
           WHERE "workspaceId" = $1::uuid AND id = $2::uuid RETURNING 1`,
  },
];

/** Runs one step with the parameters it uses ($1 ... $n of `params`) and counts the rows it changed. */
function count(conn: SqlConnection, sql: string, params: unknown[]): Promise<number> {
  const used = Math.max(...[...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
  return countChanged(conn, sql, params.slice(0, used));
}

/**
 * Erases a person (GDPR art. 17) in one transaction: every personal value about them is removed
 * from every table (see STEPS), a `customer.erased` event (id only) tells webhooks and
 * subscribers, and a receipt without personal values records when, by which key and how much.
 * Repeating it returns the first receipt. An unknown id, or another workspace's, is NotFound.
 */
export async function eraseCustomerOrThrow(sql: SqlRunner, workspaceId: string, customerId: string, actor: { apiKeyId: string | null }, now: Date): Promise<ErasureReceipt> {
  return sql.transaction(async (conn) => {
    const [customer] = await conn.query<{ erasedAt: Date | null }>(`SELECT "erasedAt" FROM "Customer" WHERE "workspaceId" = $1::uuid AND id = $2::uuid FOR UPDATE`, [workspaceId, customerId]);
    if (!customer) throw new NotFoundError('Customer', globalId('Customer', customerId));
    if (customer.erasedAt) {
      const [receipt] = await conn.query<ErasureReceipt>(`SELECT "customerId", "erasedAt", "apiKeyId", counts FROM "ErasureReceipt" WHERE "workspaceId" = $1::uuid AND "customerId" = $2::uuid`, [
        workspaceId,
        customerId,
      ]);
      if (receipt) return receipt;
    }
    const counts: Record<string, number> = {};
    for (const step of STEPS) {
      counts[step.table] = await count(conn, step.sql, [workspaceId, customerId, now, ANSWERABLE.values]);
    }
    await recordEvents(conn, [{ workspaceId, type: 'customer.erased', subjectId: globalId('Customer', customerId), data: { customerId: globalId('Customer', customerId) }, occurredAt: now }]);
    await conn.query(`INSERT INTO "ErasureReceipt" ("workspaceId", "customerId", "apiKeyId", counts, "erasedAt") VALUES ($1::uuid, $2::uuid, $3::uuid, $4::jsonb, $5)`, [
      workspaceId,
      customerId,
      actor.apiKeyId,
      JSON.stringify(counts),
      now,
    ]);
    return { customerId, erasedAt: now, apiKeyId: actor.apiKeyId, counts };
  });
}
