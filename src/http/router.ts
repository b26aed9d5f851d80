import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { SurveyPageHandler } from './survey-page/survey-page.handler.js';
import { PAGE_BODY_LIMIT_BYTES } from './survey-page/survey-page-node-route.js';
import type { ReviewRuntime } from '../core/reviews/review-runtime.js';
import { widgetPending, widgetScript, type WidgetDeps } from './widget.js';
import { responseDownload, type ExportDeps } from './exports.js';
import { trendChartImage, type ChartDeps } from './charts.js';
import { BodyTooLargeError, withinBodyLimitOrThrow } from './guards/body-limit.js';
import { jsonReply, publicFailureReply, redactedPath, shuttingDownReply, tooLargeReply, toResponse } from './public-replies.js';
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
  /** The survey page (answer posts of a declared size reach it from node:http directly: survey-page-node-route.ts). */
  surveyPage: SurveyPageHandler;
  widget: WidgetDeps;
  reviews: ReviewRuntime;
  exports: ExportDeps;
  charts: ChartDeps;
  log: Logger;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => toResponse(jsonReply(status, body, headers));

/** Public pages (survey, widget, review push) beside the GraphQL endpoint, which handles everything else. */
export function createRouter(deps: RouterDeps): FetchHandler {
  const surveyPage = deps.surveyPage;
  return async (incoming, serverContext = {}) => {
    const { pathname } = new URL(incoming.url);
    const address = serverContext.req?.socket.remoteAddress ?? 'local';
    if (!deps.accepting() && !pathname.startsWith('/health/')) {
      return toResponse(shuttingDownReply());
    }
    if (pathname === '/metrics') return metricsResponse(incoming, deps.metrics);
    const isPage = pathname.startsWith('/s/') || pathname.startsWith('/widget');
    const isPush = pathname.startsWith('/hooks/reviews/');
    let request: Request;
    try {
      request = await withinBodyLimitOrThrow(incoming, isPage ? PAGE_BODY_LIMIT_BYTES : isPush ? MAX_PUSH_BYTES : deps.bodyLimitBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return toResponse(tooLargeReply(error.limit));
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
        return toResponse(await pushReply(deps, address, request.method, new URL(request.url), await request.text(), headers));
      }
    } catch (error) {
      return toResponse(publicFailureReply(error, deps.log, redactedPath(pathname)));
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
