import type { PrismaClient } from '../../generated/prisma/client.js';
import { createWorkspaceWithAdminKey } from './workspace.service.js';

/**
 * On an empty embedded database, creates a first workspace and returns its admin key so that
 * `npm start` alone gives a working API. Returns null when any workspace exists.
 */
export async function ensureFirstWorkspace(prisma: PrismaClient) {
  if ((await prisma.workspace.count()) > 0) return null;
  return createWorkspaceWithAdminKey(prisma, { name: 'My workspace' });
}
