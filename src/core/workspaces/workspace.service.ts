import { inWriteTransaction } from '../../db/write-transaction.js';
import { z } from 'zod';
import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import type { Prisma, PrismaClient, Workspace } from '../../generated/prisma/client.js';
import { createApiKey, type CreatedApiKey } from '../auth/api-key.service.js';
import { ValidationError } from '../errors.js';
import { ianaTimeZone, parseOrThrow } from '../validation.js';
import { brandOf, updateWorkspaceSchema, type Brand, type BrandColumns } from './branding.js';
import { workspaceZone } from './workspaces.queries.js';

export const createWorkspaceInputSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  timeZone: ianaTimeZone.default('Europe/Amsterdam'),
  companyName: updateWorkspaceSchema.shape.companyName,
  logoUrl: updateWorkspaceSchema.shape.logoUrl,
  accentColor: updateWorkspaceSchema.shape.accentColor,
  senderName: updateWorkspaceSchema.shape.senderName,
});

/** Creates a workspace and its first admin key in one transaction. */
export async function createWorkspaceWithAdminKey(prisma: PrismaClient, input: z.input<typeof createWorkspaceInputSchema>): Promise<{ workspace: Workspace; adminKey: CreatedApiKey }> {
  const parsed = createWorkspaceInputSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  return inWriteTransaction(prisma, async ({ prisma: tx }) => {
    const workspace = await tx.workspace.create({ data: parsed.data });
    const adminKey = await createApiKey(tx, workspace.id, { name: 'First admin key', scopes: ['admin'] });
    return { workspace, adminKey };
  });
}

/** Changes the workspace's name, time zone or branding (what customers see); null clears a branding field. */
export async function updateWorkspaceOrThrow(
  db: { workspace: { update(args: { where: { id: string }; data: Prisma.WorkspaceUpdateInput }): PromiseLike<Workspace> } },
  workspaceId: string,
  input: unknown,
): Promise<Workspace> {
  const data = parseOrThrow(updateWorkspaceSchema, input);
  return db.workspace.update({ where: { id: workspaceId }, data });
}

/** What customers see of a workspace: its company name, logo, accent colour and sender name. */
export async function workspaceBrand(db: { workspace: { findUniqueOrThrow(args: { where: { id: string } }): PromiseLike<BrandColumns> } }, workspaceId: string): Promise<Brand> {
  return brandOf(await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } }));
}

/** The workspace's id and time zone, or null when it does not exist (any more). */
export async function findWorkspaceZone(sql: SqlRunner, workspaceId: string): Promise<{ id: string; timeZone: string } | null> {
  const [workspace] = await sql.session((conn) => run(conn, workspaceZone(workspaceId)));
  return workspace ?? null;
}

/** The workspace's id and time zone (plain SQL: metrics read it on every request). */
export async function workspaceTimeZone(sql: SqlRunner, workspaceId: string): Promise<{ id: string; timeZone: string }> {
  const workspace = await findWorkspaceZone(sql, workspaceId);
  if (!workspace) throw new Error(`workspace ${workspaceId} does not exist`);
  return workspace;
}
