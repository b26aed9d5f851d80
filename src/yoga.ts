import { requestIdFrom } from './http/request-id.js';
import { noteOperation } from './http/access-log.js';
import { GRAPHIQL_HEADERS, GRAPHIQL_TABS } from './http/graphiql-examples.js';
import { endOperationSpan, startOperationSpan } from './observability/tracing.js';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type DocumentNode, type ExecutionResult } from 'graphql';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, useExecutionCancellation, useReadinessCheck, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { authenticateOrThrow, bearerToken, sqlKeyLookup, cachedKeyLookup } from './core/auth/api-key.service.js';
import type { PluginRegistry } from './core/plugin-sdk/registry.js';
import type { EventRuntime, RequestContext, SurveyRuntime } from './core/request-context.js';
import type { ReviewRuntime } from './core/reviews/review-runtime.js';
import type { Database } from './db/database.js';
import { isDatabaseUnavailable, isDataException } from './db/database-errors.js';
import type { BucketStore } from './http/guards/token-bucket.js';
import { useApiGuards, viewerOf } from './http/guards/use-api-guards.js';
import { useNoSchemaHints } from './http/guards/use-no-schema-hints.js';
import { usePlannedReads } from './schema/planned-reads/use-planned-reads.js';
import type { ScopedPrisma } from './db/workspace-scope.js';
import type { Viewer } from './core/auth/viewer.js';
import { buildSchema } from './schema/index.js';
import { knownErrorCode } from './schema/error-code.js';
import { UnauthenticatedError } from './core/errors.js';
import { IdentityProviderUnavailable, looksLikeJwt, type TokenVerifier } from './core/auth/token-verifier.js';
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { ServerMetrics } from './observability/metrics.js';

export interface YogaDeps {
  config: Pick<Config, 'graphiql' | 'introspection' | 'maskErrors' | 'limits' | 'rateLimit' | 'corsOrigins'> & Partial<Pick<Config, 'apiKeyCacheMs' | 'plannedReads'>>;
  /** Rate-limit buckets: in memory, or in Redis when configured. */
  buckets: BucketStore;
  /** Readiness: false while the process drains before shutdown. */
  accepting(): boolean;
  /** Operation limits, cost and rate limits (default on). Off only to measure what they cost (bench/limits.ts). */
  guards?: boolean;
  metrics: Pick<ServerMetrics, 'countGraphqlError' | 'observeCost' | 'observeOperation' | 'countPlannedRead'>;
  database: Database;
  registry: PluginRegistry;
  logger: Logger;
  surveys: SurveyRuntime;
  reviews: ReviewRuntime;
  events: EventRuntime;
  scoped(workspaceId: string): ScopedPrisma;
  /** Verifies members' tokens from their workspace's identity provider. */
  tokens: TokenVerifier;
}

/** X-Workspace-Id: a workspace's uuid or its global id; anything else names no workspace. */
function workspaceHeader(value: string | null): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (UUID.test(trimmed)) return trimmed.toLowerCase();
  try {
    const decoded = decodeGlobalID(trimmed);
    return decoded.typename === 'Workspace' && UUID.test(decoded.id) ? decoded.id.toLowerCase() : '00000000-0000-0000-0000-000000000000';
  } catch {
    return '00000000-0000-0000-0000-000000000000';
  }
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type ServerContext = Record<string, unknown>;
type Ctx = RequestContext & { request: Request };

/** How each known failure appears to clients. Everything else is masked. */
function exposedError(error: GraphQLError, requestId: string): GraphQLError | null {
  const original = error.originalError;
  const base = { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path };
  const code = knownErrorCode(original);
  if (code) {
    const details = original && 'issues' in original ? { issues: (original as { issues: unknown }).issues } : {};
    const http = code === 'UNAUTHENTICATED' ? { http: { status: 401 } } : {};
    return new GraphQLError(original!.message, { ...base, extensions: { code, ...details, requestId, ...http } });
  }
  if (isDataException(original)) {
    // The database refused a value the client sent (an id that is no uuid, a number out of range).
    return new GraphQLError('A value in the request cannot be stored or compared (for example an id of the wrong form).', { ...base, extensions: { code: 'BAD_USER_INPUT', requestId } });
  }
  if (isDatabaseUnavailable(original)) {
    // Nothing about the database reaches the client, only that it may retry.
    return new GraphQLError('The service is briefly unavailable; retry shortly.', { ...base, extensions: { code: 'SERVICE_UNAVAILABLE', requestId } });
  }
  if (!original || original instanceof GraphQLError) {
    // Parse and validation errors and errors raised as GraphQLError on purpose.
    return new GraphQLError(error.message, { ...base, extensions: { ...error.extensions, requestId } });
  }
  return null;
}

/**
 * Per operation: its name and the caller's ids into the request's access-log line (server.ts), and
 * its execution time into /metrics by operation name.
 */
