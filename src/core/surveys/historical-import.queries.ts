import { sql } from 'kysely';
import { db } from '../../db/kysely.js';

/**
 * The historical import's statements, built with the typed seam (src/db/kysely.ts) and run with
 * `run(conn, ...)` in the import's transaction. The rows go in as one JSON parameter each
 * (`jsonb_to_recordset`), so a batch of any size is one statement.
 */

/** The survey (no row when unknown or in another workspace). */
export const surveyForImport = (workspaceId: string, surveyId: string) => db.selectFrom('Survey').select(['id', 'defaultLocale']).where('id', '=', surveyId).where('workspaceId', '=', workspaceId);

/** Every question of the survey, retired ones included, with what validates an answer. */
export const surveyQuestionRules = (workspaceId: string, surveyId: string) =>
  db
    .selectFrom('Question')
    .select(['id', sql<string>`type::text`.as('type'), 'scaleMin', 'scaleMax', 'options', 'required', 'retiredAt'])
    .where('workspaceId', '=', workspaceId)
    .where('surveyId', '=', surveyId);

/** The ids of the workspace's customers or business units with these external ids. */
export const idsByExternalId = (table: 'Customer' | 'BusinessUnit', workspaceId: string, externalIds: readonly string[]) =>
  db
    .selectFrom(table)
    .select(['id', sql<string>`"externalId"`.as('externalId')])
    .where('workspaceId', '=', workspaceId)
    .where('externalId', '=', sql<string>`ANY (${[...externalIds]}::text[])`);

/** The responses (JSON rows), except those whose external id the workspace already has: returns those written. */
export const insertImportedResponses = (workspaceId: string, surveyId: string, rows: string, now: Date) =>
  db
    .insertInto('SurveyResponse')
    .columns(['workspaceId', 'surveyId', 'externalId', 'source', 'channel', 'locale', 'customerId', 'businessUnitId', 'journeyPhase', 'touchpointType', 'startedAt', 'completedAt', 'updatedAt'])
    .expression(
      sql`SELECT ${workspaceId}::uuid, ${surveyId}::uuid, r."externalId", 'IMPORT', r.channel, r.locale, r."customerId", r."businessUnitId", r."journeyPhase"::"JourneyPhase",
                 r."touchpointType", r."startedAt", r."completedAt", ${now}::timestamptz
            FROM jsonb_to_recordset(${rows}::jsonb) AS r("externalId" text, channel text, locale text, "customerId" uuid, "businessUnitId" uuid, "journeyPhase" text,
                                                         "touchpointType" text, "startedAt" timestamptz, "completedAt" timestamptz)`,
    )
    .onConflict((conflict) => conflict.columns(['workspaceId', 'externalId']).doNothing())
    .returning(['id', sql<string>`"externalId"`.as('externalId')]);

/** The answers of the responses written (JSON rows). */
export const insertImportedAnswers = (workspaceId: string, rows: string, now: Date) =>
  db
    .insertInto('Answer')
    .columns(['workspaceId', 'responseId', 'questionId', 'score', 'choices', 'text', 'skipped', 'answeredAt', 'updatedAt'])
    .expression(
      sql`SELECT ${workspaceId}::uuid, a."responseId", a."questionId", a.score, ARRAY(SELECT jsonb_array_elements_text(a.choices)), a.text, a.skipped, a."answeredAt", ${now}::timestamptz
            FROM jsonb_to_recordset(${rows}::jsonb) AS a("responseId" uuid, "questionId" uuid, score int, choices jsonb, text text, skipped boolean, "answeredAt" timestamptz)`,
    );

/** The survey's questions in order, for reading question columns. */
export const questionColumns = (workspaceId: string, surveyId: string) =>
  db
    .selectFrom('Question')
    .select(['id', 'position', sql<string>`type::text`.as('type')])
    .where('workspaceId', '=', workspaceId)
    .where('surveyId', '=', surveyId)
    .orderBy('position');
