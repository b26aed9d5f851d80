import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { CloseCode, type ConnectionInitMessage } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { CxYoga } from '../yoga.js';
import { rememberViewer } from './guards/use-api-guards.js';

type ConnectionParams = NonNullable<ConnectionInitMessage['payload']>;

/** connection_init payload: `{ authorization: 'Bearer <key or token>', 'x-workspace-id'?: '...' }` (either case). */
function credentialsOf(params: ConnectionParams | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    const key = name.toLowerCase();
    if ((key === 'authorization' || key === 'x-workspace-id') && typeof value === 'string') headers[key] = value;
  }
  return headers;
}

/** Close reasons are at most 123 bytes. */
const reason = (text: string) => Buffer.from(text).subarray(0, 120).toString();

type Extra = {
  /** The connection's credentials as a request: authentication, workspace and rate limits key off it. */
  cxRequest?: Request;
};

/**
 * GraphQL over WebSocket (the graphql-ws protocol, the default of Apollo Client's GraphQLWsLink,
 * urql and Relay set-ups) on the GraphQL endpoint, beside Server-Sent Events. The credentials come
 * in `connection_init` and are checked then (a refused key or token closes with 4401 and the
 * reason); each operation runs through the same Yoga plugins as HTTP: limits, cost and the key's
 * rate limit, scopes, the workspace-scoped context and the error policy.
 */
export function attachGraphqlWs(server: Server, yoga: CxYoga, logger: Logger): { dispose(): Promise<void> } {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: 1024 * 1024 });
  const disposable = useServer<ConnectionParams, Extra>(
    {
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        const request = new Request('http://localhost/graphql', { method: 'POST', headers: credentialsOf(ctx.connectionParams) });
        try {
          rememberViewer(request, await yoga.authenticate(request));
        } catch (error) {
          const code = error instanceof GraphQLError ? String(error.extensions.code ?? 'UNAUTHENTICATED') : 'UNAUTHENTICATED';
          const message = error instanceof GraphQLError ? error.message : 'Unexpected error.';
          ctx.extra.socket.close(code === 'SERVICE_UNAVAILABLE' || code === 'IDENTITY_PROVIDER_UNAVAILABLE' ? CloseCode.InternalServerError : CloseCode.Unauthorized, reason(`${code}: ${message}`));
          return false;
        }
        ctx.extra.cxRequest = request;
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const request = ctx.extra.cxRequest!;
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({ request, params: payload });
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('The query cannot be parsed.', { extensions: { code: 'BAD_REQUEST' } })];
        }
        // Limits (depth, aliases, tokens) may throw during validation rather than report.
        let errors: readonly GraphQLError[];
        try {
          errors = validate(schema, document);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('The query is not valid.', { extensions: { code: 'BAD_REQUEST' } })];
        }
        if (errors.length) return [...errors];
        const args: ExecutionArgs & { rootValue: { execute: typeof execute; subscribe: typeof subscribe } } = {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        return args;
      },
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
      onError: (_ctx, _id, _payload, errors) => {
        logger.debug({ errors: errors.map((error) => error.message) }, 'graphql-ws operation refused');
      },
    },
    wss,
  );
  return {
    async dispose() {
      // Open sockets are told the server is going away (1001); clients reconnect elsewhere.
      await disposable.dispose();
    },
  };
}
