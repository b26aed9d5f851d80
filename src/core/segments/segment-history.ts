import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { segmentSizesByDay } from './segments.queries.js';

/** Days of history one request may ask for. */
export const MAX_HISTORY_DAYS = 400;

/** Members at the end of each day of [from, to), in the workspace's time zone (at most 400 days). */
export async function segmentSizeHistory(sql: SqlRunner, workspaceId: string, segmentId: string, period: { from: string; to: string }): Promise<Array<{ day: string; members: number }>> {
  return sql.session((conn) => run(conn, segmentSizesByDay(workspaceId, segmentId, period.from, period.to, MAX_HISTORY_DAYS)));
}
