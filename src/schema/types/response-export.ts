import { signExportLink } from '../../core/exports/export-link.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../core/exports/export-writers.js';
import { builder } from '../builder.js';
import { toMetricsFilter } from './metrics/metrics.js';
import { MetricsFilterInput } from './metrics/metrics-filter.input.js';

const ExportFormatEnum = builder.enumType('ExportFormat', {
  values: EXPORT_FORMATS,
  description: 'CSV (UTF-8 with a byte-order mark) or XLSX (an Excel workbook).',
});

interface ExportLink {
  url: string;
  expiresAt: Date;
  format: ExportFormat;
}

const ResponseExportLinkRef = builder.objectRef<ExportLink>('ResponseExportLink').implement({
  description: 'A signed download link. Anyone holding it can download the file until it expires: hand it on like a password.',
  fields: (t) => ({
    url: t.exposeString('url', { nullable: false }),
    expiresAt: t.field({ type: 'DateTime', nullable: false, resolve: (link) => link.expiresAt }),
    format: t.field({ type: ExportFormatEnum, nullable: false, resolve: (link) => link.format }),
  }),
});

builder.queryField('responseExportLink', (t) =>
  t.field({
    type: ResponseExportLinkRef,
    nullable: false,
    authScopes: { read: 'responses' },
    description:
      'A link to download the responses the filter selects (started within the period, in the workspace time zone), one row per response and a column per question, ' +
      'as CSV or Excel, streamed from the database. The customer column and open answers are included only for callers who may see personal data. ' +
      'The link expires after EXPORT_LINK_TTL_SECONDS (15 minutes by default); making one is recorded in the audit log.',
    args: { filter: t.arg({ type: MetricsFilterInput, required: true }), format: t.arg({ type: ExportFormatEnum, defaultValue: 'CSV' }) },
    resolve: (_root, args, ctx) => {
      const filter = toMetricsFilter(args.filter);
      const format = args.format ?? 'CSV';
      const { secret, ttlSeconds } = ctx.surveys.exportLinks;
      const expiresAt = new Date(ctx.surveys.clock.now().getTime() + ttlSeconds * 1000);
      const token = signExportLink(secret, { workspaceId: ctx.viewer.workspaceId, filter, format, personalData: ctx.viewer.personalData, expiresAt: expiresAt.getTime() });
      return { url: `${ctx.surveys.publicUrl}/exports/responses?token=${token}`, expiresAt, format };
    },
  }),
);
