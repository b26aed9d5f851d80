import { countChanged, type SqlRunner } from '../../db/sql-runner.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { globalId } from '../events/global-id.js';

export interface WorkspaceDeletion {
  workspaceId: string;
  deletedAt: Date;
  /** Rows removed per table. */
  rows: Record<string, number>;
}

/**
 * Offboarding: deletes a workspace and everything in it. The caller confirms with the workspace's
 * exact name. First, committed on its own, every API key is revoked and every webhook subscription
 * disabled with its secrets dropped: whatever happens after, nothing can call in or be signed for
 * this workspace. Then, in one transaction, the rows of every table that carries a workspace
 * (found in the catalog, so a new table is covered) are counted and removed with the workspace,
 * queued background jobs for it included.
 */
export async function deleteWorkspaceOrThrow(sql: SqlRunner, workspaceId: string, confirmName: string, now: Date): Promise<WorkspaceDeletion> {
  const [workspace] = await sql.session((conn) => conn.query<{ name: string }>(`SELECT name FROM "Workspace" WHERE id = $1::uuid`, [workspaceId]));
  if (!workspace) throw new NotFoundError('Workspace', globalId('Workspace', workspaceId));
  if (confirmName !== workspace.name) throw new ValidationError([{ path: ['input', 'confirmName'], message: 'must be the workspace name, exactly as it is written' }]);
  await sql.transaction(async (conn) => {
    await conn.query(`UPDATE "ApiKey" SET "revokedAt" = COALESCE("revokedAt", $2) WHERE "workspaceId" = $1::uuid`, [workspaceId, now]);
    await conn.query(`UPDATE "WebhookSubscription" SET status = 'DISABLED', secrets = '{}', "disabledReason" = 'workspace deleted', "updatedAt" = $2 WHERE "workspaceId" = $1::uuid`, [
      workspaceId,
      now,
    ]);
  });
  return sql.transaction(async (conn) => {
    // A large workspace may take longer than the statement timeout of ordinary requests.
    await conn.query(`SET LOCAL statement_timeout = 0`);
    const tables = await conn.query<{ table: string }>(
      `SELECT c.table_name::text AS "table" FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.table_schema = current_schema() AND c.column_name = 'workspaceId' AND t.table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const rows: Record<string, number> = {};
    for (const { table } of tables) {
      const [row] = await conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table.replace(/"/g, '')}" WHERE "workspaceId" = $1::uuid`, [workspaceId]);
      rows[table] = row?.n ?? 0;
    }
    const [jobs] = await conn.query<{ present: boolean }>(`SELECT to_regclass('pgboss.job') IS NOT NULL AS present`);
    if (jobs?.present) {
      rows['pgboss.job'] = await countChanged(conn, `DELETE FROM pgboss.job WHERE data->>'workspaceId' = $1 RETURNING 1`, [workspaceId]);
    }
    // Every table above references the workspace with ON DELETE CASCADE.
    await conn.query(`DELETE FROM "Workspace" WHERE id = $1::uuid`, [workspaceId]);
    rows.Workspace = 1;
    return { workspaceId, deletedAt: now, rows };
  });
}
