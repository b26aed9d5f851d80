import type { IncomingMessage } from 'node:http';

/** The request body was larger than allowed; thrown while reading, so nothing past the limit is buffered. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body is larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * A request whose body is known to fit in `limit` bytes. A declared Content-Length is checked
 * before anything is read (Node's parser never delivers more than it declares); a chunked body is
 * read as it streams and refused as soon as it passes the limit.
 */
export async function withinBodyLimitOrThrow(request: Request, limit: number): Promise<Request> {
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    if (Number(declared) > limit) throw new BodyTooLargeError(limit);
    return request;
  }
  if (!request.body) return request;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  const body = Buffer.concat(chunks);
  const headers = new Headers(request.headers);
  headers.set('content-length', String(body.byteLength));
  return new Request(request.url, { method: request.method, headers, body, signal: request.signal });
}

/**
 * Whether a node:http request's body is declared (Content-Length, not chunked) within `limit`
 * bytes, so it can be read whole without a streaming check; a request without a length counts as
 * within when `bodyRequired` is false. A non-numeric length is not within: the router decides.
 */
export function declaredWithin(req: IncomingMessage, limit: number, bodyRequired: boolean): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return false;
  const declared = req.headers['content-length'];
  if (declared === undefined) return !bodyRequired;
  return Number(declared) <= limit;
}
