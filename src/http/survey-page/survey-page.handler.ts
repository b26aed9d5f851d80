import type { Logger } from 'pino';
import { ANSWERABLE } from '../../core/surveys/invitation-states.js';
import { surveyLinkFinder, unsubscribeByInvitation } from '../../core/surveys/survey-link.service.js';
import type { Clock } from '../../core/clock.js';
import { ConflictError, ValidationError } from '../../core/errors.js';
import { localized, placeholderValues, renderedTexts } from '../../core/surveys/invitation-message.js';
import { brandOf } from '../../core/workspaces/branding.js';
import { TOKEN_PATTERN } from '../../core/surveys/invitation-token.js';
import { markOpened } from '../../core/surveys/response.service.js';
import { createAnswerBatcher } from '../../core/surveys/answer-batcher.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { html, type Html } from '../html.js';
import type { PublicLimiter } from '../guards/public-limiter.js';
import { pageStrings, problemText } from './page-strings.js';
import { scaleAnchors } from '../../core/surveys/scale-anchors.js';
import { fillQuestionText } from '../../core/surveys/survey-texts.js';
import { readForm, type PageRequest } from './read-form.js';
import { youSaidWeDid } from '../../core/actions/improvement-action.service.js';
import { messagePage, questionPage, thankYouPage, type QuestionView } from './render-page.js';

export interface SurveyPageDeps {
  prisma: PrismaClient;
  sql: SqlRunner;
  /** Answers change NPS groups and need profiles: segments are recomputed shortly after. */
  dataChanged?(workspaceId: string): void;
  clock: Clock;
  log: Logger;
  /** Requests per minute per client address, and answer posts per minute per link (shared through Redis when set). */
  limiter: PublicLimiter;
  /** Told the size of every transaction of answers (metrics). */
  onAnswerBatch?(size: number): void;
}

const respond = (page: Html, status = 200, headers: Record<string, string> = {}) =>
  new Response(page.value, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self'; frame-ancestors *; base-uri 'none'",
      ...headers,
    },
  });

/**
 * The public survey page at /s/<token>: one question per page, plain form posts (works without
 * JavaScript), answers saved as they go. The token is the only credential.
 */
export type SurveyPageHandler = (request: PageRequest, clientAddress: string) => Promise<Response>;

