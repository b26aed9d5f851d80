import { applyRetention, updateRetentionPolicyOrThrow, type RetentionReport } from '../../core/customers/retention.js';
import { builder } from '../builder.js';
import { mutationErrors } from '../mutation-result.js';
import { WorkspaceRef } from './workspace.js';

const RetentionPolicyRef = builder
  .objectRef<{ openAnswersMonths: number | null; inactiveCustomersMonths: number | null; eventsDays: number | null; auditDays: number | null }>('RetentionPolicy')
  .implement({
    description: 'How long personal data is kept; null keeps it. Applied daily (and by applyRetention) with the erasure routine.',
    fields: (t) => ({
      openAnswersMonths: t.exposeInt('openAnswersMonths', { nullable: true, description: 'Open-text answers and follow-up comments older than this are cleared; scores stay.' }),
      inactiveCustomersMonths: t.exposeInt('inactiveCustomersMonths', {
        nullable: true,
        description: 'Customers without an order, touchpoint or response (or a start of the relationship, customerSince) for this long are erased.',
      }),
      eventsDays: t.exposeInt('eventsDays', { nullable: true, description: 'Events and their finished webhook deliveries older than this are deleted.' }),
      auditDays: t.exposeInt('auditDays', { nullable: true, description: 'Audit entries older than this are deleted (at least 30).' }),
    }),
  });

const RetentionReportRef = builder.objectRef<RetentionReport>('RetentionReport').implement({
  description: 'What the retention policy removes (dryRun: what it would remove now).',
  fields: (t) => ({
    dryRun: t.exposeBoolean('dryRun'),
    openAnswers: t.exposeInt('openAnswers'),
    followUpComments: t.exposeInt('followUpComments'),
    inactiveCustomers: t.exposeInt('inactiveCustomers'),
    events: t.exposeInt('events'),
    auditEntries: t.exposeInt('auditEntries'),
  }),
});

builder.objectFields(WorkspaceRef, (t) => ({
  retentionPolicy: t.field({
    type: RetentionPolicyRef,
    authScopes: { admin: true },
    resolve: (workspace) => ({
      openAnswersMonths: workspace.retainOpenAnswersMonths,
      inactiveCustomersMonths: workspace.retainInactiveCustomersMonths,
      eventsDays: workspace.retainEventsDays,
      auditDays: workspace.retainAuditDays,
    }),
  }),
}));

const RetentionPolicyInput = builder.inputType('UpdateRetentionPolicyInput', {
  description: 'Only the fields sent change; null keeps that data for good.',
  fields: (t) => ({ openAnswersMonths: t.int(), inactiveCustomersMonths: t.int(), eventsDays: t.int(), auditDays: t.int() }),
});

builder.queryField('retentionPreview', (t) =>
  t.field({
    type: RetentionReportRef,
    authScopes: { admin: true },
    description: 'Dry run: what the retention policy would remove if it ran now. Changes nothing.',
    resolve: (_root, _args, ctx) => applyRetention(ctx.surveys.sql, ctx.viewer.workspaceId, ctx.surveys.clock.now(), { dryRun: true }),
  }),
);

builder.mutationFields((t) => ({
  updateRetentionPolicy: t.field({
    type: WorkspaceRef,
    authScopes: { admin: true },
    args: { input: t.arg({ type: RetentionPolicyInput, required: true }) },
    errors: mutationErrors('UpdateRetentionPolicy', 'workspace'),
    resolve: async (_root, { input }, ctx) => {
      await updateRetentionPolicyOrThrow(ctx.surveys.sql, ctx.viewer.workspaceId, input);
      return ctx.db.workspace.findUniqueOrThrow({ where: { id: ctx.viewer.workspaceId } });
    },
  }),
  applyRetention: t.field({
    type: RetentionReportRef,
    authScopes: { admin: true },
    description: 'Applies the retention policy now, as the daily job does.',
    errors: mutationErrors('ApplyRetention', 'report'),
    resolve: (_root, _args, ctx) => applyRetention(ctx.surveys.sql, ctx.viewer.workspaceId, ctx.surveys.clock.now(), { dryRun: false }),
  }),
}));
