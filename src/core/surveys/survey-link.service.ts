import { coalescingLoader } from '../../db/coalescing-loader.js';
import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { surveyLinksByTokens, unsubscribeInvitedCustomer } from './survey-link.queries.js';

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

/**
 * Finds the invitation behind a link token (the token is the only credential), or null. Lookups
 * made while others are running share one statement (`token = ANY (...)`): under load the answer
 * path pays a fraction of a round trip for it.
 */
export function surveyLinkFinder(sql: SqlRunner): (token: string) => Promise<SurveyLink | null> {
  const loader = coalescingLoader<string, SurveyLink | null>(async (tokens) => {
    const rows = await sql.session((conn) => surveyLinksByTokens(conn, { tokens }));
    const byToken = new Map(rows.map(({ token, ...link }) => [token, link]));
    return tokens.map((token) => byToken.get(token) ?? null);
  });
  return (token) => loader.load(token);
}

/** The customer who received the invitation unsubscribes from surveys (the first time counts). */
export async function unsubscribeByInvitation(sql: SqlRunner, workspaceId: string, invitationId: string, now: Date): Promise<void> {
  await sql.session((conn) => run(conn, unsubscribeInvitedCustomer(workspaceId, invitationId, now)));
}
