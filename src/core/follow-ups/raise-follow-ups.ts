import { sql, type RawBuilder } from 'kysely';
import { OUTBOX_INSERT } from '../events/record-events.js';
import { globalIdSql } from '../events/global-id.js';
import { NPS_GROUPS } from '../metrics/score-groups.js';

/** Without a rule, answers at or below these scores raise a follow-up: NPS detractors (0-6), CSAT 1-2, CES 1-3. */
export const DEFAULT_SCORE_MAX: Record<string, number> = { NPS: NPS_GROUPS.DETRACTORS.max, CSAT: 2, CES: 3 };
/** The same as SQL over a question `q`: null for question types without a default. */
const DEFAULT_SCORE_MAX_SQL = `CASE q.type ${Object.entries(DEFAULT_SCORE_MAX)
  .map(([type, max]) => `WHEN '${type}' THEN ${max}`)
  .join(' ')} END`;
const SCALE_MIN = `CASE q.type WHEN 'NPS' THEN 0 WHEN 'CSAT' THEN 1 WHEN 'CES' THEN 1 ELSE COALESCE(q."scaleMin", 1) END`;

/** Priority from how far the score is into the flagged band: the worst score URGENT, the lower half HIGH, the rest MEDIUM. */
const PRIORITY = (score: string, min: string, max: string) =>
  `(CASE WHEN ${score} <= ${min} THEN 'URGENT' WHEN ${score} <= ${min} + (${max} - ${min}) / 2.0 THEN 'HIGH' ELSE 'MEDIUM' END)::"FollowUpPriority"`;

/**
 * Completing responses, as CTEs to add to the statement that writes their answers: the responses
 * (`"updateResponse"`: those written before this statement) and their invitations marked complete,
 * each response's `response.completed` event, and a follow-up for each answer at or below its
 * threshold (the question's rule, else the survey's, else the default for its type), for the
 * question's owner, due after the workspace's follow-up SLA, with the customer's open answers as the
 * comment, each with its `follow_up.created` event.
 *
 * `input` names a CTE with one row per response: "workspaceId", "responseId", "invitationId",
 * "customerId", now, data (the completed event's), "updateResponse". `answers` names one with every
 * answer of those responses as it stands after the statement ("workspaceId", "responseId",
 * "questionId", score, text, skipped): a statement does not see its own writes, so the caller
 * combines what it writes with what was stored. `after` names a CTE whose events come first (they
 * get the earlier sequence numbers). Adds `follow_up_events` (RETURNING id), and the CTEs it needs.
 */
export function completionCtes(input: string, answers: string, after: string): string {
  return `response_done AS (
       UPDATE "SurveyResponse" r SET "completedAt" = x.now, "updatedAt" = x.now
         FROM ${input} x WHERE x."updateResponse" AND r.id = x."responseId" AND r."workspaceId" = x."workspaceId"
       RETURNING 1),
     invitation_done AS (
       UPDATE "Invitation" i SET status = 'COMPLETED', "completedAt" = x.now, "startedAt" = COALESCE(i."startedAt", x.now), "updatedAt" = x.now
         FROM ${input} x WHERE i.id = x."invitationId" AND i."workspaceId" = x."workspaceId"
       RETURNING 1),
     completed_event AS (
       ${OUTBOX_INSERT}
       SELECT x."workspaceId", 'response.completed', ${globalIdSql('SurveyResponse', 'x."responseId"')}, x.data, x.now FROM ${input} x
        -- Reading the earlier events first makes them run first.
        WHERE (SELECT count(*) FROM ${after}) >= 0
       RETURNING 1),
     flagged AS (
       SELECT a."workspaceId", a."responseId", a."questionId", x."customerId", a.score, x.now,
              -- The question's own owner, else the survey's (the standard question usually has none of its own).
              CASE WHEN q."ownerName" IS NOT NULL OR q."ownerEmail" IS NOT NULL THEN q."ownerName" ELSE s."ownerName" END AS "ownerName",
              CASE WHEN q."ownerName" IS NOT NULL OR q."ownerEmail" IS NOT NULL THEN q."ownerEmail" ELSE s."ownerEmail" END AS "ownerEmail",
              w."followUpSlaHours",
              ${SCALE_MIN} AS min,
              COALESCE(qr."scoreMax", sr."scoreMax", ${DEFAULT_SCORE_MAX_SQL}) AS max,
              (SELECT string_agg(o.text, E'\\n' ORDER BY oq.position) FROM ${answers} o JOIN "Question" oq ON oq.id = o."questionId"
                WHERE o."responseId" = a."responseId" AND o.text IS NOT NULL AND NOT o.skipped) AS comment
         FROM ${input} x
         JOIN ${answers} a ON a."responseId" = x."responseId" AND a."workspaceId" = x."workspaceId"
         JOIN "Question" q ON q.id = a."questionId"
         JOIN "Survey" s ON s.id = q."surveyId"
         JOIN "Workspace" w ON w.id = a."workspaceId"
         LEFT JOIN "FollowUpRule" qr ON qr."workspaceId" = a."workspaceId" AND qr."questionId" = q.id
         LEFT JOIN "FollowUpRule" sr ON sr."workspaceId" = a."workspaceId" AND sr."surveyId" = q."surveyId" AND sr."questionId" IS NULL
        WHERE NOT a.skipped AND a.score IS NOT NULL),
     created AS (
       INSERT INTO "FollowUp" ("workspaceId", "responseId", "questionId", "customerId", score, comment, "ownerName", "ownerEmail", priority, "dueAt", "createdAt", "updatedAt")
       SELECT f."workspaceId", f."responseId", f."questionId", f."customerId", f.score, f.comment, f."ownerName", f."ownerEmail",
              ${PRIORITY('f.score', 'f.min', 'f.max')}, f.now + make_interval(hours => f."followUpSlaHours"), f.now, f.now
         FROM flagged f WHERE f.max IS NOT NULL AND f.score <= f.max
       ON CONFLICT ("responseId", "questionId") DO NOTHING
       RETURNING id, "workspaceId", "responseId", "customerId", score, priority, "ownerEmail", "dueAt", "createdAt"),
     follow_up_events AS (
       ${OUTBOX_INSERT}
       SELECT c."workspaceId", 'follow_up.created', ${globalIdSql('FollowUp', 'c.id')},
              jsonb_build_object('followUpId', ${globalIdSql('FollowUp', 'c.id')}, 'responseId', ${globalIdSql('SurveyResponse', 'c."responseId"')},
                                 'customerId', CASE WHEN c."customerId" IS NOT NULL THEN ${globalIdSql('Customer', 'c."customerId"')} END,
                                 'score', c.score, 'priority', c.priority, 'ownerEmail', c."ownerEmail", 'dueAt', c."dueAt"), c."createdAt"
         FROM created c
        -- Reading the completed events first makes them run first: they get the earlier sequence numbers.
        WHERE (SELECT count(*) FROM completed_event) >= 0
       RETURNING id)`;
}

