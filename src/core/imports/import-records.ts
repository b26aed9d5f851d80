import { z } from 'zod';
import { customerFieldsSchema } from '../customers/customer.input.js';
import { orderFieldsSchema } from '../commerce/order.input.js';
import { touchpointFieldsSchema } from '../commerce/touchpoint.input.js';
import { externalId } from '../validation.js';

/**
 * Records of a bulk import refer to each other and to stored rows by external id, so a source
 * system can send its own keys. A field left out keeps the stored value; `null` clears it.
 */
export const customerRecordSchema = customerFieldsSchema.omit({ businessUnitId: true }).extend({ externalId, businessUnitExternalId: externalId.nullable().optional() });

export const orderRecordSchema = orderFieldsSchema
  .omit({ customerId: true, businessUnitId: true })
  .required({ amount: true, currency: true, orderedAt: true })
  .extend({ externalId, customerExternalId: externalId, businessUnitExternalId: externalId.nullable().optional() });

export const touchpointRecordSchema = touchpointFieldsSchema.omit({ customerId: true, orderId: true, businessUnitId: true }).required({ type: true, journeyPhase: true, occurredAt: true }).extend({
  externalId,
  customerExternalId: externalId,
  orderExternalId: externalId.nullable().optional(),
  businessUnitExternalId: externalId.nullable().optional(),
});

export type CustomerRecord = z.output<typeof customerRecordSchema>;
export type OrderRecord = z.output<typeof orderRecordSchema>;
export type TouchpointRecord = z.output<typeof touchpointRecordSchema>;

export const MAX_IMPORT_RECORDS = 10_000;

export interface ImportBatch {
  customers?: unknown[];
  orders?: unknown[];
  touchpoints?: unknown[];
  /** Source line per record (CSV imports), used in error reports. */
  lines?: { customers?: number[]; orders?: number[]; touchpoints?: number[] };
}
