import { actorOf } from '../core/auth/viewer.js';
import { defaultFieldResolver, getNamedType, isObjectType, isUnionType, type GraphQLFieldConfig, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { recordAudit, targetIdsOf } from '../core/audit/audit-log.js';
import { globalId } from '../core/events/global-id.js';
import { domainCodeOf } from '../core/errors.js';
import type { RequestContext } from '../core/request-context.js';
import { knownErrorCode } from './error-code.js';

/** Reads that are audited like writes: they hand out everything held on a person. */
const AUDITED_QUERIES = new Set(['exportCustomerData', 'responseExportLink']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The node type a mutation returns in its payload (Customer for createCustomer), when it is a node. */
function returnedNodeType(info: GraphQLResolveInfo): string | null {
  const type = getNamedType(info.returnType);
  const payload = isUnionType(type) ? type.getTypes().find((member) => member.name.endsWith('Payload')) : isObjectType(type) ? type : undefined;
  const field = payload ? Object.values(payload.getFields())[0] : undefined;
  const named = field ? getNamedType(field.type) : undefined;
  return named && isObjectType(named) && named.getInterfaces().some((iface) => iface.name === 'Node') ? named.name : null;
}

const outcomeOf = (error: unknown) => knownErrorCode(error) ?? 'ERROR';

/**
 * Wraps every mutation (and the audited queries) so that each call leaves an audit entry: the API
 * key, the operation, the ids it named or created, and its outcome (OK or the error code), typed
 * errors and refusals included. Runs once per schema.
 */
export function auditOperations(schema: GraphQLSchema): void {
  const wrap = (field: GraphQLFieldConfig<unknown, RequestContext> & { resolve?: GraphQLFieldConfig<unknown, RequestContext>['resolve'] }, name: string) => {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = async (root, args, ctx, info) => {
      let outcome = 'OK';
      let result: unknown;
      try {
        result = await resolve(root, args, ctx, info);
        // A typed error returned in the payload carries its domain code (the errors plugin hands it on as is).
        outcome = domainCodeOf(result) ?? 'OK';
        return result;
      } catch (error) {
        outcome = outcomeOf(error);
        throw error;
      } finally {
        // A deleted workspace takes its audit log with it: there is nothing left to write to.
        if (ctx.viewer && !(name === 'deleteWorkspace' && outcome === 'OK')) {
          const targetIds = targetIdsOf(args);
          const created = (result as { id?: unknown } | null)?.id;
          const nodeType = typeof created === 'string' && UUID.test(created) ? returnedNodeType(info) : null;
          if (nodeType) targetIds.push(globalId(nodeType, created as string));
          await recordAudit(ctx.db, {
            workspaceId: ctx.viewer.workspaceId,
            actorType: ctx.viewer.member ? 'MEMBER' : 'API_KEY',
            ...actorOf(ctx.viewer),
            operation: name,
            targetIds: [...new Set(targetIds)],
            outcome,
            requestId: ctx.requestId,
            occurredAt: ctx.surveys.clock.now(),
          }).catch((error: unknown) => ctx.log.error({ err: error, operation: name }, 'audit entry not written'));
        }
      }
    };
  };
  for (const [name, field] of Object.entries(schema.getMutationType()?.getFields() ?? {})) wrap(field as never, name);
  for (const [name, field] of Object.entries(schema.getQueryType()?.getFields() ?? {})) if (AUDITED_QUERIES.has(name)) wrap(field as never, name);
}
