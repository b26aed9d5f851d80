import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { metricsFilterSchema, type MetricsFilter } from '../metrics/queries/metrics-filter.js';
import { EXPORT_FORMATS, type ExportFormat } from './export-writers.js';

/** What a download link grants: one export of one workspace, until it expires. */
export interface ExportLinkClaims {
  workspaceId: string;
  filter: MetricsFilter;
  format: ExportFormat;
  /** Whether the customer column and open answers are included (the caller could see them). */
  personalData: boolean;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

const claimsSchema = z.object({
  workspaceId: z.uuid(),
  filter: metricsFilterSchema,
  format: z.enum(EXPORT_FORMATS),
  personalData: z.boolean(),
  expiresAt: z.number().int(),
});

export class ExportLinkError extends Error {
  constructor(
    readonly reason: 'invalid' | 'expired',
    message: string,
  ) {
    super(message);
  }
}

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest();

/** `<payload>.<signature>`, both base64url: the claims as JSON and their HMAC-SHA256. */
export function signExportLink(secret: string, claims: ExportLinkClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The claims of a link this server signed and that has not expired; anything else is an ExportLinkError. */
export function verifyExportLinkOrThrow(secret: string, token: string, now: Date): ExportLinkClaims {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || !/^[\w-]+$/.test(payload) || !/^[\w-]+$/.test(signature)) throw new ExportLinkError('invalid', 'This download link is not valid.');
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new ExportLinkError('invalid', 'This download link is not valid.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new ExportLinkError('invalid', 'This download link is not valid.');
  }
  const claims = claimsSchema.safeParse(parsed);
  if (!claims.success) throw new ExportLinkError('invalid', 'This download link is not valid.');
  if (claims.data.expiresAt <= now.getTime()) throw new ExportLinkError('expired', 'This download link has expired: ask the API for a new one.');
  return claims.data;
}