function useOperationRecord(deps: YogaDeps): Plugin<Ctx> {
  return {
    onExecute: ({ args }) => {
      const started = performance.now();
      const ctx = args.contextValue as Ctx & { req?: object };
      const definition = (args.document as DocumentNode).definitions.find((candidate) => candidate.kind === 'OperationDefinition');
      const name = args.operationName ?? (definition?.kind === 'OperationDefinition' ? (definition.name?.value ?? null) : null);
      const type = definition?.kind === 'OperationDefinition' ? definition.operation : 'other';
      if (ctx.req) noteOperation(ctx.req, { operation: name, operationType: type, apiKeyId: ctx.viewer.apiKeyId, memberId: ctx.viewer.member?.id ?? null });
      const span = startOperationSpan(type, name);
      return {
        onExecuteDone: ({ result }) => {
          deps.metrics.observeOperation(name, type, (performance.now() - started) / 1000);
          const errors = Symbol.asyncIterator in result ? [] : ((result as ExecutionResult).errors ?? []);
          endOperationSpan(
            span,
            errors.map((error) => String((error as GraphQLError).extensions?.code ?? 'UNKNOWN')),
          );
        },
      };
    },
  };
}

/** After a mutation that succeeded, the workspace's dynamic segments are recomputed shortly (debounced). */
function useDataChangeSignal(): Plugin<Ctx> {
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result }) => {
        const operation = (args.document as DocumentNode).definitions.find((definition) => definition.kind === 'OperationDefinition');
        if (operation?.kind !== 'OperationDefinition' || operation.operation !== 'mutation') return;
        if (Symbol.asyncIterator in result || result.errors?.length) return;
        const ctx = args.contextValue as Ctx;
        ctx.surveys.dataChanged(ctx.viewer.workspaceId);
      },
    }),
  };
}

/** Masks unexpected errors: the client gets a request id, the log gets the stack. */
function useErrorPolicy(deps: YogaDeps): Plugin<Ctx> {
  const processResult = (result: ExecutionResult, ctx: Ctx): ExecutionResult => {
    if (!result.errors?.length) return result;
    const errors = result.errors.map((error) => {
      const exposed = exposedError(error, ctx.requestId);
      if (exposed?.extensions.code === 'SERVICE_UNAVAILABLE') ctx.log.warn({ err: error.originalError, path: error.path }, 'database unavailable');
      if (exposed) return exposed;
      ctx.log.error({ err: error.originalError ?? error, path: error.path }, 'unexpected error');
      const message = deps.config.maskErrors ? 'Unexpected error.' : error.message;
      return new GraphQLError(message, {
        nodes: error.nodes,
        path: error.path,
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: ctx.requestId },
      });
    });
    return { ...result, errors };
  };
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result, setResult }) => {
        if (Symbol.asyncIterator in result) return;
        setResult(processResult(result, args.contextValue as Ctx));
      },
    }),
    // Every event of a subscription gets the same codes, request id and masking.
    onSubscribe: ({ args }) => ({
      onSubscribeResult: ({ result, setResult }) => {
        // A subscription refused at its start (a missing scope) is a single result.
        if (!(Symbol.asyncIterator in result)) {
          setResult(processResult(result, args.contextValue as Ctx));
          return undefined;
        }
        return { onNext: ({ result: next, setResult: setNext }) => setNext(processResult(next, args.contextValue as Ctx)) };
      },
    }),
  };
}

/** Every error sent, counted by its code for /metrics. */
function useErrorCounts(deps: YogaDeps): Plugin {
  return {
    onResultProcess({ result }) {
      if (Symbol.asyncIterator in result) return;
      for (const single of Array.isArray(result) ? result : [result]) {
        for (const error of (single as ExecutionResult).errors ?? []) deps.metrics.countGraphqlError(String((error as GraphQLError).extensions?.code ?? 'NONE'));
      }
    },
  };
}

