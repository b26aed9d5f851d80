/**
 * Sends signed review pushes (Standard Webhooks) from its own process, as a platform would from
 * its own machine: the sender's HTTP client and signing do not share the server's event loop.
 * Reads { url, secret, pushes: [{ id, body }], concurrency } as JSON from the file named by its
 * argument; prints { created, unchanged, failed, ms } as JSON.
 */
import { readFile } from 'node:fs/promises';
import { Webhook } from 'standardwebhooks';

const job = JSON.parse(await readFile(process.argv[2], 'utf8'));
const webhook = new Webhook(job.secret);
const results = { created: 0, unchanged: 0, failed: 0, ms: 0 };
let next = 0;
const start = performance.now();
await Promise.all(
  Array.from({ length: job.concurrency }, async () => {
    while (next < job.pushes.length) {
      const push = job.pushes[next++];
      const at = new Date();
      const response = await fetch(job.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': push.id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': webhook.sign(push.id, at, push.body),
        },
        body: push.body,
      });
      const body = await response.json();
      if (response.status !== 200) results.failed += 1;
      results.created += body.created ?? 0;
      results.unchanged += body.unchanged ?? 0;
    }
  }),
);
results.ms = performance.now() - start;
process.stdout.write(JSON.stringify(results));
