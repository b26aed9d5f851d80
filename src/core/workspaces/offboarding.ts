import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { globalId } from '../events/global-id.js';
import {
  deleteWorkspaceJobs,
  deleteWorkspaceRow,
  disableWorkspaceSubscriptions,
  jobTablePresent,
  revokeWorkspaceKeys,
  tablesWithWorkspace,
  withoutStatementTimeout,
  workspaceName,
  workspaceRowCount,
} from './workspaces.queries.js';

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
  const [workspace] = await sql.session((conn) => run(conn, workspaceName(workspaceId)));
  if (!workspace) throw new NotFoundError('Workspace', globalId('Workspace', workspaceId));
  if (confirmName !== workspace.name) throw new ValidationError([{ path: ['input', 'confirmName'], message: 'must be the workspace name, exactly as it is written' }]);
  await sql.transaction(async (conn) => {
    await run(conn, revokeWorkspaceKeys(workspaceId, now));
    await run(conn, disableWorkspaceSubscriptions(workspaceId, now));
  });
  return sql.transaction(async (conn) => {
    await run(conn, withoutStatementTimeout());
    const rows: Record<string, number> = {};
    for (const { table } of await run(conn, tablesWithWorkspace())) {
      const [row] = await run(conn, workspaceRowCount(table, workspaceId));
      rows[table] = row?.n ?? 0;
    }
    const [jobs] = await run(conn, jobTablePresent());
    if (jobs?.present) {
      const [removed] = await run(conn, deleteWorkspaceJobs(workspaceId));
      rows['pgboss.job'] = removed?.n ?? 0;
    }
    // Every table above references the workspace with ON DELETE CASCADE.
    await run(conn, deleteWorkspaceRow(workspaceId));
    rows.Workspace = 1;
    return { workspaceId, deletedAt: now, rows };
  });
}
