import { sql, type InferResult } from 'kysely';
import { db, preparedStatement } from '../../db/kysely.js';

/**
 * The survey link's statements, built with the typed seam (src/db/kysely.ts): the invitation
 * behind a token, and unsubscribing the customer it went to.
 */

/** The invitations link tokens name, their surveys' status and current questions in order (any workspace: the token is the credential). */
const linksQuery = (tokens: readonly string[]) =>
  db
    .selectFrom('Invitation as i')
    .innerJoin('Survey as s', 's.id', 'i.surveyId')
    .select((eb) => [
      'i.id',
      'i.token',
      'i.workspaceId',
      sql<string>`i.status::text`.as('status'),
      'i.expiresAt',
      'i.locale',
      sql<string>`s.status::text`.as('surveyStatus'),
      eb
        .selectFrom('Question as q')
        .select(sql<string[] | null>`json_agg(q.id ORDER BY q.position)`.as('ids'))
        .whereRef('q.surveyId', '=', 'i.surveyId')
        .where('q.retiredAt', 'is', null)
        .as('questions'),
    ])
    .where('i.token', '=', sql<string>`ANY (${tokens}::text[])`);

/** Compiled once; the tokens go in as one array parameter. */
export const surveyLinksByTokens = preparedStatement<{ tokens: readonly string[] }, InferResult<ReturnType<typeof linksQuery>>[number]>(['tokens'], (p) => linksQuery(p.tokens));

/** The invitation's customer unsubscribes from surveys; the first time counts. */
export const unsubscribeInvitedCustomer = (workspaceId: string, invitationId: string, now: Date) =>
  db
    .updateTable('Customer as c')
    .from('Invitation as i')
    .set({ unsubscribedAt: sql`COALESCE(c."unsubscribedAt", ${now})`, updatedAt: now })
    .where('i.id', '=', invitationId)
    .where('i.workspaceId', '=', workspaceId)
    .whereRef('c.id', '=', 'i.customerId')
    .whereRef('c.workspaceId', '=', 'i.workspaceId');
