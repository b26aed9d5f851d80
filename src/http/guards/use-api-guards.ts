import {
  GraphQLError,
  Kind,
  parse,
  type ASTVisitor,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type ValidationContext,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { Logger } from 'pino';
import type { OperationLimits } from '../../config.js';
import { viewerBucket, type Viewer } from '../../core/auth/viewer.js';
import { findUnstorableString } from './input-faults.js';
import { operationCost } from './query-cost.js';
import type { BucketPolicy, BucketStore, TakeResult } from './token-bucket.js';

/** Stable codes of the refusals below, in `extensions.code`. */
export type GuardCode =
  | 'QUERY_TOO_LONG'
  | 'VARIABLES_TOO_LARGE'
  | 'DEPTH_LIMIT_EXCEEDED'
  | 'ALIAS_LIMIT_EXCEEDED'
  | 'DIRECTIVE_LIMIT_EXCEEDED'
  | 'TOKEN_LIMIT_EXCEEDED'
  | 'COST_LIMIT_EXCEEDED'
  | 'RATE_LIMITED'
  | 'BAD_REQUEST';

export interface GuardDeps {
  limits: OperationLimits;
  rateLimit: BucketPolicy;
  buckets: BucketStore;
  /** Authenticates the request's credentials; throws a GraphQLError (401) when they are missing or wrong. */
  authenticate(request: Request): Promise<Viewer>;
  log: Logger;
  /** The cost of each operation let through (for /metrics). */
  observeCost?(cost: number): void;
  /**
   * Answer introspection without credentials (GraphiQL in development loads the schema before a
   * key is pasted). Only the schema: the anonymous caller has no scope and no workspace.
   */
  anonymousIntrospection?: boolean;
}

/** No scopes, no workspace (the nil uuid matches no row): only introspection can be answered. */
const ANONYMOUS: Viewer = { workspaceId: '00000000-0000-0000-0000-000000000000', apiKeyId: null, member: null, scopes: new Set(), personalData: false };

/** Whether every operation of the document asks only for __schema, __type or __typename. */
function introspectionOnly(query: string): boolean {
  let document;
  try {
    document = parse(query, { maxTokens: 5000 });
  } catch {
    return false;
  }
  const rootFieldsOf = (selections: readonly SelectionNode[], fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): boolean =>
    selections.every((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value.startsWith('__');
      if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldsOf(selection.selectionSet.selections, fragments, seen);
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) return false;
      seen.add(fragment.name.value);
      return rootFieldsOf(fragment.selectionSet.selections, fragments, seen);
    });
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operations.length > 0 && operations.every((operation) => operation.operation === 'query' && rootFieldsOf(operation.selectionSet.selections, fragments, new Set()));
}

interface RequestState {
  viewer: Viewer;
  rate?: TakeResult;
  cost?: { requested: number; limit: number; remaining: number };
}

const states = new WeakMap<Request, RequestState>();

/** The viewer authenticated for this request by `useApiGuards` (the context factory reads it). */
export function viewerOf(request: Request): Viewer | undefined {
  return states.get(request)?.viewer;
}

/** For requests that do not pass through Yoga's HTTP pipeline (graphql-ws): the viewer, so that cost and rate limits apply. */
export function rememberViewer(request: Request, viewer: Viewer): void {
  states.set(request, { viewer });
}

export function guardError(code: GuardCode, message: string, status: number, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra, http: { status, headers } } });
}

