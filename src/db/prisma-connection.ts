import type { PrismaClient } from '../generated/prisma/client.js';
import type { SqlConnection } from './sql-runner.js';

/**
 * An open Prisma transaction (or client) as a SqlConnection, so that statements built with the
 * typed seam (src/db/kysely.ts) run inside a transaction that also writes through Prisma models
 * (a touchpoint and the invitations it triggers commit together). The only place Prisma's raw
 * entry points are used.
 */
/** The part of a Prisma client or transaction the bridge uses. */
export type RawPrisma = Pick<PrismaClient, '$queryRawUnsafe' | '$executeRawUnsafe'>;

export function prismaConnection(tx: RawPrisma): SqlConnection {
  return {
    query: async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => tx.$queryRawUnsafe<Row[]>(text, ...params),
    async exec(text: string) {
      await tx.$executeRawUnsafe(text);
    },
  };
}
