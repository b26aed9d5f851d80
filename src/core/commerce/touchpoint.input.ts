import { z } from 'zod';
import { externalId, jsonObject, text, timestamp, uuid } from '../validation.js';

export const JOURNEY_PHASES = ['AWARENESS', 'CONSIDERATION', 'PURCHASE', 'DELIVERY', 'USE', 'SERVICE', 'LOYALTY'] as const;

export const touchpointType = z.string().regex(/^[a-z][a-z0-9_.-]{0,99}$/, 'must be a lower-case code such as delivery or support_call');

export const touchpointFieldsSchema = z
  .object({
    externalId: externalId.nullable(),
    customerId: uuid,
    orderId: uuid.nullable(),
    businessUnitId: uuid.nullable(),
    type: touchpointType,
    journeyPhase: z.enum(JOURNEY_PHASES),
    occurredAt: timestamp,
    channel: text(50).nullable(),
    subject: text(300).nullable(),
    attributes: jsonObject,
  })
  .partial()
  .strict();

export const createTouchpointSchema = touchpointFieldsSchema.required({ customerId: true, type: true, journeyPhase: true, occurredAt: true });
export const updateTouchpointSchema = touchpointFieldsSchema.omit({ customerId: true });
export const upsertTouchpointSchema = createTouchpointSchema.extend({ externalId });

export type TouchpointFields = z.output<typeof touchpointFieldsSchema>;
