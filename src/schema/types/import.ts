import { importBatchOrThrow, type ImportCounts, type ImportResult } from '../../core/imports/bulk-import.service.js';
import { BulkImportRejectedError } from '../../core/errors.js';
import { MAX_IMPORT_RECORDS } from '../../core/imports/import-records.js';
import { builder } from '../builder.js';
import { mutationErrors } from '../mutation-result.js';
import { ValidationError } from '../../core/errors.js';

const ImportCountsRef = builder.objectRef<ImportCounts>('ImportCounts').implement({
  fields: (t) => ({
    created: t.exposeInt('created', { nullable: false }),
    updated: t.exposeInt('updated', { nullable: false, description: 'Existing records whose stored values changed.' }),
    unchanged: t.exposeInt('unchanged', { nullable: false, description: 'Existing records sent again with the values already stored: nothing was written.' }),
  }),
});

const ImportResultRef = builder.objectRef<ImportResult>('ImportSummary').implement({
  description: 'What one import wrote.',
  fields: (t) => ({
    customers: t.expose('customers', { type: ImportCountsRef, nullable: false }),
    orders: t.expose('orders', { type: ImportCountsRef, nullable: false }),
    touchpoints: t.expose('touchpoints', { type: ImportCountsRef, nullable: false }),
  }),
});

const ImportInput = builder.inputType('ImportCommerceDataInput', {
  description:
    `Up to ${MAX_IMPORT_RECORDS} records in all. Records are objects with the fields of the matching create input, ` +
    'keyed by externalId (required) and referring to each other by customerExternalId, orderExternalId and businessUnitExternalId. ' +
    'Left-out fields keep their stored value; null clears.',
  fields: (t) => ({
    customers: t.field({ type: ['JSONObject'] }),
    orders: t.field({ type: ['JSONObject'] }),
    touchpoints: t.field({ type: ['JSONObject'] }),
  }),
});

builder.mutationField('importCommerceData', (t) =>
  t.field({
    type: ImportResultRef,
    authScopes: { write: 'customers' },
    description:
      'Imports customers, orders and touchpoints in one transaction: every bad record is reported with its index and field, ' +
      'nothing is written when any record is bad, and sending the same batch again changes nothing.',
    args: { input: t.arg({ type: ImportInput, required: true }) },
    errors: mutationErrors('ImportCommerceData', 'summary', [BulkImportRejectedError, ValidationError]),
    resolve: (_root, { input }, ctx) =>
      importBatchOrThrow(
        ctx.db as never,
        ctx.viewer.workspaceId,
        {
          customers: input.customers ?? [],
          orders: input.orders ?? [],
          touchpoints: input.touchpoints ?? [],
        },
        ctx.surveys.clock.now(),
      ),
  }),
);
