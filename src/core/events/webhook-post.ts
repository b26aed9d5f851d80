import http from 'node:http';
import https from 'node:https';
import { guardedLookup } from './address-guard.js';

export type PostOutcome = { status: number } | { error: string };

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs one webhook. The address is checked as the socket connects (see guardedLookup); redirects
 * are not followed (a 3xx is a failed attempt); the response body is read up to 64 KiB and dropped.
 */
export function postWebhook(url: string, headers: Record<string, string>, body: string, options: { allowLoopback: boolean; timeoutMs: number }): Promise<PostOutcome> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'cx-graph-webhooks', ...headers },
        lookup: guardedLookup(options.allowLoopback) as never,
        timeout: options.timeoutMs,
      },
      (response) => {
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) response.destroy();
        });
        response.on('close', () => resolve({ status: response.statusCode ?? 0 }));
        response.on('error', () => resolve({ status: response.statusCode ?? 0 }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', (error) => resolve({ error: error.message }));
    request.end(body);
  });
}
