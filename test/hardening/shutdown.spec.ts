import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Outcome {
  status?: number;
  error?: string;
  /** Sent after the signal. */
  late: boolean;
}

/**
 * The server as operators run it (`npm start`, the built JavaScript, the embedded database), stopped with SIGTERM
 * while clients keep sending over keep-alive connections: no connection is reset, every request
 * gets an answer or a refused connection, readiness turns 503 at once, and the process exits 0.
 */
describe('graceful shutdown on SIGTERM', () => {
  let dir: string;
  let child: ChildProcess;
  let url = '';
  let key = '';
  let stderr = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cx-shutdown-'));
    // `npm start` runs the built server (dist/, built by the global setup): the signal goes to npm.
    child = spawn('npm', ['start', '--silent'], {
      cwd: join(__dirname, '../..'),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        PORT: '0',
        CX_DATA_DIR: join(dir, 'data'),
        LOG_LEVEL: 'warn',
        RATE_LIMIT_CAPACITY: '1000000',
        SHUTDOWN_TIMEOUT_MS: '10000',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const until = Date.now() + 90_000;
    while (!url || !key) {
      if (Date.now() > until || child.exitCode !== null) throw new Error(`server did not start: ${stderr}`);
      key = /\b(cxk_\S+)/.exec(stderr)?.[1] ?? '';
      url = /cx-graph API: (http:\/\/\S+)\/graphql/.exec(stderr)?.[1] ?? '';
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 120_000);
  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('drains without resets and exits 0', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    let signalled = false;
    const send = () =>
      new Promise<Outcome>((resolve) => {
        const late = signalled;
        const body = JSON.stringify({ query: '{ customers(first: 20) { edges { node { id fullName } } } }' });
        const req = httpRequest(
          `${url}/graphql`,
          { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` } },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode, late }));
            res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, late }));
          },
        );
        req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, late }));
        req.end(body);
      });
    const outcomes: Outcome[] = [];
    let stop = false;
    const clients = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const outcome = await send();
        outcomes.push(outcome);
        if (outcome.error === 'ECONNREFUSED') break;
      }
    });
    // A live subscription over SSE, open across the signal: it must end cleanly, not be cut.
    const stream = new Promise<{ status?: number; text: string; error?: string }>((resolve) => {
      const body = JSON.stringify({ query: 'subscription { events { type } }' });
      const req = httpRequest(
        `${url}/graphql`,
        { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode, text }));
          res.on('error', (error: NodeJS.ErrnoException) => resolve({ status: res.statusCode, text, error: error.code ?? error.message }));
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ text: '', error: error.code ?? error.message }));
      req.end(body);
    });
    // Load first, then the signal while requests are in flight.
    while (outcomes.filter((outcome) => outcome.status === 200).length < 40) await new Promise((resolve) => setTimeout(resolve, 20));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    signalled = true;
    child.kill('SIGTERM');
    const readiness = await fetch(`${url}/health/ready`).then(
      (res) => res.status,
      (error: Error) => error.message,
    );
    const code = await exited;
    stop = true;
    await Promise.all(clients);
    agent.destroy();

    expect(code).toBe(0);
    const sse = await stream;
    expect(sse.error).toBeUndefined();
    expect(sse.status).toBe(200);
    expect(sse.text).toMatch(/event: complete/);
    // Right after the signal readiness says 503 (or the listener is already closed).
    expect([503, 'fetch failed']).toContain(readiness);
    const resets = outcomes.filter((outcome) => outcome.error && outcome.error !== 'ECONNREFUSED');
    expect(resets, JSON.stringify(resets)).toEqual([]);
    expect(outcomes.filter((outcome) => outcome.status === 200).length).toBeGreaterThanOrEqual(40);
    // Requests sent after the signal are refused (503, or no connection), never served as if nothing happened.
    for (const outcome of outcomes.filter((item) => item.late && item.status)) expect([200, 503]).toContain(outcome.status);
    expect(stderr).not.toMatch(/shutdown failed/);
  });
});
