import { request as httpRequest } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../src/server.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { surveyApi, tokenOf } from './support/survey-helpers.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * Answer posts with a declared body reach the survey page from node:http directly; chunked ones
 * take the router. Over real HTTP, both must answer alike: same status, redirect, page and stored
 * answers.
 */
describe.each(DATABASE_TARGETS)('answer posts over HTTP ($name)', (target) => {
  let t: TestApp;
  let server: RunningServer;
  let api: ReturnType<typeof surveyApi>;
  let survey: { id: string; questions: Array<{ id: string }> };

  async function invite(): Promise<{ token: string; customerId: string }> {
    const customerId = await api.customer({ firstName: 'Http', locale: 'nl' });
    await api.ok(`mutation($input: SendSurveyInput!) { sendSurvey(input: $input) { __typename } }`, { input: { surveyId: survey.id, customerIds: [customerId], channel: 'link' } });
    await t.app.dispatcher.dispatchDue();
    const [invitation] = await api.invitations({ customerId });
    return { token: tokenOf(invitation.url), customerId };
  }

  function post(path: string, body: string | Buffer, contentType: string, chunked: boolean): Promise<Reply> {
    const url = new URL(server.url);
    const bytes = Buffer.from(body);
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { 'content-type': contentType, ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(bytes.length) }) };
      const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'POST', headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      });
      req.on('error', reject);
      if (chunked) {
        // Two chunks, so the body really streams.
        req.write(bytes.subarray(0, Math.ceil(bytes.length / 2)));
        req.end(bytes.subarray(Math.ceil(bytes.length / 2)));
      } else req.end(bytes);
    });
  }

  const answers = async (customerId: string) =>
    (await api.ok(`query($f: SurveyResponseFilter) { surveyResponses(first: 5, filter: $f) { edges { node { completed source answers { score text } } } } }`, { f: { customerId } })).surveyResponses
      .edges;

  beforeAll(async () => {
    t = await startTestApp(target, { pageLimits: { perIp: 1000, postsPerToken: 1000 } });
    server = await listen(t.app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 2000 }, pino({ level: 'silent' }));
    api = surveyApi(t, (await t.workspace('Http page')).key);
    survey = await api.survey({
      name: 'Http',
      kind: 'NPS',
      channel: 'link',
      questions: [
        { type: 'NPS', required: true, texts: [{ locale: 'nl', text: 'Aanbevelen?' }] },
        { type: 'OPEN_TEXT', texts: [{ locale: 'nl', text: 'Waarom?' }] },
      ],
    });
  });
  afterAll(async () => {
    await server?.shutdown();
    await t?.close();
  });

  const form = 'application/x-www-form-urlencoded';
  const cases: Array<{ name: string; body: (q: string[]) => string; type?: string; query: string; status: number; location?: (path: string) => string; page?: string }> = [
    { name: 'a score', body: (q) => `questionId=${q[0]}&score=7&action=next`, query: '?q=0', status: 303, location: (path) => `${path}?q=1` },
    { name: 'a missing score', body: (q) => `questionId=${q[0]}&action=next`, query: '?q=0', status: 400, page: 'Kies een score.' },
    { name: 'a score out of range', body: (q) => `questionId=${q[0]}&score=11&action=next`, query: '?q=0', status: 400, page: 'Vraag 1 van 2' },
    { name: 'a score sent as multipart', body: () => '', type: 'multipart', query: '?q=0', status: 303, location: (path) => `${path}?q=1` },
    { name: 'an embedded score', body: (q) => `questionId=${q[0]}&score=9&action=next&embed=1`, query: '?q=0&embed=1', status: 303, location: (path) => `${path}?q=1&embed=1` },
  ];

  it.each(cases)('$name: the direct route and the router answer alike', async (c) => {
    const replies: Array<Reply & { path: string; customerId: string }> = [];
    for (const chunked of [false, true]) {
      const { token, customerId } = await invite();
      const path = `/s/${token}`;
      let body = c.body(survey.questions.map((question) => question.id));
      let type = c.type ?? form;
      if (c.type === 'multipart') {
        const multipart = new FormData();
        multipart.set('questionId', survey.questions[0]!.id);
        multipart.set('score', '7');
        multipart.set('action', 'next');
        const encoded = new Response(multipart);
        type = encoded.headers.get('content-type')!;
        body = await encoded.text();
      }
      const reply = await post(`${path}${c.query}`, body, type, chunked);
      replies.push({ ...reply, path, customerId });
    }
    for (const reply of replies) {
      expect(reply.status, reply.text).toBe(c.status);
      expect(reply.headers['x-request-id']).toBeTruthy();
      expect(reply.headers['cache-control']).toBe('no-store');
      if (c.location) expect(reply.headers.location).toBe(c.location(reply.path));
      if (c.page) {
        expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(reply.text).toContain(c.page);
      }
    }
    const [direct, routed] = replies;
    expect(direct!.text.replaceAll(direct!.path, '/s/TOKEN')).toBe(routed!.text.replaceAll(routed!.path, '/s/TOKEN'));
    expect(await answers(direct!.customerId)).toEqual(await answers(routed!.customerId));
    if (c.status === 303) expect(await answers(direct!.customerId)).toEqual([{ node: { completed: false, source: expect.any(String), answers: [{ score: expect.any(Number), text: null }] } }]);
  });

  it('completes the response with the last answer, and refuses a body over the page limit or an unknown link', async () => {
    const { token, customerId } = await invite();
    const path = `/s/${token}`;
    expect((await post(`${path}?q=0`, `questionId=${survey.questions[0]!.id}&score=3&action=next`, form, false)).status).toBe(303);
    const last = await post(`${path}?q=1`, `questionId=${survey.questions[1]!.id}&text=${encodeURIComponent('Te laat')}&action=next`, form, false);
    expect(last.status).toBe(303);
    expect(last.headers.location).toBe(path);
    expect(await answers(customerId)).toEqual([
      {
        node: {
          completed: true,
          source: 'PAGE',
          answers: [
            { score: 3, text: null },
            { score: null, text: 'Te laat' },
          ],
        },
      },
    ]);
    expect((await api.invitations({ customerId }))[0].status).toBe('COMPLETED');
    // A completed response cannot change: the page says so (the router's answer for a blocked link).
    const again = await post(`${path}?q=0`, `questionId=${survey.questions[0]!.id}&score=9&action=next`, form, false);
    expect(again.status).toBe(200);
    expect(again.text).toContain('<html');

    const big = await post(`${path}?q=0`, `questionId=${survey.questions[0]!.id}&text=${'x'.repeat(70 * 1024)}`, form, false);
    expect(big.status).toBe(413);
    const unknown = await post(`/s/${'A'.repeat(32)}?q=0`, 'score=1', form, false);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Deze link kennen we niet');
  });
});
