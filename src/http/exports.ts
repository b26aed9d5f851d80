import { PassThrough, Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { verifyExportLinkOrThrow } from '../core/exports/export-link.js';
import { SignedLinkError } from '../core/exports/signed-link.js';
import { EXPORT_MEDIA, writeExport } from '../core/exports/export-writers.js';
import { responseExport } from '../core/exports/response-export.js';
import { findWorkspaceZone } from '../core/workspaces/workspace.service.js';
import type { SqlRunner } from '../db/sql-runner.js';

export interface ExportDeps {
  sql: SqlRunner;
  /** The secret download links are signed with. */
  secret: string;
  clock: Clock;
  log: Logger;
}

const text = (status: number, message: string) => new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/**
 * GET /exports/responses?token=...: the file a signed link from `responseExportLink` names,
 * streamed as it is read from the database. A link that is not this server's, or was changed:
 * 403; expired: 410; its workspace gone: 404.
 */
export async function responseDownload(request: Request, deps: ExportDeps): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed\n', { status: 405, headers: { allow: 'GET, HEAD' } });
  const token = new URL(request.url).searchParams.get('token') ?? '';
  let claims;
  try {
    claims = verifyExportLinkOrThrow(deps.secret, token, deps.clock.now());
  } catch (error) {
    if (error instanceof SignedLinkError) return text(error.reason === 'expired' ? 410 : 403, error.message);
    throw error;
  }
  const workspace = await findWorkspaceZone(deps.sql, claims.workspaceId);
  if (!workspace) return text(404, 'This workspace no longer exists.');
  const media = EXPORT_MEDIA[claims.format];
  const headers = {
    'content-type': media.contentType,
    'content-disposition': `attachment; filename="responses-${claims.filter.period.from}-${claims.filter.period.to}.${media.extension}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
  const data = await responseExport(deps.sql, workspace, claims.filter, { personalData: claims.personalData });
  const body = new PassThrough();
  writeExport(claims.format, data, body).catch((error: unknown) => {
    // Headers are sent: the download ends early and the client sees an incomplete file.
    deps.log.error({ err: error }, 'response export failed while streaming');
    body.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { status: 200, headers });
}
