import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { isDatabaseUnavailable, isDataException } from '../db/database-errors.js';
import { BodyTooLargeError } from './guards/body-limit.js';

/** An answer of a public endpoint, whatever carries it: a fetch Response (`toResponse`) or node:http. */
export interface Reply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export const jsonReply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

const textReply = (status: number, body: string, headers: Record<string, string> = {}): Reply => ({ status, body, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });

export const toResponse = (reply: Reply) => new Response(reply.body, { status: reply.status, headers: reply.headers });

/** Writes a reply on node:http; one that closes its connection is not kept alive. */
export function writeReply(res: ServerResponse, reply: Reply): void {
  if (reply.headers.connection === 'close') res.shouldKeepAlive = false;
  res.writeHead(reply.status, reply.headers);
  res.end(reply.body);
}

/** A path fit for logs: survey-link tokens and push secrets are credentials. */
export function redactedPath(pathname: string): string {
  return pathname.replace(/\/s\/.+/, '/s/<token>').replace(/(\/hooks\/reviews\/[^/]+\/).+/, '$1<secret>');
}

/** While the server drains before shutdown. */
export const shuttingDownReply = () =>
  jsonReply(503, { errors: [{ message: 'The server is shutting down; retry on another instance.', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }, { 'retry-after': '1', connection: 'close' });

/** A body over `limit` bytes, declared or streamed; the connection is not kept. */
export const tooLargeReply = (limit: number) => jsonReply(413, { errors: [{ message: new BodyTooLargeError(limit).message, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }, { connection: 'close' });

/**
 * What a public page or push answers when handling it threw: a value PostgreSQL cannot store is the
 * client's (400), a database that is away a 503 to retry; anything else is logged (with the path
 * given, credentials redacted) and a 500.
 */
export function publicFailureReply(error: unknown, log: Logger, path: string): Reply {
  if (isDataException(error)) return textReply(400, 'This request contains a value that cannot be used.');
  if (isDatabaseUnavailable(error)) {
    log.warn({ err: error }, 'public page: database unavailable');
    return textReply(503, 'We cannot save your answer right now. Please try again in a moment.', { 'retry-after': '2' });
  }
  log.error({ err: error, path }, 'public page failed');
  return textReply(500, 'Something went wrong. Please try again later.');
}
