import { z } from 'zod';
import { metricsFilterSchema, type MetricsFilter } from '../metrics/queries/metrics-filter.js';
import { EXPORT_FORMATS, type ExportFormat } from './export-writers.js';
import { signClaims, verifyClaimsOrThrow } from './signed-link.js';

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

export function signExportLink(secret: string, claims: ExportLinkClaims): string {
  return signClaims(secret, claims);
}

/** The claims of a link this server signed and that has not expired; anything else is a SignedLinkError. */
export function verifyExportLinkOrThrow(secret: string, token: string, now: Date): ExportLinkClaims {
  return verifyClaimsOrThrow(secret, token, claimsSchema as z.ZodType<ExportLinkClaims>, now);
}
