import type { PrismaClient } from '../generated/prisma/client.js';
import { scopeToWorkspace, type ScopedPrisma } from './workspace-scope.js';

/** Extending the client is not free: one scoped client per workspace, reused (at most 1000 kept). */
export function scopedClientCache(prisma: PrismaClient): (workspaceId: string) => ScopedPrisma {
  const clients = new Map<string, ScopedPrisma>();
  return (workspaceId) => {
    let client = clients.get(workspaceId);
    if (!client) {
      if (clients.size >= 1000) clients.delete(clients.keys().next().value as string);
      client = scopeToWorkspace(prisma, workspaceId);
      clients.set(workspaceId, client);
    }
    return client;
  };
}
