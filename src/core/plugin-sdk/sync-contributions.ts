import { inWriteTransaction } from '../../db/write-transaction.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { PluginRegistry } from './registry.js';

/**
 * Records what the loaded plugins contribute. Contributions no longer provided are disabled, not
 * deleted, so rows that refer to their code keep their meaning. One transaction.
 */
export async function syncContributions(prisma: PrismaClient, registry: PluginRegistry, now = new Date()) {
  const current = registry.allContributions();
  await inWriteTransaction(prisma, async ({ prisma: tx }) => {
    for (const entry of current) {
      const data = {
        pluginName: entry.plugin.name,
        pluginVersion: entry.plugin.version,
        description: entry.contribution.description,
        capabilities: [...entry.contribution.capabilities],
        enabled: true,
        lastSeenAt: now,
        disabledAt: null,
      };
      await tx.pluginContribution.upsert({
        where: { kind_code: { kind: entry.kind, code: entry.contribution.code } },
        create: { kind: entry.kind, code: entry.contribution.code, ...data },
        update: data,
      });
    }
    const stored = await tx.pluginContribution.findMany({ where: { enabled: true } });
    const present = new Set(current.map((entry) => `${entry.kind}:${entry.contribution.code}`));
    const gone = stored.filter((row) => !present.has(`${row.kind}:${row.code}`)).map((row) => row.id);
    if (gone.length > 0) await tx.pluginContribution.updateMany({ where: { id: { in: gone } }, data: { enabled: false, disabledAt: now } });
  });
}
