import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { SurveyPageDeps } from './survey-page/survey-page.handler.js';
import { createSurveyPageHandler } from './survey-page/survey-page.handler.js';
import { widgetPending, widgetScript, type WidgetDeps } from './widget.js';

export type FetchHandler = (request: Request, serverContext?: { req?: IncomingMessage }) => Promise<Response>;

export interface RouterDeps {
  graphql: (request: Request, serverContext: object) => Promise<Response> | Response;
  surveyPage: SurveyPageDeps;
  widget: WidgetDeps;
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
    } catch (error) {
      deps.log.error({ err: error, path: pathname.replace(/\/s\/.+/, '/s/<token>') }, 'public page failed');
      return new Response('Something went wrong. Please try again later.', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    return deps.graphql(request, serverContext);
  };
}
