import type { SqlRunner } from '../../db/sql-runner.js';

/** What answering through a survey link needs to know about it, in one statement. */
export interface SurveyLink {
  id: string;
  workspaceId: string;
  status: string;
  expiresAt: Date | null;
  locale: string;
  surveyStatus: string;
  /** The survey's current questions, in order. */
  questions: string[] | null;
}

/** The invitation behind a link token (the token is the only credential), or null. */
export async function findSurveyLink(sql: SqlRunner, token: string): Promise<SurveyLink | null> {
  const [row] = await sql.session((conn) =>
    conn.query<SurveyLink & Record<string, unknown>>(
      `SELECT i.id, i."workspaceId", i.status::text AS status, i."expiresAt", i.locale, s.status::text AS "surveyStatus",
              (SELECT json_agg(q.id ORDER BY q.position) FROM "Question" q WHERE q."surveyId" = i."surveyId" AND q."retiredAt" IS NULL) AS questions
         FROM "Invitation" i JOIN "Survey" s ON s.id = i."surveyId"
        WHERE i.token = $1`,
      [token],
    ),
  );
  return row ?? null;
}

/** The customer who received the invitation unsubscribes from surveys (the first time counts). */
export async function unsubscribeByInvitation(sql: SqlRunner, workspaceId: string, invitationId: string, now: Date): Promise<void> {
  await sql.session((conn) =>
    conn.query(
      `UPDATE "Customer" c SET "unsubscribedAt" = COALESCE(c."unsubscribedAt", $3), "updatedAt" = $3
         FROM "Invitation" i
        WHERE i.id = $2::uuid AND i."workspaceId" = $1::uuid AND c.id = i."customerId" AND c."workspaceId" = i."workspaceId"`,
      [workspaceId, invitationId, now],
    ),
  );
}
