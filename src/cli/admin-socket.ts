import { createServer, request, type Server } from 'node:http';
import { chmod, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Database } from '../db/database.js';
import { runCli, type CliContext } from './program.js';

/**
 * On the embedded database only the server's process may open the data directory. So that the CLI
 * still works while the server runs, the server listens on a Unix socket inside the data directory
 * (a directory only its owner can enter) and runs the CLI's commands in its own process, against
 * its own database: `cx-graph ...` forwards its arguments there and prints what comes back.
 */
export function adminSocketPath(dataDir: string): string {
  return path.join(dataDir, 'run', 'cli.sock');
}

/** One line of the reply: output, error output, or the exit code at the end. */
type Frame = { out: string } | { err: string } | { exit: number };

interface CliRequest {
  args: string[];
  cwd: string;
  tty: boolean;
}

const MAX_REQUEST_BYTES = 64 * 1024;

function parseRequest(body: string): CliRequest | null {
  try {
    const value = JSON.parse(body) as Partial<CliRequest>;
    if (!Array.isArray(value.args) || !value.args.every((arg) => typeof arg === 'string') || typeof value.cwd !== 'string' || !path.isAbsolute(value.cwd)) return null;
    return { args: value.args, cwd: value.cwd, tty: value.tty === true };
  } catch {
    return null;
  }
}

export interface AdminSocket {
  path: string;
  /** Stops taking commands; waits up to `graceMs` for running ones, then cuts them off. */
  close(graceMs: number): Promise<void>;
}

/** Starts the socket (replacing a stale one: the caller holds the data directory's lock). */
export async function startAdminSocket(dataDir: string, database: Database, onError: (error: unknown) => void): Promise<AdminSocket> {
  const socketPath = adminSocketPath(dataDir);
  await mkdir(path.dirname(socketPath), { recursive: true, mode: 0o700 });
  await chmod(path.dirname(socketPath), 0o700);
  await rm(socketPath, { force: true });
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/cli') {
      res.writeHead(404).end();
      return;
    }
    let body = '';
    let tooLarge = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_REQUEST_BYTES) tooLarge = true;
    });
    req.on('end', () => {
      const parsed = tooLarge ? null : parseRequest(body);
      if (!parsed) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('expected {"args": [...], "cwd": "/absolute/path"}\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const send = (frame: Frame) => res.write(`${JSON.stringify(frame)}\n`);
      const progressStream = Object.assign(
        new Writable({
          write(chunk: Buffer | string, _encoding, callback) {
            send({ err: chunk.toString() });
            callback();
          },
        }),
        { isTTY: parsed.tty, columns: 120 },
      );
      const ctx: CliContext = {
        // The server's own database: commands run beside its requests; it stays open afterwards.
        withDatabase: (fn) => fn(database),
        out: (text) => send({ out: text }),
        err: (text) => send({ err: text }),
        progressStream,
        cwd: parsed.cwd,
      };
      runCli(parsed.args, ctx).then(
        (code) => res.end(`${JSON.stringify({ exit: code } satisfies Frame)}\n`),
        (error: unknown) => {
          onError(error);
          res.end(`${JSON.stringify({ exit: 1 } satisfies Frame)}\n`);
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  await chmod(socketPath, 0o600);
  return {
    path: socketPath,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }).then(() => rm(socketPath, { force: true })),
  };
}

/**
 * Sends a command line to a running server's socket and relays its output; the exit code, or null
 * when nothing listens there (no server, or one that stopped without cleaning up).
 */
export function forwardToServer(socketPath: string, args: string[], io: { out(text: string): void; err(text: string): void; cwd: string; tty: boolean }): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/cli', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`the running server refused the command (HTTP ${res.statusCode})`));
        res.resume();
        return;
      }
      let pending = '';
      let exit = 1;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pending += chunk;
        let newline = pending.indexOf('\n');
        while (newline >= 0) {
          const frame = JSON.parse(pending.slice(0, newline)) as Frame;
          pending = pending.slice(newline + 1);
          if ('out' in frame) io.out(frame.out);
          else if ('err' in frame) io.err(frame.err);
          else exit = frame.exit;
          newline = pending.indexOf('\n');
        }
      });
      res.on('end', () => resolve(exit));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? resolve(null) : reject(error)));
    req.end(JSON.stringify({ args, cwd: io.cwd, tty: io.tty } satisfies CliRequest));
  });
}
