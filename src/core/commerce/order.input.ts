import { z } from 'zod';
import { currencyCode, externalId, money, text, timestamp, uuid } from '../validation.js';

export const orderLineSchema = z
  .object({
    sku: text(100).optional(),
    name: text(300),
    category: text(100).optional(),
    quantity: z.number().int().min(1, 'must be at least 1'),
    unitPrice: money,
  })
  .strict();

export const orderFieldsSchema = z
  .object({
    externalId: externalId.nullable(),
    customerId: uuid,
    businessUnitId: uuid.nullable(),
    amount: money,
    currency: currencyCode,
    orderedAt: timestamp,
    channel: text(50).nullable(),
    lines: z.array(orderLineSchema).max(1000, 'must have at most 1000 lines'),
  })
  .partial()
  .strict();

export const createOrderSchema = orderFieldsSchema.required({ customerId: true, amount: true, currency: true, orderedAt: true });
export const updateOrderSchema = orderFieldsSchema.omit({ customerId: true });
export const upsertOrderSchema = createOrderSchema.extend({ externalId });

export type OrderFields = z.output<typeof orderFieldsSchema>;
