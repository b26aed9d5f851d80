import { DEFAULT_ACCENT_COLOR } from '../../core/workspaces/branding.js';
import { deleteWorkspaceOrThrow, type WorkspaceDeletion } from '../../core/workspaces/offboarding.js';
import { updateWorkspaceOrThrow } from '../../core/workspaces/workspace.service.js';
import { builder } from '../builder.js';
import { mutationErrors } from '../mutation-result.js';

export const WorkspaceRef = builder.prismaObject('Workspace', {
  description: 'The tenant: one company. Every object belongs to exactly one workspace.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name', { description: 'Internal name; customers see companyName instead.' }),
    timeZone: t.exposeString('timeZone', { description: 'IANA zone used for day and month buckets.' }),
    companyName: t.exposeString('companyName', { nullable: true, description: 'The company as customers know it: on survey pages, in the widget and in every mail ({company}). Null: left out.' }),
    logoUrl: t.exposeString('logoUrl', { nullable: true, description: 'https URL of the logo on survey pages and in mails.' }),
    accentColor: t.string({ description: `Colour of buttons and links (#rrggbb); ${DEFAULT_ACCENT_COLOR} unless set.`, resolve: (workspace) => workspace.accentColor ?? DEFAULT_ACCENT_COLOR }),
    senderName: t.exposeString('senderName', { nullable: true, description: 'Sender name of mails to customers; null: the company name.' }),
    churnAfterDaysWithoutOrder: t.exposeInt('churnAfterDaysWithoutOrder', {
      nullable: true,
      description: 'Retention and churn by activity (days without an order); null: by customerSince and churnedAt.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const UpdateWorkspaceInput = builder.inputType('UpdateWorkspaceInput', {
  description: 'Only the fields sent change; null clears a branding field.',
  fields: (t) => ({
    name: t.string(),
    timeZone: t.string(),
    companyName: t.string({ description: 'The company as customers know it.' }),
    logoUrl: t.string({ description: 'An https URL.' }),
    accentColor: t.string({ description: '#rrggbb with at least 4.5:1 contrast against white (WCAG AA).' }),
    senderName: t.string(),
    churnAfterDaysWithoutOrder: t.int({ description: 'Retention and churn by activity: no order for this many days ends a relationship (1 to 3650); null: by customerSince and churnedAt.' }),
  }),
});

builder.mutationFields((t) => ({
  updateWorkspace: t.field({
    type: WorkspaceRef,
    authScopes: { admin: true },
    description: 'Renames the workspace or changes what customers see: company name, logo, accent colour and sender name.',
    args: { input: t.arg({ type: UpdateWorkspaceInput, required: true }) },
    errors: mutationErrors('UpdateWorkspace', 'workspace'),
    resolve: (_root, { input }, ctx) => updateWorkspaceOrThrow(ctx.db, ctx.viewer.workspaceId, input),
  }),
}));

const DeletedTableRowsRef = builder.objectRef<{ table: string; rows: number }>('DeletedTableRows').implement({
  fields: (t) => ({ table: t.exposeString('table'), rows: t.exposeInt('rows') }),
});

const WorkspaceDeletionRef = builder.objectRef<WorkspaceDeletion>('WorkspaceDeletion').implement({
  description: 'What deleteWorkspace removed: rows per table. The keys of the workspace no longer work.',
  fields: (t) => ({
    workspaceId: t.id({ resolve: (deletion) => deletion.workspaceId }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime' }),
    rows: t.field({ type: [DeletedTableRowsRef], resolve: (deletion) => Object.entries(deletion.rows).map(([table, rows]) => ({ table, rows })) }),
  }),
});

const DeleteWorkspaceInput = builder.inputType('DeleteWorkspaceInput', {
  fields: (t) => ({ confirmName: t.string({ required: true, description: 'The workspace name, exactly: a guard against deleting the wrong one.' }) }),
});

builder.mutationFields((t) => ({
  deleteWorkspace: t.field({
    type: WorkspaceDeletionRef,
    authScopes: { admin: true },
    description:
      'Offboarding: deletes this workspace and everything in it, for good. Every API key is revoked and every webhook disabled first; then all rows go in one transaction. Needs the workspace name as confirmation.',
    args: { input: t.arg({ type: DeleteWorkspaceInput, required: true }) },
    errors: mutationErrors('DeleteWorkspace', 'deletion'),
    resolve: async (_root, { input }, ctx) => {
      const deletion = await deleteWorkspaceOrThrow(ctx.surveys.sql, ctx.viewer.workspaceId, input.confirmName, ctx.surveys.clock.now());
      ctx.apiKeys.forgetWorkspace(deletion.workspaceId);
      return deletion;
    },
  }),
}));
