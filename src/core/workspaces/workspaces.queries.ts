import { db } from '../../db/kysely.js';

/** The workspace's id and time zone (no row when it does not exist). Built with the typed seam (src/db/kysely.ts). */
export const workspaceZone = (workspaceId: string) => db.selectFrom('Workspace').select(['id', 'timeZone']).where('id', '=', workspaceId);
