import { sql } from 'kysely';
import { db } from '../../db/kysely.js';

/**
 * The workspace's own statements, built with the typed seam (src/db/kysely.ts) and run with
 * `run(conn, ...)` on the caller's session or transaction.
 */

/** The workspace's id and time zone (no row when it does not exist). */
export const workspaceZone = (workspaceId: string) => db.selectFrom('Workspace').select(['id', 'timeZone']).where('id', '=', workspaceId);

/** What a chart shows of its workspace: the time zone, the company name and the accent colour (no row when it does not exist). */
export const workspaceChartFacts = (workspaceId: string) => db.selectFrom('Workspace').select(['id', 'timeZone', 'accentColor', 'companyName']).where('id', '=', workspaceId);

/** The workspace's name (no row when it does not exist). */
export const workspaceName = (workspaceId: string) => db.selectFrom('Workspace').select('name').where('id', '=', workspaceId);

/** Every API key of the workspace revoked (a key revoked earlier keeps its time). */
export const revokeWorkspaceKeys = (workspaceId: string, now: Date) =>
  db
    .updateTable('ApiKey')
    .set({ revokedAt: sql<Date>`COALESCE("revokedAt", ${now}::timestamptz)` })
    .where('workspaceId', '=', workspaceId);

/** Every webhook subscription of the workspace disabled, its secrets dropped. */
export const disableWorkspaceSubscriptions = (workspaceId: string, now: Date) =>
  db.updateTable('WebhookSubscription').set({ status: 'DISABLED', secrets: [], disabledReason: 'workspace deleted', updatedAt: now }).where('workspaceId', '=', workspaceId);

/** Statements of this transaction may run as long as they need (a large workspace takes longer than a request may). */
export const withoutStatementTimeout = () => sql`SET LOCAL statement_timeout = 0`;

/** The tables that carry a workspace, from the catalog (so a new table is covered without a change here). */
export const tablesWithWorkspace = () =>
  sql<{ table: string }>`SELECT c.table_name::text AS "table"
      FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE c.table_schema = current_schema() AND c.column_name = 'workspaceId' AND t.table_type = 'BASE TABLE'
     ORDER BY 1`;

/** How many rows of `table` (a name from tablesWithWorkspace, quoted as an identifier) belong to the workspace. */
export const workspaceRowCount = (table: string, workspaceId: string) => sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE "workspaceId" = ${workspaceId}::uuid`;

/** Whether the job queue's table exists (the queue creates it at its first start). */
export const jobTablePresent = () => sql<{ present: boolean }>`SELECT to_regclass('pgboss.job') IS NOT NULL AS present`;

/** The workspace's queued background jobs removed, counted. */
export const deleteWorkspaceJobs = (workspaceId: string) =>
  sql<{ n: number }>`WITH removed AS (DELETE FROM pgboss.job WHERE data->>'workspaceId' = ${workspaceId} RETURNING 1) SELECT count(*)::int AS n FROM removed`;

/** The workspace removed; every table that carries it references it with ON DELETE CASCADE. */
export const deleteWorkspaceRow = (workspaceId: string) => db.deleteFrom('Workspace').where('id', '=', workspaceId);
