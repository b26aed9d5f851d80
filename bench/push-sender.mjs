/**
 * Sends signed review pushes (Standard Webhooks) from its own process, as a platform would from
 * its own machine: the sender's HTTP client and signing do not share the server's event loop.
 * Reads { url, secret, pushes: [{ id, body }], concurrency } as JSON from the file named by its
 * argument; prints { created, unchanged, failed, ms } as JSON.
 *
 * Lean on purpose, like the load generators of the other benchmarks: node:http with kept-alive
 * connections and node:crypto's HMAC (the signature the Standard Webhooks specification defines:
 * base64 HMAC-SHA256 of "<id>.<timestamp>.<body>" under the secret's base64 bytes). On a machine
 * of two cores every cycle the sender spends is taken from the server it measures.
 */
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';

const job = JSON.parse(await readFile(process.argv[2], 'utf8'));
const key = Buffer.from(job.secret.replace(/^whsec_/, ''), 'base64');
const target = new URL(job.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
const results = { created: 0, unchanged: 0, failed: 0, ms: 0 };

function send(push) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', key).update(`${push.id}.${timestamp}.${push.body}`).digest('base64');
  const body = Buffer.from(push.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'webhook-id': push.id,
          'webhook-timestamp': timestamp,
          'webhook-signature': `v1,${signature}`,
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

let next = 0;
const start = performance.now();
await Promise.all(
  Array.from({ length: job.concurrency }, async () => {
    while (next < job.pushes.length) {
      const push = job.pushes[next++];
      const response = await send(push);
      if (response.status !== 200) results.failed += 1;
      results.created += response.body.created ?? 0;
      results.unchanged += response.body.unchanged ?? 0;
    }
  }),
);
results.ms = performance.now() - start;
agent.destroy();
process.stdout.write(JSON.stringify(results));
