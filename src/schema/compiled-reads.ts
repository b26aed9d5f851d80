import type { RequestContext } from '../core/request-context.js';
import { compiledDelegate, nodeLoadingClient } from '../db/compiled-reads/index.js';

type Db = RequestContext['db'];
type ListModel = 'customer' | 'order' | 'touchpoint' | 'surveyResponse' | 'invitation' | 'review' | 'followUp' | 'survey' | 'segment' | 'businessUnit' | 'reviewInvitation' | 'auditEntry';

/**
 * The model's reads for a GraphQL list: one compiled statement per request for the selection
 * Pothos derived from the query, Prisma (workspace-scoped) for anything the compiler leaves out.
 */
export function listReads<K extends ListModel>(ctx: RequestContext, model: K): Db[K] {
  return compiledDelegate(ctx.surveys.sql, ctx.viewer.workspaceId, model[0]!.toUpperCase() + model.slice(1), ctx.db[model]) as unknown as Db[K];
}

const nodeClients = new WeakMap<RequestContext, Db>();

/**
 * The client Pothos loads `node(id)` and `nodes(ids)` through: the request's scoped client, with
 * lookups by id compiled and batched per request (one statement per model and selection shape).
 */
export function nodeClient(ctx: RequestContext): Db {
  if (!ctx.viewer?.workspaceId) return ctx.db;
  let client = nodeClients.get(ctx);
  if (!client) {
    client = nodeLoadingClient(ctx.surveys.sql, ctx.viewer.workspaceId, ctx.db);
    nodeClients.set(ctx, client);
  }
  return client;
}