export function createSurveyPageHandler(deps: SurveyPageDeps): SurveyPageHandler {
  // Concurrent answers share transactions under load (group commit); a lone answer is written at once.
  const answers = createAnswerBatcher(deps.sql, { onBatch: deps.onAnswerBatch });
  async function load(token: string) {
    if (!TOKEN_PATTERN.test(token)) return null;
    return deps.prisma.invitation.findUnique({
      where: { token },
      include: {
        survey: { include: { questions: { where: { retiredAt: null }, orderBy: { position: 'asc' } } } },
        customer: { include: { businessUnit: { select: { name: true } } } },
        touchpoint: { include: { order: { select: { lines: true } }, businessUnit: { select: { name: true } } } },
        workspace: true,
        response: { include: { answers: true } },
      },
    });
  }
  type Loaded = NonNullable<Awaited<ReturnType<typeof load>>>;

  /** What the survey's texts and placeholders are filled from: the same facts the invitation message used. */
  function factsOf(invitation: Loaded) {
    return {
      survey: invitation.survey,
      touchpoint: invitation.touchpoint,
      orderLines: invitation.touchpoint?.order?.lines ?? null,
      customer: invitation.customer,
      businessUnitName: invitation.touchpoint?.businessUnit?.name ?? invitation.customer.businessUnit?.name ?? null,
      workspace: { timeZone: invitation.workspace.timeZone, brand: brandOf(invitation.workspace) },
    };
  }

  function view(invitation: Loaded, question: Loaded['survey']['questions'][number]): QuestionView {
    const locale = invitation.locale;
    const text = localized<{ text: string; lowLabel?: string | null; highLabel?: string | null }>(question.texts, locale, invitation.survey.defaultLocale);
    const facts = factsOf(invitation);
    const anchors = scaleAnchors(question.type, text, locale);
    return {
      id: question.id,
      type: question.type,
      text: fillQuestionText(text?.text ?? '', placeholderValues(facts, locale), locale),
      lowLabel: anchors.low,
      highLabel: anchors.high,
      scaleMin: question.scaleMin,
      scaleMax: question.scaleMax,
      options: (question.options as Array<{ value: string; labels: Record<string, string> }>).map((option) => ({
        value: option.value,
        label: localized<string>(option.labels, locale, invitation.survey.defaultLocale) ?? option.value,
      })),
      required: question.required,
    };
  }

  type Blocked = 'unknown' | 'expired' | 'completed';
  /** Whether the link can be answered; the same rules for the full and the slim lookup. */
  function blockedBy(invitation: { status: string; expiresAt: Date | null; surveyStatus: string } | null, now: Date): Blocked | null {
    if (!invitation || !(ANSWERABLE.has(invitation.status) || invitation.status === 'COMPLETED' || invitation.status === 'EXPIRED')) return 'unknown';
    if (invitation.status === 'COMPLETED') return 'completed';
    if (invitation.status === 'EXPIRED' || (invitation.expiresAt && invitation.expiresAt <= now) || invitation.surveyStatus === 'CLOSED') return 'expired';
    return null;
  }

  async function blockedPage(kind: Blocked, token: string, locale: string): Promise<Response> {
    const strings = pageStrings(locale);
    if (kind === 'unknown') return respond(messagePage('nl', pageStrings('nl').unknownTitle, pageStrings('nl').unknownBody), 404);
    if (kind === 'expired') return respond(messagePage(locale, strings.expiredTitle, strings.expiredBody), 410);
    return respond(await thanks((await load(token))!));
  }

  const findLink = surveyLinkFinder(deps.sql);
  const slim = (token: string) => (TOKEN_PATTERN.test(token) ? findLink(token) : Promise.resolve(null));

  /** The thank-you page, with what was done with earlier feedback ("you said, we did"). */
  async function thanks(invitation: Loaded): Promise<Html> {
    const texts = renderedTexts(factsOf(invitation), invitation.locale);
    const done = await youSaidWeDid(deps.sql, invitation.workspaceId, invitation.locale);
    return thankYouPage(
      invitation.locale,
      texts.title,
      texts.thankYou,
      texts.signature,
      done.map((item) => ({ title: item.said, description: item.did })),
      pageStrings(invitation.locale),
      brandOf(invitation.workspace),
    );
  }

  function firstOpenIndex(invitation: Loaded): number {
    const answered = new Set((invitation.response?.answers ?? []).map((answer) => answer.questionId));
    const index = invitation.survey.questions.findIndex((question) => !answered.has(question.id));
    return index === -1 ? invitation.survey.questions.length - 1 : index;
  }

  function renderQuestion(invitation: Loaded, index: number, url: URL, errors: string[] = [], posted?: { score: number | null; choices: string[]; text: string | null }): Html {
    const questions = invitation.survey.questions;
    const question = questions[index]!;
    const texts = renderedTexts(factsOf(invitation), invitation.locale);
    const existing = invitation.response?.answers.find((answer) => answer.questionId === question.id);
    const fromEmail = index === 0 && url.searchParams.has('score') ? Number(url.searchParams.get('score')) : null;
    const embed = url.searchParams.get('embed') === '1';
    const base = url.pathname;
    return questionPage({
      lang: invitation.locale,
      strings: pageStrings(invitation.locale),
      title: texts.title,
      intro: index === 0 ? { reason: texts.reason, whyWeAsk: texts.whyWeAsk, duration: texts.duration } : null,
      action: `${base}?q=${index}${embed ? '&embed=1' : ''}`,
      index,
      total: questions.length,
      question: view(invitation, question),
      current: posted ?? { score: Number.isInteger(fromEmail) ? fromEmail : (existing?.score ?? null), choices: existing?.choices ?? [], text: existing?.text ?? null },
      backHref: index > 0 ? `${base}?q=${index - 1}${embed ? '&embed=1' : ''}` : null,
      errors,
      embed,
      brand: brandOf(invitation.workspace),
    });
  }

  /**
   * A score clicked in the e-mail (variant B embeds the first question: /s/<token>?score=N) is
   * saved at once, so it is not lost if the customer closes the page; the response is not
   * completed (mail scanners open links too, and the customer may still change it). Then the next
   * question, or the question with its saved score when it is the only one. An invalid score is
   * not saved: the page shows the question as usual.
   */
  async function storeClickedScore(invitation: Loaded, url: URL, now: Date): Promise<Response | null> {
    const first = invitation.survey.questions[0];
    const text = url.searchParams.get('score');
    if (!first || first.scaleMin === null || text === null || !/^\d{1,2}$/.test(text)) return null;
    try {
      await answers.submit({
        workspaceId: invitation.workspaceId,
        invitationId: invitation.id,
        answers: [{ questionId: first.id, score: Number(text) }],
        options: { now, source: 'PAGE', complete: false },
      });
    } catch (error) {
      if (error instanceof ValidationError || error instanceof ConflictError) return null;
      throw error;
    }
    deps.dataChanged?.(invitation.workspaceId);
    const embed = url.searchParams.get('embed') === '1' ? '&embed=1' : '';
    const next = invitation.survey.questions.length > 1 ? 1 : 0;
    return new Response(null, { status: 303, headers: { location: `${url.pathname}?q=${next}${embed}`, 'cache-control': 'no-store' } });
  }

  /**
   * /s/<token>/unsubscribe: a confirmation form (GET) and the unsubscribe itself (POST, also the
   * RFC 8058 one-click POST a mail client sends). Works for any invitation the customer received.
   */
  async function unsubscribe(request: PageRequest, token: string, now: Date): Promise<Response> {
    const invitation = await slim(token);
    if (!invitation || blockedBy(invitation, now) === 'unknown') return blockedPage('unknown', token, 'nl');
    const strings = pageStrings(invitation.locale);
    if (request.method === 'POST') {
      await unsubscribeByInvitation(deps.sql, invitation.workspaceId, invitation.id, now);
      return respond(messagePage(invitation.locale, strings.unsubscribeTitle, strings.unsubscribedBody));
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405, headers: { allow: 'GET, POST' } });
    return respond(
      messagePage(
        invitation.locale,
        strings.unsubscribeTitle,
        strings.unsubscribeBody,
        html`<form method="post"><div class="actions"><button type="submit">${strings.unsubscribeButton}</button></div></form>`,
      ),
    );
  }

  return async function handle(request: PageRequest, clientAddress: string): Promise<Response> {
    const url = new URL(request.url);
    const [token = '', action] = url.pathname.slice('/s/'.length).replace(/\/$/, '').split('/');
    const waitIp = await deps.limiter.retryAfter('address', clientAddress);
    if (waitIp !== null) {
      const strings = pageStrings('nl');
      return respond(messagePage('nl', strings.tooManyTitle, strings.tooManyBody), 429, { 'retry-after': String(waitIp) });
    }
    const now = deps.clock.now();
    if (action === 'unsubscribe') return unsubscribe(request, token, now);
    if (action !== undefined) return blockedPage('unknown', token, 'nl');
    if (request.method === 'GET' || request.method === 'HEAD') {
      const invitation = await load(token);
      const blocked = blockedBy(invitation && { ...invitation, surveyStatus: invitation.survey.status }, now);
      if (blocked) return blockedPage(blocked, token, invitation?.locale ?? 'nl');
      const found = invitation!;
      const requested = url.searchParams.has('q') ? Number(url.searchParams.get('q')) : NaN;
      const count = found.survey.questions.length;
      const index = Number.isInteger(requested) && requested >= 0 && requested < count ? requested : firstOpenIndex(found);
      await markOpened(deps.sql, found.workspaceId, found.id, now);
      const clicked = request.method === 'GET' && !url.searchParams.has('q') ? await storeClickedScore(found, url, now) : null;
      if (clicked) return clicked;
      return respond(renderQuestion(found, index, url));
    }
    if (request.method !== 'POST') return new Response('Method not allowed', { status: 405, headers: { allow: 'GET, POST' } });
    const invitation = await slim(token);
    const blocked = blockedBy(invitation, now);
    if (blocked) return blockedPage(blocked, token, invitation?.locale ?? 'nl');
    const found = invitation!;
    const waitToken = await deps.limiter.retryAfter('answerPost', token);
    if (waitToken !== null) {
      const strings = pageStrings(found.locale);
      return respond(messagePage(found.locale, strings.tooManyTitle, strings.tooManyBody), 429, { 'retry-after': String(waitToken) });
    }
    const questions = found.questions ?? [];
    const form = await readForm(request);
    const requested = Number(url.searchParams.get('q'));
    const postedId = form.get('questionId');
    const at = typeof postedId === 'string' && questions.includes(postedId) ? questions.indexOf(postedId) : Number.isInteger(requested) && questions[requested] ? requested : 0;
    const questionId = questions[at];
    if (!questionId) return blockedPage('unknown', token, found.locale);
    const skip = form.get('action') === 'skip';
    const scoreText = form.get('score');
    const posted = {
      score: typeof scoreText === 'string' && scoreText !== '' ? Number(scoreText) : null,
      choices: form.getAll('choices'),
      text: form.get('text'),
    };
    const isLast = at === questions.length - 1;
    try {
      await answers.submit({
        workspaceId: found.workspaceId,
        invitationId: found.id,
        answers: [{ questionId, ...(skip ? { skipped: true } : posted) }],
        options: { now, source: form.get('embed') === '1' ? 'WIDGET' : 'PAGE', complete: isLast },
      });
    } catch (error) {
      if (error instanceof ValidationError) {
        const full = (await load(token))!;
        const messages = error.issues.map((issue) => problemText(pageStrings(found.locale), issue));
        // Completing failed on an earlier required question: send the respondent there.
        if (isLast && error.issues.every((issue) => issue.path.at(-1) === 'answers')) return respond(renderQuestion(full, firstOpenIndex(full), url, messages), 400);
        return respond(renderQuestion(full, at, url, messages, posted), 400);
      }
      if (error instanceof ConflictError) {
        const refreshed = await slim(token);
        const state = blockedBy(refreshed, now);
        if (state) return blockedPage(state, token, found.locale);
      }
      throw error;
    }
    if (isLast) deps.dataChanged?.(found.workspaceId);
    const embed = url.searchParams.get('embed') === '1' || form.get('embed') === '1';
    // Post/redirect/get: the next question, or the thank-you page once complete.
    const location = isLast ? `${url.pathname}${embed ? '?embed=1' : ''}` : `${url.pathname}?q=${at + 1}${embed ? '&embed=1' : ''}`;
    return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
  };
}
