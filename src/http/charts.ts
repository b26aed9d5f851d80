import { Resvg } from '@resvg/resvg-js';
import { chartForLink, verifyChartLinkOrThrow } from '../core/charts/chart-link.js';
import { renderTrendSvg } from '../core/charts/trend-chart.js';
import type { Clock } from '../core/clock.js';
import { SignedLinkError } from '../core/exports/signed-link.js';
import type { SqlRunner } from '../db/sql-runner.js';

export interface ChartDeps {
  sql: SqlRunner;
  secret: string;
  clock: Clock;
}

const text = (status: number, message: string) => new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/**
 * GET /charts/trend.svg?token=... and /charts/trend.png?token=...: the trend a signed link from
 * `metrics { chart }` names, drawn now. SVG for dashboards and chat tools; the PNG twin (twice the
 * size, for sharp screens) for mail clients that block SVG. Changed or foreign link: 403; expired: 410.
 */
export async function trendChartImage(request: Request, format: 'svg' | 'png', deps: ChartDeps): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed\n', { status: 405, headers: { allow: 'GET, HEAD' } });
  let claims;
  try {
    claims = verifyChartLinkOrThrow(deps.secret, new URL(request.url).searchParams.get('token') ?? '', deps.clock.now());
  } catch (error) {
    if (error instanceof SignedLinkError) return text(error.reason === 'expired' ? 410 : 403, error.message);
    throw error;
  }
  const chart = await chartForLink(deps.sql, claims);
  if (!chart) return text(404, 'This workspace no longer exists.');
  const svg = renderTrendSvg(chart);
  // Charts follow the data: a cache may keep one for five minutes, never past the link's expiry.
  const maxAge = Math.max(0, Math.min(300, Math.floor((claims.expiresAt - deps.clock.now().getTime()) / 1000)));
  const headers = { 'cache-control': `private, max-age=${maxAge}`, 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" };
  if (format === 'svg') return new Response(request.method === 'HEAD' ? null : svg, { headers: { ...headers, 'content-type': 'image/svg+xml; charset=utf-8' } });
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(png), { headers: { ...headers, 'content-type': 'image/png' } });
}
