import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { surveyLinkByToken, unsubscribeInvitedCustomer } from './survey-link.queries.js';

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
  const [row] = await sql.session((conn) => run(conn, surveyLinkByToken(token)));
  return row ?? null;
}

/** The customer who received the invitation unsubscribes from surveys (the first time counts). */
export async function unsubscribeByInvitation(sql: SqlRunner, workspaceId: string, invitationId: string, now: Date): Promise<void> {
  await sql.session((conn) => run(conn, unsubscribeInvitedCustomer(workspaceId, invitationId, now)));
}
