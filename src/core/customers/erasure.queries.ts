import { sql, type Compilable } from 'kysely';
import { db } from '../../db/kysely.js';
import { globalId, globalIdSql } from '../events/global-id.js';
import { ANSWERABLE } from '../surveys/invitation-states.js';

/**
 * An erasure's statements, built with the typed seam (src/db/kysely.ts) and run with
 * `run(conn, ...)` in the erasure's transaction. Scores, choices, statuses, amounts and dates
 * stay, so NPS, CSAT, response rates and commerce figures of past periods do not change; what names
 * or describes the person goes. The classification in personal-data.ts lists every column this covers.
 */

interface Person {
  workspaceId: string;
  customerId: string;
  now: Date;
}

/** The person's row, locked for the erasure (no row when unknown or in another workspace). */
export const lockCustomer = ({ workspaceId, customerId }: Omit<Person, 'now'>) =>
  db.selectFrom('Customer').select('erasedAt').where('workspaceId', '=', workspaceId).where('id', '=', customerId).forUpdate();

/** The receipt of an earlier erasure of the person. */
export const erasureReceipt = ({ workspaceId, customerId }: Omit<Person, 'now'>) =>
  db.selectFrom('ErasureReceipt').select(['customerId', 'erasedAt', 'apiKeyId', 'counts']).where('workspaceId', '=', workspaceId).where('customerId', '=', customerId);

/** The receipt: when, by which key, how many values per table (no personal value). */
export const recordErasureReceipt = ({ workspaceId, customerId, now }: Person, apiKeyId: string | null, counts: Record<string, number>) =>
  db.insertInto('ErasureReceipt').values({ workspaceId, customerId, apiKeyId, counts: JSON.stringify(counts), erasedAt: now });

/**
 * Every step of an erasure, in order, with the table it reports: each statement returns the ids of
 * the rows it cleared or removed (counted by `countedChanges`).
 */
