import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { attachGraphqlWs } from './http/graphql-ws.js';
import { operationNoteOf } from './http/access-log.js';
import { inRequestSpan } from './observability/tracing.js';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { createServerAdapter } from '@whatwg-node/server';
import type { Logger } from 'pino';
import type { App } from './app.js';
import type { Config } from './config.js';
import { requestIdFrom } from './http/request-id.js';
import { metricsResponse } from './http/router.js';
import { redactedPath } from './http/public-replies.js';
import { routeOf } from './observability/metrics.js';

export interface RunningServer {
  server: Server;
  url: string;
  /** Where /metrics is served when METRICS_PORT is set. */
  metricsUrl: string | null;
  /**
   * Graceful stop: readiness turns 503 and live streams end at once, no new connection or request
   * is taken, keep-alive connections close after their in-flight request, background work
   * finishes its current item, then the database closes. Bounded by `shutdownTimeoutMs`.
   */
  shutdown(): Promise<void>;
  /** Something else to stop with the HTTP server: started when shutdown begins, awaited before the database closes. */
  alsoStop(step: () => Promise<void>): void;
}

export async function listen(app: App, config: Pick<Config, 'host' | 'port' | 'shutdownTimeoutMs'> & Partial<Pick<Config, 'metricsPort' | 'metricsToken'>>, logger: Logger): Promise<RunningServer> {
  const adapter = createServerAdapter<{ req: IncomingMessage }>((request, serverContext) => app.fetch(request, serverContext));
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  const server = createServer((req, res) => {
    const started = performance.now();
    // One request id for the whole request: the caller's (cleaned) or a new one, on every response and log line.
    const given = req.headers['x-request-id'];
    const requestId = requestIdFrom(typeof given === 'string' ? given : null);
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      const pathname = (req.url ?? '/').split('?')[0]!;
      const ms = performance.now() - started;
      app.metrics.observeRequest(routeOf(pathname), req.method ?? 'GET', res.statusCode, ms / 1000);
      // The access log: one line per request.
      // GraphQL requests add the operation and the caller's key or member id (ids only, never personal data).
      const note = operationNoteOf(req);
      logger.info({ requestId, method: req.method, path: redactedPath(pathname), status: res.statusCode, ms: Math.round(ms * 10) / 10, completed: res.writableFinished, ...(note ?? {}) }, 'request');
    });
    // While draining, every response closes its connection, so no keep-alive socket outlives it.
    if (draining) res.shouldKeepAlive = false;
    const path = (req.url ?? '/').split('?')[0]!;
    inRequestSpan(req.method ?? 'GET', routeOf(path), redactedPath(path), req.headers, (done) => {
      res.once('close', () => done(res.statusCode));
      if (!app.nodeRoutes(req, res)) void adapter(req, res);
    });
  });
  server.keepAliveTimeout = 5_000;
  // Subscriptions over WebSocket (graphql-ws) on the same port and path as HTTP.
  const sockets = attachGraphqlWs(server, app.yoga, logger);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  // Prometheus on its own port (for a network only the scraper reaches): the token is optional there.
  let metricsServer: Server | null = null;
  let metricsUrl: string | null = null;
  if (config.metricsPort !== undefined && config.metricsPort !== null) {
    const metricsAdapter = createServerAdapter((request: Request) =>
      new URL(request.url).pathname === '/metrics'
        ? metricsResponse(request, { registry: app.metrics.registry, token: config.metricsToken ?? null, open: true })
        : new Response('Not found', { status: 404 }),
    );
    metricsServer = createServer((req, res) => void metricsAdapter(req, res));
    await new Promise<void>((resolve, reject) => {
      metricsServer!.once('error', reject);
      metricsServer!.listen(config.metricsPort!, config.host, () => resolve());
    });
    const metricsAddress = metricsServer.address() as AddressInfo;
    metricsUrl = `http://${metricsAddress.address.includes(':') ? `[${metricsAddress.address}]` : metricsAddress.address}:${metricsAddress.port}`;
  }
  let stopping: Promise<void> | undefined;
  const alsoStopping: Array<() => Promise<void>> = [];
  const shutdown = () => {
    stopping ??= (async () => {
      logger.info({ inFlight: inFlight.size }, 'shutting down: draining requests');
      draining = true;
      app.stopAccepting();
      const others = Promise.all(alsoStopping.map((step) => step()));
      for (const res of inFlight) res.shouldKeepAlive = false;
      // Stop listening, but do not cut idle keep-alive connections (http.Server#close would): a
      // client may be writing its next request on one, and would see a reset. Each connection
      // instead ends after its next response (503 while draining, with Connection: close) or when
      // its keep-alive timeout passes, whichever comes first.
      const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs);
      });
      const outcome = await Promise.race([closed.then(() => 'drained' as const), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') logger.warn({ inFlight: inFlight.size }, 'shutdown timeout: closing remaining connections');
      await sockets.dispose();
      server.closeAllConnections();
      metricsServer?.closeAllConnections();
      metricsServer?.close();
      await others;
      await app.close();
      logger.info('shut down');
    })();
    return stopping;
  };
  return { server, url, metricsUrl, shutdown, alsoStop: (step) => alsoStopping.push(step) };
}
