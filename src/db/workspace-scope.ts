import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

/**
 * Models that belong to no single workspace. Every other model is tenant-owned and must carry a
 * `workspaceId` column: the scope below fails closed, so a model added later is scoped without
 * anyone remembering to list it.
 */
export const GLOBAL_MODELS: ReadonlySet<string> = new Set(['PluginContribution']);
/** The tenant table itself: readable only as the caller's own row. */
const WORKSPACE_MODEL = 'Workspace';

const WHERE_OPERATIONS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
]);

export class TenancyViolation extends Error {}

type Args = Record<string, unknown> & { where?: object; data?: unknown; create?: object };

function withWorkspace<T extends object | undefined>(value: T, workspaceId: string): T & { workspaceId: string } {
  const scoped: Record<string, unknown> = { ...(value ?? {}), workspaceId };
  // Compound unique keys such as workspaceId_externalId carry their own workspaceId: pin it too.
  for (const [key, inner] of Object.entries(scoped)) {
    if (key.startsWith('workspaceId_') && inner !== null && typeof inner === 'object') {
      scoped[key] = { ...inner, workspaceId };
    }
  }
  return scoped as T & { workspaceId: string };
}

/** Rewrites one operation's arguments so it can only touch rows of `workspaceId`. */
export function scopeArgs(model: string, operation: string, args: Args, workspaceId: string): Args {
  if (GLOBAL_MODELS.has(model)) return args;
  if (model === WORKSPACE_MODEL) {
    if (operation === 'findUnique' || operation === 'findUniqueOrThrow' || operation === 'findFirst' || operation === 'findFirstOrThrow' || operation === 'update') {
      return { ...args, where: { ...(args.where ?? {}), id: workspaceId } };
    }
    throw new TenancyViolation(`Workspace.${operation} is not allowed through a workspace-scoped client`);
  }
  if (WHERE_OPERATIONS.has(operation)) {
    return { ...args, where: withWorkspace(args.where, workspaceId) };
  }
  switch (operation) {
    case 'create':
      return { ...args, data: withWorkspace(args.data as object, workspaceId) };
    case 'createMany':
    case 'createManyAndReturn': {
      const data = Array.isArray(args.data) ? args.data : [args.data];
      return { ...args, data: data.map((row: object) => withWorkspace(row, workspaceId)) };
    }
    case 'upsert':
      return {
        ...args,
        where: withWorkspace(args.where, workspaceId),
        create: withWorkspace(args.create, workspaceId),
      };
    default:
      throw new TenancyViolation(`${model}.${operation} is not supported through a workspace-scoped client`);
  }
}

/**
 * A Prisma client that can only see and write the given workspace's rows. It is the only client
 * request handlers receive (see `Context.db`), which is how every resolver, including Pothos'
 * own relation and `node` loading, is scoped without remembering to be.
 * Raw SQL is not rewritten: core services that use it take the workspace id as a parameter.
 */
export function scopeToWorkspace(prisma: PrismaClient, workspaceId: string) {
  return prisma.$extends(
    Prisma.defineExtension({
      name: 'workspace-scope',
      query: {
        $allModels: {
          $allOperations({ model, operation, args, query }) {
            return query(scopeArgs(model, operation, args as Args, workspaceId));
          },
        },
      },
    }),
  );
}

export type ScopedPrisma = ReturnType<typeof scopeToWorkspace>;