/** String literals in the document: the same rule as for variables (escapes like \u0000 only show after parsing). */
const storableStringsRule = (_context: ValidationContext): ASTVisitor => ({
  StringValue(node) {
    const fault = findUnstorableString(node.value);
    // Thrown, not reported: a refusal with its own HTTP status, like the limits above.
    if (fault) throw new GraphQLError(`A string in the query ${fault.problem}.`, { nodes: [node], extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
  },
});

/** Armor raises plain GraphQL errors; this gives each limit its stable code and a 400. */
function tagged(code: GuardCode) {
  return [
    (_context: unknown, error: GraphQLError) => {
      Object.assign(error.extensions as Record<string, unknown>, { code, http: { status: 400 } });
    },
  ];
}

/**
 * Everything checked before a GraphQL operation runs, in order: size of the document and
 * variables, strings PostgreSQL cannot store, credentials (before parsing, so nothing about the
 * schema reaches an anonymous caller), token, depth, alias and directive limits (GraphQL Armor),
 * the operation's cost against the per-request maximum, and the key's rate-limit bucket. A refusal
 * runs no resolver and no SQL beyond the key lookup.
 */
export function useApiGuards(deps: GuardDeps): Plugin {
  const { limits } = deps;
  const windowSeconds = Math.ceil(deps.rateLimit.capacity / deps.rateLimit.refillPerSecond);

  const take = async (viewer: Viewer, cost: number): Promise<TakeResult> => {
    try {
      return await deps.buckets.take(viewerBucket(viewer), cost, deps.rateLimit);
    } catch (error) {
      // The limiter's store (Redis) is down: serve rather than refuse everyone, and say so in the log.
      deps.log.warn({ err: error }, 'rate-limit store unavailable; request not limited');
      return { allowed: true, remaining: deps.rateLimit.capacity, retryAfterSeconds: 0, resetSeconds: 0 };
    }
  };

  const charge = async (request: Request, cost: number): Promise<GraphQLError | null> => {
    const state = states.get(request);
    if (!state) return null;
    const rate = await take(state.viewer, cost);
    state.rate = rate;
    state.cost = { requested: cost, limit: limits.cost, remaining: rate.remaining };
    if (rate.allowed) return null;
    return guardError(
      'RATE_LIMITED',
      `Rate limit exceeded: this request costs ${cost} points and the key has ${rate.remaining} of ${deps.rateLimit.capacity} left (${deps.rateLimit.refillPerSecond} restored per second). Retry after ${rate.retryAfterSeconds} s.`,
      429,
      { cost: state.cost },
      { 'Retry-After': String(rate.retryAfterSeconds) },
    );
  };

  /** The operation's cost against the per-request maximum, then the key's bucket; the refusal, or null. */
  const admit = async (request: Request, args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: unknown }): Promise<GraphQLError | null> => {
    const cost = Math.max(1, operationCost(args.schema, args.document, args.operationName, args.variableValues as Record<string, unknown> | undefined));
    if (cost > limits.cost) {
      return guardError('COST_LIMIT_EXCEEDED', `Query cost ${cost} exceeds the maximum of ${limits.cost} points per request. Ask for smaller pages (first/last) or fewer nested connections.`, 400, {
        cost: { requested: cost, limit: limits.cost },
      });
    }
    const refused = await charge(request, cost);
    if (!refused) deps.observeCost?.(cost);
    return refused;
  };

  return {
    onPluginInit({ addPlugin }) {
      addPlugin(maxTokensPlugin({ n: limits.tokens, onReject: tagged('TOKEN_LIMIT_EXCEEDED') }));
      addPlugin(maxDepthPlugin({ n: limits.depth, flattenFragments: true, onReject: tagged('DEPTH_LIMIT_EXCEEDED') }));
      addPlugin(maxAliasesPlugin({ n: limits.aliases, onReject: tagged('ALIAS_LIMIT_EXCEEDED') }));
      addPlugin(maxDirectivesPlugin({ n: limits.directives, onReject: tagged('DIRECTIVE_LIMIT_EXCEEDED') }));
    },
    onRequest({ request, url, endResponse, fetchAPI }) {
      // GET parameters that are not JSON objects are the client's mistake, not the server's.
      if (request.method !== 'GET' || !url.pathname.endsWith('/graphql')) return;
      for (const name of ['variables', 'extensions']) {
        const raw = url.searchParams.get(name);
        if (raw === null || raw === '') continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          parsed = undefined;
        }
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
          const body = { errors: [{ message: `The "${name}" parameter must be a JSON object.`, extensions: { code: 'BAD_REQUEST' } }] };
          endResponse(new fetchAPI.Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json' } }));
          return;
        }
      }
    },
    async onParams({ params, request }) {
      const query = params.query ?? '';
      if (query.length > limits.queryLength) {
        throw guardError('QUERY_TOO_LONG', `The query is ${query.length} characters long; the maximum is ${limits.queryLength}.`, 413);
      }
      if (params.variables !== undefined && params.variables !== null) {
        if (typeof params.variables !== 'object' || Array.isArray(params.variables)) throw guardError('BAD_REQUEST', '"variables" must be a JSON object.', 400);
        const size = Buffer.byteLength(JSON.stringify(params.variables));
        if (size > limits.variablesBytes) throw guardError('VARIABLES_TOO_LARGE', `The variables are ${size} bytes; the maximum is ${limits.variablesBytes}.`, 413);
      }
      if (params.operationName !== undefined && params.operationName !== null && typeof params.operationName !== 'string') throw guardError('BAD_REQUEST', '"operationName" must be a string.', 400);
      const fault = findUnstorableString(query, ['query']) ?? findUnstorableString(params.variables ?? null, ['variables']);
      if (fault) throw guardError('BAD_REQUEST', `${fault.path.join('.')} ${fault.problem}.`, 400, { path: fault.path });
      if (deps.anonymousIntrospection && !request.headers.get('authorization') && introspectionOnly(query)) {
        states.set(request, { viewer: ANONYMOUS });
        return;
      }
      states.set(request, { viewer: await deps.authenticate(request) });
    },
    onValidate({ context, addValidationRule }) {
      addValidationRule(storableStringsRule);
      const request = (context as { request?: Request }).request;
      return ({ valid }) => {
        // A refused document still costs a point, so a flood of bad queries drains the bucket too.
        if (!valid && request) void charge(request, 1);
      };
    },
    async onExecute({ args, setResultAndStopExecution }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (!request) return;
      const refused = await admit(request, args);
      if (refused) {
        setResultAndStopExecution({ errors: [refused] });
        return;
      }
      return {
        onExecuteDone({ result, setResult }) {
          const cost = states.get(request)?.cost;
          if (!cost || Symbol.asyncIterator in result) return;
          const single = result as ExecutionResult;
          setResult({ ...single, extensions: { ...single.extensions, cost } });
        },
      };
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (!request) return;
      const refused = await admit(request, args);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
    onResponse({ request, response }) {
      response.headers.set('RateLimit-Policy', `"cost";q=${deps.rateLimit.capacity};w=${windowSeconds}`);
      const rate = states.get(request)?.rate;
      if (rate) response.headers.set('RateLimit', `"cost";r=${rate.remaining};t=${rate.resetSeconds}`);
    },
  };
}
