import type { SqlRunner } from '../../db/sql-runner.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { PluginRegistry } from '../plugin-sdk/registry.js';
import { recomputeSegment } from './segment.service.js';

/**
 * Recomputes every dynamic segment of one workspace (or of all), one segment per transaction. A
 * segment whose model is no longer installed is skipped and reported, not failed.
 */
export async function recomputeDynamicSegments(prisma: PrismaClient, sql: SqlRunner, registry: PluginRegistry, now: Date, workspaceId?: string) {
  const segments = await prisma.segment.findMany({ where: { kind: 'DYNAMIC', ...(workspaceId ? { workspaceId } : {}) }, orderBy: { id: 'asc' } });
  const report = { recomputed: 0, skipped: [] as string[], entered: 0, left: 0 };
  for (const segment of segments) {
    if (!segment.modelCode || !registry.segmentationModels.has(segment.modelCode)) {
      report.skipped.push(segment.id);
      continue;
    }
    const result = await recomputeSegment(sql, registry, segment, now);
    report.recomputed += 1;
    report.entered += result.entered;
    report.left += result.left;
  }
  return report;
}
