import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerAdapter } from '@whatwg-node/server';
import type { Logger } from 'pino';
import type { App } from './app.js';
import type { Config } from './config.js';

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to the timeout), then closes the database. */
  shutdown(): Promise<void>;
}

export async function listen(app: App, config: Pick<Config, 'host' | 'port' | 'shutdownTimeoutMs'>, logger: Logger): Promise<RunningServer> {
  const server = createServer(createServerAdapter<{ req: IncomingMessage }>((request, serverContext) => app.fetch(request, serverContext)));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    stopping ??= (async () => {
      logger.info('shutting down: draining requests');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref());
      await Promise.race([closed, timeout]);
      server.closeAllConnections();
      await app.close();
      logger.info('shut down');
    })();
    return stopping;
  };
  return { server, url, shutdown };
}
