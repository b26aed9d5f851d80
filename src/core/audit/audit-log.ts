import type { Prisma } from '../../generated/prisma/client.js';

export type ActorType = 'API_KEY' | 'MEMBER' | 'CLI' | 'RETENTION';

export interface AuditRecord {
  workspaceId: string;
  actorType: ActorType;
  apiKeyId: string | null;
  memberId?: string | null;
  operation: string;
  targetIds: string[];
  outcome: string;
  requestId: string | null;
  occurredAt: Date;
}

const MAX_TARGETS = 100;

/**
 * The ids an operation names, from its arguments: every string under a key `id` or ending in `Id`
 * (external ids excepted), and every string of a list under a key ending in `Ids`. Nothing else is kept, so no personal
 * value (a name, an e-mail, a text) reaches the log.
 */
export function targetIdsOf(args: unknown): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, key: string | null) => {
    if (found.size >= MAX_TARGETS || value === null || value === undefined) return;
    if (typeof value === 'string') {
      // External ids are the shop's or CRM's own references to a person: not kept.
      if (key !== null && (key === 'id' || /[a-z]Id$/.test(key)) && !/[eE]xternalId$/.test(key)) found.add(value);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) visit(item, key !== null && /[a-z]Ids$/.test(key) ? 'id' : null);
      return;
    }
    if (typeof value === 'object') for (const [name, inner] of Object.entries(value)) visit(inner, name);
  };
  visit(args, null);
  return [...found].slice(0, MAX_TARGETS);
}

/** Writes one audit entry. */
export async function recordAudit(db: { auditEntry: { create(args: { data: Prisma.AuditEntryUncheckedCreateInput }): PromiseLike<unknown> } }, record: AuditRecord): Promise<void> {
  await db.auditEntry.create({ data: record });
}
