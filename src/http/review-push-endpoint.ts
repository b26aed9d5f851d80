import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { receiveReviewPush } from '../core/reviews/review-push.js';
import type { ReviewRuntime } from '../core/reviews/review-runtime.js';
import { jsonReply, publicFailureReply, redactedPath, shuttingDownReply, tooLargeReply, writeReply, type Reply } from './public-replies.js';
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

/**
 * POST /hooks/reviews/<source id>/<secret>, once its body is read: the rate limit per address, then
 * the push itself (see core/reviews/review-push.ts); failures as on every public page.
 */
export async function pushReply(deps: PushEndpointDeps, address: string, method: string, url: URL, body: string, headers: Record<string, string>): Promise<Reply> {
  try {
    const wait = await deps.limiter.retryAfter('push', address);
    if (wait !== null) return jsonReply(429, { error: 'Too many requests' }, { 'retry-after': String(wait) });
    if (method !== 'POST') return jsonReply(405, { error: 'POST only' });
    if (body.length > MAX_PUSH_BYTES) return jsonReply(413, { error: 'Too large' });
    const [, , , connectionId = '', secret = ''] = url.pathname.split('/');
    const outcome = await receiveReviewPush(deps.reviews, connectionId, secret, { headers, body, query: Object.fromEntries(url.searchParams) });
    return jsonReply(outcome.status, outcome.body);
  } catch (error) {
    return publicFailureReply(error, deps.log, redactedPath(url.pathname));
  }
}

/**
 * The push endpoint on node:http itself, ahead of the fetch adapter: platforms push one review per
 * request, many per second, and a push needs neither Request nor Response objects (building and
 * sending them was a large part of a push's cost). Same answers as through the fetch router, which
 * still serves other methods (405) and in-process callers. Returns false for any other request.
 */
export function nodePushHandler(deps: PushEndpointDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'POST' || !req.url?.startsWith(PUSH_PREFIX)) return false;
    if (!deps.accepting()) {
      writeReply(res, shuttingDownReply());
      req.resume();
      return true;
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > MAX_PUSH_BYTES) {
      writeReply(res, tooLargeReply(MAX_PUSH_BYTES));
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
        writeReply(res, tooLargeReply(MAX_PUSH_BYTES));
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
      void pushReply(deps, req.socket.remoteAddress ?? 'local', 'POST', url, Buffer.concat(chunks).toString('utf8'), headers).then((reply) => writeReply(res, reply));
    });
    return true;
  };
}
