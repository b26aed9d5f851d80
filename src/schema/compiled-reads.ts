import type { RequestContext } from '../core/request-context.js';
import { compiledDelegate } from '../db/compiled-reads/index.js';

type Db = RequestContext['db'];
type ListModel = 'customer' | 'order' | 'touchpoint' | 'surveyResponse' | 'invitation' | 'review' | 'followUp' | 'survey' | 'segment' | 'businessUnit' | 'reviewInvitation' | 'auditEntry';

/**
 * The model's reads for a GraphQL list: one compiled statement per request for the selection
 * Pothos derived from the query, Prisma (workspace-scoped) for anything the compiler leaves out.
 */
export function listReads<K extends ListModel>(ctx: RequestContext, model: K): Db[K] {
  return compiledDelegate(ctx.surveys.sql, ctx.viewer.workspaceId, model[0]!.toUpperCase() + model.slice(1), ctx.db[model]) as unknown as Db[K];
}
