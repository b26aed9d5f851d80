import type { PrismaClient } from '../generated/prisma/client.js';
import { prismaConnection, type RawPrisma } from './prisma-connection.js';
import type { SqlConnection } from './sql-runner.js';

/**
 * The transaction of a write that goes through Prisma models: the client (workspace-scoped when the
 * caller's was) and the seam's connection, on one database transaction. Outbox events
 * (`recordEvents`) and statements built with Kysely (`run`) take `conn`; model writes take
 * `prisma`. Writes that need no model use the runner's own transaction (`sql.transaction(conn =>
 * ...)`), whose `conn` is the same type: every multi-statement write hands its statements one
 * `SqlConnection`.
 */
export interface WriteTransaction<Client> {
  prisma: Client;
  conn: SqlConnection;
}

type TransactionClient = { $transaction: unknown };

/** Limits of a long write (Prisma's defaults: 5 s to run, 2 s to get a connection). */
export interface WriteTransactionOptions {
  timeout?: number;
  maxWait?: number;
}

/** Runs `work` in one transaction of the Prisma client `db` (scoped or not); it commits when `work` resolves. */
export function inWriteTransaction<Client extends TransactionClient, T>(db: Client, work: (tx: WriteTransaction<Client>) => Promise<T>, options?: WriteTransactionOptions): Promise<T> {
  return (db as unknown as PrismaClient).$transaction(async (tx) => work({ prisma: tx as unknown as Client, conn: prismaConnection(tx as unknown as RawPrisma) }), options);
}
