import type { IncomingMessage, ServerResponse } from 'node:http';
import { declaredWithin } from './guards/body-limit.js';

export interface GraphqlNodeRouteDeps {
  /** Yoga's own node:http listener (it builds the Request, runs the operation and writes the response). */
  listener: (req: IncomingMessage, res: ServerResponse) => unknown;
  /** Largest GraphQL request body (REQUEST_BODY_LIMIT_BYTES). */
  bodyLimitBytes: number;
  /** False while the server drains: the router answers 503 then. */
  accepting(): boolean;
}

/**
 * The common GraphQL request (a declared body within the limit, or none) goes from node:http
 * straight to Yoga, without a second fetch adapter and the router in front of it. Everything
 * else on /graphql (a chunked body, a declared body over the limit, any request while draining)
 * returns false and takes the router, which answers exactly as before (413 while streaming, 503).
 * Node's HTTP parser never delivers more bytes than a declared Content-Length.
 */
export function graphqlNodeRoute(deps: GraphqlNodeRouteDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const url = req.url ?? '';
    if (url !== '/graphql' && !url.startsWith('/graphql?')) return false;
    if (!deps.accepting() || !declaredWithin(req, deps.bodyLimitBytes, false)) return false;
    void deps.listener(req, res);
    return true;
  };
}
