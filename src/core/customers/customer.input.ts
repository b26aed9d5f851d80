import { z } from 'zod';
import { countryCode, externalId, jsonObject, locale, text, timestamp, uuid } from '../validation.js';

export const SALUTATIONS = ['MR', 'MS', 'MX', 'NONE'] as const;

const stringList = z.array(text(100)).max(50, 'must have at most 50 entries');

/** Every writable customer field. `null` clears a field on update. */
export const customerFieldsSchema = z
  .object({
    externalId: externalId.nullable(),
    businessUnitId: uuid.nullable(),
    firstName: text().nullable(),
    infix: text(50).nullable(),
    lastName: text().nullable(),
    salutation: z.enum(SALUTATIONS),
    email: z.email({ message: 'must be an email address' }).nullable(),
    phone: z
      .string()
      .regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number such as +31 20 123 4567')
      .nullable(),
    locale: locale.nullable(),
    ageBand: text(50).nullable(),
    gender: text(50).nullable(),
    incomeBand: text(50).nullable(),
    education: text(100).nullable(),
    maritalStatus: text(50).nullable(),
    country: countryCode.nullable(),
    province: text(100).nullable(),
    city: text(100).nullable(),
    postcode: text(20).nullable(),
    devices: stringList,
    apps: stringList,
    attributes: jsonObject,
    preferredChannel: text(50).nullable(),
    consentEmail: z.boolean(),
    consentSms: z.boolean(),
    consentPhone: z.boolean(),
    consentSurveys: z.boolean(),
    unsubscribedAt: timestamp.nullable(),
    customerSince: timestamp,
    churnedAt: timestamp.nullable(),
  })
  .partial()
  .strict();

function churnAfterStart(value: { customerSince?: Date; churnedAt?: Date | null }) {
  return !value.customerSince || !value.churnedAt || value.churnedAt >= value.customerSince;
}
const churnRule = { message: 'must not be before customerSince', path: ['churnedAt'] };

export const createCustomerSchema = customerFieldsSchema.refine(churnAfterStart, churnRule);
export const updateCustomerSchema = customerFieldsSchema.refine(churnAfterStart, churnRule);
export const upsertCustomerSchema = customerFieldsSchema.extend({ externalId }).refine(churnAfterStart, churnRule);

export type CustomerFields = z.output<typeof customerFieldsSchema>;