export const ERASURE_STEPS: Array<{ table: string; statement(person: Person): Compilable<unknown> }> = [
  {
    table: 'Answer',
    statement: ({ workspaceId, customerId }) =>
      db
        .updateTable('Answer as a')
        .from('SurveyResponse as r')
        .set({ text: null })
        .whereRef('r.id', '=', 'a.responseId')
        .where('r.workspaceId', '=', workspaceId)
        .where('r.customerId', '=', customerId)
        .where('a.text', 'is not', null)
        .returning('a.id'),
  },
  {
    table: 'FollowUpNote',
    statement: ({ workspaceId, customerId }) =>
      db.deleteFrom('FollowUpNote as n').using('FollowUp as f').whereRef('f.id', '=', 'n.followUpId').where('f.workspaceId', '=', workspaceId).where('f.customerId', '=', customerId).returning('n.id'),
  },
  {
    table: 'FollowUp',
    statement: ({ workspaceId, customerId, now }) =>
      db.updateTable('FollowUp').set({ comment: null, updatedAt: now }).where('workspaceId', '=', workspaceId).where('customerId', '=', customerId).where('comment', 'is not', null).returning('id'),
  },
  {
    table: 'ReviewVersion',
    statement: ({ workspaceId, customerId }) =>
      db.deleteFrom('ReviewVersion as v').using('Review as r').whereRef('r.id', '=', 'v.reviewId').where('r.workspaceId', '=', workspaceId).where('r.customerId', '=', customerId).returning('v.id'),
  },
  {
    // The rating stays for review metrics; the words, the author and our reply to them go. The content
    // hash stays, so an unchanged review is not re-imported with its text by the next sync.
    table: 'Review',
    statement: ({ workspaceId, customerId, now }) =>
      db
        .updateTable('Review')
        .set({
          title: null,
          text: null,
          authorName: null,
          authorEmail: null,
          orderReference: null,
          url: null,
          replyText: null,
          replyDraft: null,
          replyAuthor: null,
          replyError: null,
          customerId: null,
          updatedAt: now,
        })
        .where('workspaceId', '=', workspaceId)
        .where('customerId', '=', customerId)
        .returning('id'),
  },
  {
    table: 'ReviewInvitation',
    statement: ({ workspaceId, customerId }) =>
      db
        .updateTable('ReviewInvitation')
        .set({ url: null, failureMessage: null })
        .where('workspaceId', '=', workspaceId)
        .where('customerId', '=', customerId)
        .where((eb) => eb.or([eb('url', 'is not', null), eb('failureMessage', 'is not', null)]))
        .returning('id'),
  },
  {
    // Open links close (a sent invitation stays sent: response rates keep their denominator);
    // invitations not sent yet are skipped.
    table: 'Invitation',
    statement: ({ workspaceId, customerId, now }) =>
      db
        .updateTable('Invitation')
        .set((eb) => {
          const open = eb('status', 'in', ANSWERABLE.values);
          const scheduled = eb('status', '=', 'SCHEDULED');
          return {
            failureMessage: null,
            providerMessageId: null,
            status: eb
              .case()
              .when(open)
              .then(sql.lit('EXPIRED' as const))
              .when(scheduled)
              .then(sql.lit('SKIPPED' as const))
              .else(eb.ref('status'))
              .end(),
            expiredAt: eb.case().when(open).then(now).else(eb.ref('expiredAt')).end(),
            skippedAt: eb.case().when(scheduled).then(now).else(eb.ref('skippedAt')).end(),
            skipReason: eb
              .case()
              .when(scheduled)
              .then(sql.lit('NO_CONSENT' as const))
              .else(eb.ref('skipReason'))
              .end(),
            updatedAt: now,
          };
        })
        .where('workspaceId', '=', workspaceId)
        .where('customerId', '=', customerId)
        .returning('id'),
  },
  {
    table: 'Touchpoint',
    statement: ({ workspaceId, customerId, now }) =>
      db
        .updateTable('Touchpoint')
        .set({ subject: null, attributes: sql`'{}'::jsonb`, updatedAt: now })
        .where('workspaceId', '=', workspaceId)
        .where('customerId', '=', customerId)
        .where((eb) => eb.or([eb('subject', 'is not', null), eb('attributes', '<>', sql`'{}'::jsonb`)]))
        .returning('id'),
  },
  {
    // Events that name the person, their responses, reviews or follow-ups keep their type and time only.
    table: 'DomainEvent',
    statement: ({ workspaceId, customerId }) =>
      db
        .updateTable('DomainEvent as e')
        .set({ data: sql`'{"erased": true}'::jsonb`, subjectId: null })
        .where('e.workspaceId', '=', workspaceId)
        .where('e.type', '<>', 'customer.erased')
        .where((eb) =>
          eb.or([
            eb(sql<string>`e.data::text`, 'like', `%${globalId('Customer', customerId)}%`),
            eb(
              'e.subjectId',
              'in',
              eb
                .selectFrom('SurveyResponse as r')
                .select(sql.raw<string>(globalIdSql('SurveyResponse', 'r.id')).as('id'))
                .where('r.workspaceId', '=', workspaceId)
                .where('r.customerId', '=', customerId),
            ),
            eb(
              'e.subjectId',
              'in',
              eb
                .selectFrom('FollowUp as f')
                .select(sql.raw<string>(globalIdSql('FollowUp', 'f.id')).as('id'))
                .where('f.workspaceId', '=', workspaceId)
                .where('f.customerId', '=', customerId),
            ),
          ]),
        )
        .returning('e.id'),
  },
  {
    table: 'Customer',
    statement: ({ workspaceId, customerId, now }) =>
      db
        .updateTable('Customer')
        .set({
          externalId: null,
          firstName: null,
          infix: null,
          lastName: null,
          salutation: 'NONE',
          email: null,
          phone: null,
          locale: null,
          ageBand: null,
          gender: null,
          incomeBand: null,
          education: null,
          maritalStatus: null,
          country: null,
          province: null,
          city: null,
          postcode: null,
          devices: [],
          apps: [],
          attributes: sql`'{}'::jsonb`,
          preferredChannel: null,
          consentEmail: false,
          consentSms: false,
          consentPhone: false,
          consentSurveys: false,
          unsubscribedAt: sql<Date>`COALESCE("unsubscribedAt", ${now}::timestamptz)`,
          erasedAt: now,
          updatedAt: now,
        })
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', customerId)
        .returning('id'),
  },
];
