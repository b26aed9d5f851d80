import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { SurveyPageDeps } from './survey-page/survey-page.handler.js';
import { createSurveyPageHandler } from './survey-page/survey-page.handler.js';
import type { ReviewRuntime } from '../core/reviews/review-runtime.js';
import { widgetPending, widgetScript, type WidgetDeps } from './widget.js';
import { responseDownload, type ExportDeps } from './exports.js';
import { trendChartImage, type ChartDeps } from './charts.js';
import { BodyTooLargeError, withinBodyLimitOrThrow } from './guards/body-limit.js';
import { isDatabaseUnavailable, isDataException } from '../db/database-errors.js';
import { MAX_PUSH_BYTES, pushReply } from './review-push-endpoint.js';
import type { PublicLimiter } from './guards/public-limiter.js';

export type FetchHandler = (request: Request, serverContext?: { req?: IncomingMessage }) => Promise<Response>;

export interface RouterDeps {
  graphql: (request: Request, serverContext: object) => Promise<Response> | Response;
  /** Largest GraphQL request body; the public pages have smaller limits of their own. */
  bodyLimitBytes: number;
  limiter: PublicLimiter;
  /** False while the server drains before shutdown: new requests get 503. */
  accepting(): boolean;
  /** GET /metrics for Prometheus, behind a bearer token; no token configured: no /metrics. */
  metrics: { registry: Registry; token: string | null };
  surveyPage: SurveyPageDeps;
  widget: WidgetDeps;
  reviews: ReviewRuntime;
  exports: ExportDeps;
  charts: ChartDeps;
  log: Logger;
}

const PAGE_BODY_LIMIT = 64 * 1024;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A path fit for logs: survey-link tokens and push secrets are credentials. */
export function redactedPath(pathname: string): string {
  return pathname.replace(/\/s\/.+/, '/s/<token>').replace(/(\/hooks\/reviews\/[^/]+\/).+/, '$1<secret>');
}

/** Public pages (survey, widget, review push) beside the GraphQL endpoint, which handles everything else. */
export function createRouter(deps: RouterDeps): FetchHandler {
  const surveyPage = createSurveyPageHandler(deps.surveyPage);
  return async (incoming, serverContext = {}) => {
    const { pathname } = new URL(incoming.url);
    const address = serverContext.req?.socket.remoteAddress ?? 'local';
    if (!deps.accepting() && !pathname.startsWith('/health/')) {
      return json(503, { errors: [{ message: 'The server is shutting down; retry on another instance.', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }, { 'retry-after': '1', connection: 'close' });
    }
    if (pathname === '/metrics') return metricsResponse(incoming, deps.metrics);
    const isPage = pathname.startsWith('/s/') || pathname.startsWith('/widget');
    const isPush = pathname.startsWith('/hooks/reviews/');
    let request: Request;
    try {
      request = await withinBodyLimitOrThrow(incoming, isPage ? PAGE_BODY_LIMIT : isPush ? MAX_PUSH_BYTES : deps.bodyLimitBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return json(413, { errors: [{ message: error.message, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }, { connection: 'close' });
      throw error;
    }
    try {
      if (pathname.startsWith('/s/')) return await surveyPage(request, address);
      if (pathname === '/widget.js') return widgetScript();
      if (pathname === '/charts/trend.svg' || pathname === '/charts/trend.png') {
        const wait = await deps.limiter.retryAfter('address', address);
        if (wait !== null) return json(429, { error: 'Too many requests' }, { 'retry-after': String(wait) });
        return await trendChartImage(request, pathname.endsWith('.png') ? 'png' : 'svg', deps.charts);
      }
      if (pathname === '/exports/responses') {
        const wait = await deps.limiter.retryAfter('address', address);
        if (wait !== null) return json(429, { error: 'Too many requests' }, { 'retry-after': String(wait) });
        return await responseDownload(request, deps.exports);
      }
      if (pathname === '/widget/pending') {
        const wait = await deps.limiter.retryAfter('address', address);
        if (wait !== null) return json(429, { error: 'Too many requests' }, { 'retry-after': String(wait) });
        return await widgetPending(request, deps.widget);
      }
      if (isPush) {
        const headers: Record<string, string> = {};
        request.headers.forEach((value, key) => (headers[key] = value));
        const reply = await pushReply(deps, address, request.method, new URL(request.url), await request.text(), headers);
        return new Response(reply.body, { status: reply.status, headers: reply.headers });
      }
    } catch (error) {
      if (isDataException(error)) return new Response('This request contains a value that cannot be used.', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
      if (isDatabaseUnavailable(error)) {
        deps.log.warn({ err: error }, 'public page: database unavailable');
        return new Response('We cannot save your answer right now. Please try again in a moment.', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '2' } });
      }
      deps.log.error({ err: error, path: redactedPath(pathname) }, 'public page failed');
      return new Response('Something went wrong. Please try again later.', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    return deps.graphql(request, serverContext);
  };
}

/** The Prometheus text, to a caller with the token (none needed when `token` is null and `open`). */
export async function metricsResponse(request: Request, metrics: RouterDeps['metrics'] & { open?: boolean }): Promise<Response> {
  if (!metrics.token && !metrics.open) return json(404, { error: 'Not found' });
  if (!metrics.token) return new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' } });
  const presented = Buffer.from(/^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? '');
  const expected = Buffer.from(metrics.token);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return json(401, { error: 'Bearer token required' }, { 'www-authenticate': 'Bearer' });
  return new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' } });
}