function useIntrospectionPolicy(deps: YogaDeps): Plugin {
  return {
    onValidate: ({ addValidationRule }) => {
      if (!deps.config.introspection) addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

const requestIds = new WeakMap<Request, string>();

/** The caller's X-Request-Id when it sent one, else a new UUID; the same for the whole request. */
function requestIdOf(request: Request): string {
  let id = requestIds.get(request);
  if (!id) {
    id = requestIdFrom(request.headers.get('x-request-id'));
    requestIds.set(request, id);
  }
  return id;
}

function useRequestIdHeader(): Plugin<Ctx> {
  return {
    onResponse: ({ request, response }) => {
      response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}

const EXPOSED_HEADERS = ['x-request-id', 'RateLimit', 'RateLimit-Policy', 'Retry-After'];

/** The GraphQL HTTP handler: auth, limits, error policy, health. No listening here (server.ts). */
/** The GraphQL handler, and the authentication it runs (graphql-ws authenticates its connections with it too). */
export type CxYoga = YogaServerInstance<ServerContext, RequestContext> & { authenticate(request: Request): Promise<Viewer> };

export function createCxYoga(deps: YogaDeps): CxYoga {
  const schema = buildSchema(deps.registry);
  const scopedClient = deps.scoped;
  const keys = cachedKeyLookup(sqlKeyLookup(deps.database.sql), { ttlMs: deps.config.apiKeyCacheMs ?? 5000 });
  const origins = deps.config.corsOrigins;

  const authenticate = async (request: Request) => {
    const requestId = requestIdOf(request);
    try {
      const token = bearerToken(request.headers.get('authorization'));
      if (token && looksLikeJwt(token)) return await deps.tokens.authenticate(token, workspaceHeader(request.headers.get('x-workspace-id')));
      return await authenticateOrThrow(keys, token);
    } catch (error) {
      if (error instanceof UnauthenticatedError) {
        // RFC 6750: a token that is refused says so in WWW-Authenticate.
        const challenge = error.code === 'UNAUTHENTICATED' ? 'Bearer' : `Bearer error="invalid_token", error_description="${error.code}"`;
        throw new GraphQLError(error.message, { extensions: { code: error.code, requestId, http: { status: 401, headers: { 'WWW-Authenticate': challenge } } } });
      }
      if (error instanceof IdentityProviderUnavailable) {
        deps.logger.warn({ err: error, requestId }, 'identity provider unavailable');
        throw new GraphQLError('The identity provider could not be reached to verify the token; retry shortly.', {
          extensions: { code: 'IDENTITY_PROVIDER_UNAVAILABLE', requestId, http: { status: 503, headers: { 'Retry-After': '5' } } },
        });
      }
      deps.logger.error({ err: error, requestId }, 'authentication failed unexpectedly');
      // The key store (the database) does not answer: the client may retry later.
      throw new GraphQLError('Unexpected error.', { extensions: { code: 'SERVICE_UNAVAILABLE', requestId, http: { status: 503, headers: { 'Retry-After': '5' } } } });
    }
  };

  const yoga = createYoga<ServerContext, RequestContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health/live',
    landingPage: false,
    // The router has bounded every body before it gets here (a declared length checked up front, a
    // chunked body read within REQUEST_BODY_LIMIT_BYTES), so Yoga's own limit, which pipes each
    // body through one more stream, would only repeat it.
    maxRequestBodySize: false,
    // GraphiQL's assets come from the npm package, not a CDN: it works on a host without internet.
    renderGraphiQL,
    // The key goes in the Headers editor once and is kept in the browser; the tabs are saved examples.
    graphiql: deps.config.graphiql ? { title: 'cx-graph', headers: GRAPHIQL_HEADERS, shouldPersistHeaders: true, defaultTabs: GRAPHIQL_TABS, defaultQuery: GRAPHIQL_TABS[0]!.query } : false,
    maskedErrors: false,
    logging: false,
    // Browsers may call the API only from the configured origins; keys travel in a header, never cookies.
    cors: (request) => {
      const origin = request.headers.get('origin');
      if (!origin || (origins !== '*' && !origins.includes(origin))) return false;
      return {
        origin: [origin],
        credentials: false,
        exposedHeaders: EXPOSED_HEADERS,
        methods: ['GET', 'POST', 'OPTIONS'],
        allowedHeaders: ['authorization', 'content-type', 'accept', 'x-request-id', 'x-workspace-id'],
        maxAge: 600,
      };
    },
    plugins: [
      useRequestIdHeader(),
      useReadinessCheck({
        endpoint: '/health/ready',
        check: async () => {
          if (!deps.accepting()) return false;
          await deps.database.ping();
          return true;
        },
      }),
      deps.guards === false
        ? {}
        : useApiGuards({
            anonymousIntrospection: deps.config.graphiql && deps.config.introspection,
            limits: deps.config.limits,
            rateLimit: deps.config.rateLimit,
            buckets: deps.buckets,
            authenticate,
            log: deps.logger,
            observeCost: (cost) => deps.metrics.observeCost(cost),
          }),
      useErrorCounts(deps),
      useIntrospectionPolicy(deps),
      useNoSchemaHints(!deps.config.introspection),
      useExecutionCancellation(),
      useErrorPolicy(deps),
      useDataChangeSignal(),
      useOperationRecord(deps),
      // Last: it wraps the execute function every plugin above has set.
      deps.config.plannedReads === false ? {} : usePlannedReads(deps.metrics),
    ],
    context: async ({ request }) => {
      const requestId = requestIdOf(request);
      const log = deps.logger.child({ requestId });
      const viewer = viewerOf(request) ?? (await authenticate(request));
      return {
        requestId,
        viewer,
        db: scopedClient(viewer.workspaceId),
        registry: deps.registry,
        log,
        surveys: deps.surveys,
        reviews: deps.reviews,
        events: deps.events,
        identity: deps.tokens,
        apiKeys: keys,
      };
    },
  });
  return Object.assign(yoga, { authenticate });
}
