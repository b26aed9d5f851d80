import { z } from 'zod';
import type { SqlRunner } from '../../db/sql-runner.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { createApiKey, type CreatedApiKey } from '../auth/api-key.service.js';
import { ValidationError } from '../errors.js';

export const createWorkspaceInputSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  timeZone: z
    .string()
    .refine((zone) => Intl.supportedValuesOf('timeZone').includes(zone) || zone === 'UTC', {
      message: 'must be an IANA time zone such as Europe/Amsterdam',
    })
    .default('Europe/Amsterdam'),
});

/** Creates a workspace and its first admin key in one transaction. */
export async function createWorkspaceWithAdminKey(
  prisma: PrismaClient,
  input: z.input<typeof createWorkspaceInputSchema>,
): Promise<{ workspace: { id: string; name: string; timeZone: string }; adminKey: CreatedApiKey }> {
  const parsed = createWorkspaceInputSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  return prisma.$transaction(async (tx) => {
    const workspace = await tx.workspace.create({ data: parsed.data });
    const adminKey = await createApiKey(tx, workspace.id, { name: 'First admin key', scopes: ['admin'] });
    return { workspace, adminKey };
  });
}

/** The workspace's id and time zone (plain SQL: metrics read it on every request). */
export async function workspaceTimeZone(sql: SqlRunner, workspaceId: string): Promise<{ id: string; timeZone: string }> {
  const [workspace] = await sql.session((conn) => conn.query<{ id: string; timeZone: string }>('SELECT id, "timeZone" FROM "Workspace" WHERE id = $1::uuid', [workspaceId]));
  if (!workspace) throw new Error(`workspace ${workspaceId} does not exist`);
  return workspace;
}
