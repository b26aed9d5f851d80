import { run, runCounted } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { NotFoundError } from '../errors.js';
import { globalId } from '../events/global-id.js';
import { recordEvents } from '../events/record-events.js';
import { ERASURE_STEPS, erasureReceipt, lockCustomer, recordErasureReceipt } from './erasure.queries.js';

export type ErasureReceipt = {
  customerId: string;
  erasedAt: Date;
  apiKeyId: string | null;
  /** Values removed or cleared per table. */
  counts: Record<string, number>;
};

/**
 * Erases a person (GDPR art. 17) in one transaction: every personal value about them is removed
 * from every table (see ERASURE_STEPS), a `customer.erased` event (id only) tells webhooks and
 * subscribers, and a receipt without personal values records when, by which key and how much.
 * Repeating it returns the first receipt. An unknown id, or another workspace's, is NotFound.
 */
export async function eraseCustomerOrThrow(sql: SqlRunner, workspaceId: string, customerId: string, actor: { apiKeyId: string | null }, now: Date): Promise<ErasureReceipt> {
  return sql.transaction(async (conn) => {
    const person = { workspaceId, customerId, now };
    const [customer] = await run(conn, lockCustomer(person));
    if (!customer) throw new NotFoundError('Customer', globalId('Customer', customerId));
    if (customer.erasedAt) {
      const [receipt] = await run(conn, erasureReceipt(person));
      if (receipt) return receipt as ErasureReceipt;
    }
    const counts: Record<string, number> = {};
    for (const step of ERASURE_STEPS) counts[step.table] = await runCounted(conn, step.statement(person));
    await recordEvents(conn, [{ workspaceId, type: 'customer.erased', subjectId: globalId('Customer', customerId), data: { customerId: globalId('Customer', customerId) }, occurredAt: now }]);
    await run(conn, recordErasureReceipt(person, actor.apiKeyId, counts));
    return { customerId, erasedAt: now, apiKeyId: actor.apiKeyId, counts };
  });
}
