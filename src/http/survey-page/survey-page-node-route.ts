import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { declaredWithin } from '../guards/body-limit.js';
import { publicFailureReply, redactedPath, writeReply, type Reply } from '../public-replies.js';
import type { PageRequest } from './read-form.js';
import type { SurveyPageHandler } from './survey-page.handler.js';

/** Largest body the public pages (survey page, widget) accept. */
export const PAGE_BODY_LIMIT_BYTES = 64 * 1024;

export interface SurveyPageNodeRouteDeps {
  /** The same handler (and answer batcher) the router serves the page's other requests with. */
  handle: SurveyPageHandler;
  /** False while the server drains: the router answers 503 then. */
  accepting(): boolean;
  log: Logger;
}

/** Fixed origin for the request URL: the page reads only its path and query. */
const ORIGIN = 'http://survey.invalid';

/**
 * An answer posted on the survey page (POST /s/<token> with a declared body within the page
 * limit) goes from node:http straight to the page handler: the hot path of every respondent skips
 * the fetch adapter and the router, which copy the request and the response once more. Everything
 * else (other methods, a chunked or over-limit body, any request while draining) returns false and
 * takes the router, which answers exactly as before. Node's HTTP parser never delivers more bytes
 * than a declared Content-Length.
 */
export function surveyPageNodeRoute(deps: SurveyPageNodeRouteDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const url = req.url ?? '';
    if (req.method !== 'POST' || !url.startsWith('/s/')) return false;
    if (!deps.accepting() || !declaredWithin(req, PAGE_BODY_LIMIT_BYTES, true)) return false;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      void answer(deps, req, res, url, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    return true;
  };
}

async function answer(deps: SurveyPageNodeRouteDeps, req: IncomingMessage, res: ServerResponse, url: string, body: Buffer): Promise<void> {
  const request: PageRequest = {
    url: ORIGIN + url,
    method: 'POST',
    headers: {
      get(name) {
        const value = req.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: () => Promise.resolve(body.toString('utf8')),
    // Multipart and other bodies: parsed as a fetch Request would parse them.
    formData: () => new Response(new Uint8Array(body), { headers: { 'content-type': req.headers['content-type'] ?? 'text/plain' } }).formData(),
  };
  let reply: Reply;
  try {
    const response = await deps.handle(request, req.socket.remoteAddress ?? 'local');
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => (headers[key] = value));
    reply = { status: response.status, headers, body: response.body ? await response.text() : '' };
  } catch (error) {
    reply = publicFailureReply(error, deps.log, redactedPath(url.split('?')[0]!));
  }
  writeReply(res, reply);
}
