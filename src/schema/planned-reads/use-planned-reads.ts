import type { Plugin } from 'graphql-yoga';
import type { DocumentNode, ExecutionArgs, ExecutionResult } from 'graphql';
import type { RequestContext } from '../../core/request-context.js';
import type { ServerMetrics } from '../../observability/metrics.js';
import { builder } from '../builder.js';
import { PERSONAL_FIELDS } from '../personal-fields.js';
import { planOperation, type Plan } from './plan.js';
import { runPlan } from './run.js';

type Granted = Record<string, unknown>;

/** The scopes Pothos' scope-auth grants this request (the builder's own initializer, so the rules stay in one place). */
function grantedScopes(ctx: RequestContext): Granted {
  const init = (builder.options as { scopeAuth: { authScopes: (ctx: RequestContext) => Granted } }).scopeAuth.authScopes;
  return init(ctx);
}

/**
 * Answers planned queries (see plan.ts) without the per-field resolver walk; every other
 * operation, and every request a plan cannot answer exactly, executes as before. Plans are built
 * once per parsed document (Yoga caches documents by their text) and operation name.
 */
export function usePlannedReads(metrics: Pick<ServerMetrics, 'countPlannedRead'>): Plugin {
  const plans = new WeakMap<DocumentNode, Map<string, Plan | null>>();
  const planFor = (args: ExecutionArgs): Plan | null => {
    let byName = plans.get(args.document);
    if (!byName) {
      byName = new Map();
      plans.set(args.document, byName);
    }
    const name = args.operationName ?? '';
    let plan = byName.get(name);
    if (plan === undefined) {
      try {
        plan = planOperation(args.schema, args.document, args.operationName, PERSONAL_FIELDS);
      } catch {
        // A document the planner cannot read is executed as it always was.
        plan = null;
      }
      byName.set(name, plan);
    }
    return plan;
  };
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(((args: ExecutionArgs) => {
        const plan = planFor(args);
        if (!plan) return executeFn(args);
        const ctx = args.contextValue as RequestContext;
        return runPlan(plan, args.schema, ctx, args.variableValues as Record<string, unknown> | undefined, grantedScopes(ctx)).then((result: ExecutionResult | null) => {
          metrics.countPlannedRead(result ? 'answered' : 'fallback');
          return result ?? executeFn(args);
        });
      }) as typeof executeFn);
    },
  };
}
