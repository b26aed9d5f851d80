import { z } from 'zod';
import { externalId, text } from '../validation.js';

export const businessUnitFieldsSchema = z.object({ externalId: externalId.nullable(), name: text() }).partial().strict();
export const createBusinessUnitSchema = businessUnitFieldsSchema.required({ name: true });
export const updateBusinessUnitSchema = businessUnitFieldsSchema;
export const upsertBusinessUnitSchema = createBusinessUnitSchema.extend({ externalId });
