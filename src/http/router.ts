import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { SurveyPageDeps } from './survey-page/survey-page.handler.js';
import { createSurveyPageHandler } from './survey-page/survey-page.handler.js';
import { receiveReviewPush } from '../core/reviews/review-push.js';
import type { ReviewRuntime } from '../core/reviews/review-runtime.js';
import { widgetPending, widgetScript, type WidgetDeps } from './widget.js';

export type FetchHandler = (request: Request, serverContext?: { req?: IncomingMessage }) => Promise<Response>;

export interface RouterDeps {
  graphql: (request: Request, serverContext: object) => Promise<Response> | Response;
  surveyPage: SurveyPageDeps;
  widget: WidgetDeps;
  reviews: ReviewRuntime;
  log: Logger;
}

/** Public pages (survey, widget) beside the GraphQL endpoint, which handles everything else. */
export function createRouter(deps: RouterDeps): FetchHandler {
  const surveyPage = createSurveyPageHandler(deps.surveyPage);
  return async (request, serverContext = {}) => {
    const { pathname } = new URL(request.url);
    try {
      if (pathname.startsWith('/s/')) return await surveyPage(request, serverContext.req?.socket.remoteAddress ?? 'local');
      if (pathname === '/widget.js') return widgetScript();
      if (pathname === '/widget/pending') return await widgetPending(request, deps.widget);
      if (pathname.startsWith('/hooks/reviews/')) return await reviewPush(request, deps.reviews);
    } catch (error) {
      deps.log.error({ err: error, path: pathname.replace(/\/s\/.+/, '/s/<token>').replace(/(\/hooks\/reviews\/[^/]+\/).+/, '$1<secret>') }, 'public page failed');
      return new Response('Something went wrong. Please try again later.', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    return deps.graphql(request, serverContext);
  };
}

const MAX_PUSH_BYTES = 1_000_000;

/** POST /hooks/reviews/<source id>/<secret>: a review platform pushes news (see core/reviews/review-push.ts). */
async function reviewPush(request: Request, reviews: ReviewRuntime): Promise<Response> {
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  if (request.method !== 'POST') return json(405, { error: 'POST only' });
  const url = new URL(request.url);
  const [, , , connectionId = '', secret = ''] = url.pathname.split('/');
  if (Number(request.headers.get('content-length') ?? 0) > MAX_PUSH_BYTES) return json(413, { error: 'Too large' });
  const body = await request.text();
  if (body.length > MAX_PUSH_BYTES) return json(413, { error: 'Too large' });
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => (headers[key] = value));
  const outcome = await receiveReviewPush(reviews, connectionId, secret, { headers, body, query: Object.fromEntries(url.searchParams) });
  return json(outcome.status, outcome.body);
}
