import { eraseCustomerOrThrow, type ErasureReceipt } from '../../core/customers/erasure.js';
import { exportCustomerDataOrThrow } from '../../core/customers/export.js';
import { NotFoundError } from '../../core/errors.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import { idOfOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';

const TableCountRef = builder.objectRef<{ table: string; count: number }>('ErasedTableCount').implement({
  fields: (t) => ({ table: t.exposeString('table'), count: t.exposeInt('count', { description: 'Values removed or cleared in this table.' }) }),
});

const CustomerErasureRef = builder.objectRef<ErasureReceipt>('CustomerErasure').implement({
  description: 'The receipt of an erasure: when, by which API key, and how many values per table. It holds no personal value.',
  fields: (t) => ({
    customerId: t.id({ resolve: (receipt) => encodeGlobalID('Customer', receipt.customerId) }),
    erasedAt: t.expose('erasedAt', { type: 'DateTime' }),
    apiKeyId: t.id({ nullable: true, resolve: (receipt) => (receipt.apiKeyId ? encodeGlobalID('ApiKey', receipt.apiKeyId) : null) }),
    counts: t.field({
      type: [TableCountRef],
      description: 'By table name.',
      resolve: (receipt) =>
        Object.entries(receipt.counts)
          .map(([table, count]) => ({ table, count }))
          .sort((a, b) => a.table.localeCompare(b.table)),
    }),
  }),
});

const EraseCustomerInput = builder.inputType('EraseCustomerInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

builder.mutationFields((t) => ({
  eraseCustomer: t.field({
    type: CustomerErasureRef,
    authScopes: { write: 'customers' },
    description:
      'Erases a person (GDPR art. 17) in one transaction: names, contact data, demographics, attributes, open answers, follow-up comments and notes, linked reviews’ words and author, and the events that name them. Scores, statuses, orders and dates stay, so past figures do not change. Sends customer.erased (id only) to webhooks. Repeating it returns the same receipt.',
    args: { input: t.arg({ type: EraseCustomerInput, required: true }) },
    errors: mutationErrors('EraseCustomer', 'erasure'),
    resolve: (_root, { input }, ctx) =>
      eraseCustomerOrThrow(ctx.surveys.sql, ctx.viewer.workspaceId, idOfOrThrow(String(input.id), 'Customer'), { apiKeyId: ctx.viewer.apiKeyId }, ctx.surveys.clock.now()),
  }),
}));

builder.queryField('exportCustomerData', (t) =>
  t.field({
    type: 'JSON',
    nullable: true,
    authScopes: { exportPersonalData: true },
    description:
      'Everything this workspace holds on one person, as one JSON document (GDPR art. 15/20; format cx-graph.customer-export/1, JSON Schema in schemas/customer-export.schema.json). Needs the personal-data:export scope (or admin). Null for an unknown id or another workspace’s.',
    args: { customerId: t.arg.id({ required: true }) },
    resolve: async (_root, { customerId }, ctx) => {
      try {
        return await exportCustomerDataOrThrow(ctx.db, idOfOrThrow(String(customerId), 'Customer'), ctx.surveys.clock.now());
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw error;
      }
    },
  }),
);
