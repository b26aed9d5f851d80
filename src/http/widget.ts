import { createHmac, timingSafeEqual } from 'node:crypto';
import { ANSWERABLE } from '../core/surveys/invitation-states.js';
import type { Clock } from '../core/clock.js';
import { surveyUrl } from '../core/surveys/invitation-message.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { pageStrings } from './survey-page/page-strings.js';

export interface WidgetDeps {
  prisma: PrismaClient;
  clock: Clock;
  publicUrl: string;
}

/**
 * The website widget: a small script a site embeds. The site's backend signs the visitor's
 * customer id (HMAC-SHA256 with the widget secret), so nobody can ask for another customer's survey:
 *
 *   <script src="https://cx.example.com/widget.js" data-workspace="<id>" data-customer="<externalId>"
 *           data-signature="<hex hmac>" async></script>
 */
const SCRIPT = `(function(){var s=document.currentScript;if(!s)return;var base=s.src.replace(/\\/widget\\.js.*$/,'');
var q='?workspace='+encodeURIComponent(s.dataset.workspace||'')+'&customer='+encodeURIComponent(s.dataset.customer||'')+'&signature='+encodeURIComponent(s.dataset.signature||'');
fetch(base+'/widget/pending'+q,{credentials:'omit'}).then(function(r){return r.status===200?r.json():null}).then(function(p){if(!p)return;
var box=document.createElement('div');box.setAttribute('role','dialog');box.setAttribute('aria-label',p.title);if(p.lang)box.setAttribute('lang',p.lang);
box.style.cssText='position:fixed;right:16px;bottom:16px;width:min(380px,calc(100vw - 32px));height:min(560px,calc(100vh - 32px));z-index:2147483000;background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden';
var close=document.createElement('button');close.type='button';close.textContent='\\u00d7';close.setAttribute('aria-label',p.close);
close.style.cssText='position:absolute;top:4px;right:8px;border:0;background:none;font-size:24px;cursor:pointer';close.onclick=function(){box.remove()};
var frame=document.createElement('iframe');frame.src=p.url;frame.title=p.title;frame.style.cssText='border:0;width:100%;height:100%';
box.appendChild(frame);box.appendChild(close);document.body.appendChild(box)}).catch(function(){})})();`;

export function widgetScript(): Response {
  return new Response(SCRIPT, {
    headers: {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
      'x-content-type-options': 'nosniff',
    },
  });
}

export function signCustomer(secret: string, externalId: string): string {
  return createHmac('sha256', secret).update(externalId).digest('hex');
}

function signatureMatches(secret: string, externalId: string, signature: string): boolean {
  const expected = Buffer.from(signCustomer(secret, externalId), 'hex');
  const given = Buffer.from(/^[0-9a-f]{64}$/i.test(signature) ? signature : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** GET /widget/pending: the signed visitor's open widget invitation, as JSON, or 204. */
export async function widgetPending(request: Request, deps: WidgetDeps): Promise<Response> {
  const origin = request.headers.get('origin');
  const url = new URL(request.url);
  const workspaceId = url.searchParams.get('workspace') ?? '';
  const externalId = url.searchParams.get('customer') ?? '';
  const signature = url.searchParams.get('signature') ?? '';
  const base = { 'cache-control': 'no-store', vary: 'Origin' } as Record<string, string>;
  const setting = /^[0-9a-f-]{36}$/i.test(workspaceId) ? await deps.prisma.surveyChannelSetting.findUnique({ where: { workspaceId_code: { workspaceId, code: 'widget' } } }) : null;
  const settings = (setting?.settings ?? {}) as { secret?: string; allowedOrigins?: string[] };
  if (origin && settings.allowedOrigins?.includes(origin)) base['access-control-allow-origin'] = origin;
  if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: { ...base, 'access-control-allow-methods': 'GET', 'access-control-max-age': '600' } });
  if (!setting?.enabled || !settings.secret || !externalId || !signatureMatches(settings.secret, externalId, signature)) {
    return new Response(JSON.stringify({ error: 'unknown or unsigned visitor' }), { status: 403, headers: { ...base, 'content-type': 'application/json' } });
  }
  const now = deps.clock.now();
  const invitation = await deps.prisma.invitation.findFirst({
    where: {
      workspaceId,
      channel: 'widget',
      customer: { externalId },
      status: { in: [...ANSWERABLE.values] },
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
    },
    orderBy: { sentAt: 'desc' },
    select: { token: true, locale: true },
  });
  if (!invitation) return new Response(null, { status: 204, headers: base });
  const strings = pageStrings(invitation.locale);
  return new Response(JSON.stringify({ url: `${surveyUrl(deps.publicUrl, invitation.token)}?embed=1`, title: strings.widgetTitle, close: strings.close, lang: invitation.locale }), {
    status: 200,
    headers: { ...base, 'content-type': 'application/json' },
  });
}
