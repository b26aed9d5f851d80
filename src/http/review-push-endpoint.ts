import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { receiveReviewPush } from '../core/reviews/review-push.js';
import type { ReviewRuntime } from '../core/reviews/review-runtime.js';
import { isDatabaseUnavailable, isDataException } from '../db/database-errors.js';
import type { PublicLimiter } from './guards/public-limiter.js';

export const PUSH_PREFIX = '/hooks/reviews/';
export const MAX_PUSH_BYTES = 1_000_000;

export interface PushEndpointDeps {
  reviews: ReviewRuntime;
  limiter: PublicLimiter;
  /** False while the server drains before shutdown: new requests get 503. */
  accepting(): boolean;
  log: Logger;
}

/** An answer of the push endpoint, whatever carries it (the fetch router or node:http). */
export interface PushReply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

const jsonReply = (status: number, body: unknown, headers: Record<string, string> = {}): PushReply => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});
const textReply = (status: number, body: string, headers: Record<string, string> = {}): PushReply => ({ status, body, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });

export const tooLarge = () => jsonReply(413, { errors: [{ message: `The request body is larger than ${MAX_PUSH_BYTES} bytes.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }, { connection: 'close' });
export const shuttingDown = () =>
  jsonReply(503, { errors: [{ message: 'The server is shutting down; retry on another instance.', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }, { 'retry-after': '1', connection: 'close' });

/**
 * POST /hooks/reviews/<source id>/<secret>, once its body is read: the rate limit per address, then
 * the push itself (see core/reviews/review-push.ts). A database that is away is a 503 to retry, a
 * value PostgreSQL cannot store a 400; anything else is logged and a 500.
 */
export async function pushReply(deps: PushEndpointDeps, address: string, method: string, url: URL, body: string, headers: Record<string, string>): Promise<PushReply> {
  try {
    const wait = await deps.limiter.retryAfter('push', address);
    if (wait !== null) return jsonReply(429, { error: 'Too many requests' }, { 'retry-after': String(wait) });
    if (method !== 'POST') return jsonReply(405, { error: 'POST only' });
    if (body.length > MAX_PUSH_BYTES) return jsonReply(413, { error: 'Too large' });
    const [, , , connectionId = '', secret = ''] = url.pathname.split('/');
    const outcome = await receiveReviewPush(deps.reviews, connectionId, secret, { headers, body, query: Object.fromEntries(url.searchParams) });
    return jsonReply(outcome.status, outcome.body);
  } catch (error) {
    if (isDataException(error)) return textReply(400, 'This request contains a value that cannot be used.');
    if (isDatabaseUnavailable(error)) {
      deps.log.warn({ err: error }, 'public page: database unavailable');
      return textReply(503, 'We cannot save your answer right now. Please try again in a moment.', { 'retry-after': '2' });
    }
    deps.log.error({ err: error, path: url.pathname.replace(/(\/hooks\/reviews\/[^/]+\/).+/, '$1<secret>') }, 'public page failed');
    return textReply(500, 'Something went wrong. Please try again later.');
  }
}

/**
 * The push endpoint on node:http itself, ahead of the fetch adapter: platforms push one review per
 * request, many per second, and a push needs neither Request nor Response objects (building and
 * sending them was a large part of a push's cost). Same answers as through the fetch router, which
 * still serves other methods (405) and in-process callers. Returns false for any other request.
 */
export function nodePushHandler(deps: PushEndpointDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const send = (res: ServerResponse, reply: PushReply) => {
    if (reply.headers.connection === 'close') res.shouldKeepAlive = false;
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  };
  return (req, res) => {
    if (req.method !== 'POST' || !req.url?.startsWith(PUSH_PREFIX)) return false;
    if (!deps.accepting()) {
      send(res, shuttingDown());
      req.resume();
      return true;
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > MAX_PUSH_BYTES) {
      send(res, tooLarge());
      req.resume();
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.byteLength;
      if (size > MAX_PUSH_BYTES) {
        over = true;
        send(res, tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (over) return;
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
      const url = new URL(req.url!, 'http://push.invalid');
      void pushReply(deps, req.socket.remoteAddress ?? 'local', 'POST', url, Buffer.concat(chunks).toString('utf8'), headers).then((reply) => send(res, reply));
    });
    return true;
  };
}