/**
 * The same for reviews, as CTEs to append to the statement that writes them: `written` must be a
 * CTE returning id, "workspaceId", "connectionId", "customerId", "ratingNormalised", title, text,
 * "deletedAt" and inserted; `now` the time (a value or a statement parameter); `after` the CTE writing the
 * reviews' own events, which get the earlier sequence numbers. Adds `review_follow_ups` and
 * `review_follow_up_events`. One statement, so the review, its follow-up and both events commit
 * together without extra round trips.
 */
export function reviewFollowUpCtes(now: unknown, after: string): RawBuilder<unknown> {
  return sql`review_follow_ups AS (
       INSERT INTO "FollowUp" ("workspaceId", "reviewId", "customerId", score, comment, "ownerName", "ownerEmail", priority, "dueAt", "createdAt", "updatedAt")
       SELECT w."workspaceId", w.id, w."customerId", 1 + w."ratingNormalised" * 4, NULLIF(concat_ws(E'\n', w.title, w.text), ''), s."ownerName", s."ownerEmail",
              ${sql.raw(PRIORITY('(1 + w."ratingNormalised" * 4)', '1', 'ws."reviewFollowUpMaxStars"'))}, ${now}::timestamptz + make_interval(hours => ws."followUpSlaHours"), ${now}::timestamptz, ${now}::timestamptz
         FROM written w
         JOIN "ReviewConnection" s ON s.id = w."connectionId"
         JOIN "Workspace" ws ON ws.id = w."workspaceId"
        WHERE w.inserted AND w."deletedAt" IS NULL AND 1 + w."ratingNormalised" * 4 <= ws."reviewFollowUpMaxStars" + 1e-9
       ON CONFLICT ("reviewId") DO NOTHING
       RETURNING id, "workspaceId", "reviewId", "customerId", score, priority, "ownerEmail", "dueAt"),
     review_follow_up_events AS (
       ${sql.raw(OUTBOX_INSERT)}
       SELECT c."workspaceId", 'follow_up.created', ${sql.raw(globalIdSql('FollowUp', 'c.id'))},
              jsonb_build_object('followUpId', ${sql.raw(globalIdSql('FollowUp', 'c.id'))}, 'reviewId', ${sql.raw(globalIdSql('Review', 'c."reviewId"'))},
                                 'customerId', CASE WHEN c."customerId" IS NOT NULL THEN ${sql.raw(globalIdSql('Customer', 'c."customerId"'))} END,
                                 'score', c.score, 'priority', c.priority, 'ownerEmail', c."ownerEmail", 'dueAt', c."dueAt"), ${now}::timestamptz
         FROM review_follow_ups c
        -- Reading the review events first makes them run first: their sequence numbers come before these.
        WHERE (SELECT count(*) FROM ${sql.table(after)}) >= 0)`;
}
