import { z } from 'zod';

const id = z.string().describe('GraphQL global id');
const time = z.string().describe('ISO 8601 date-time');
const nullableTime = time.nullable();
const text = z.string().nullable();

/**
 * The document `exportCustomerData` and `cx-graph export-customer` return (GDPR art. 15 and 20):
 * everything the workspace holds on one person. Its JSON Schema is published as
 * schemas/customer-export.schema.json (npm run print-schema) and checked against in the tests.
 */
export const customerExportSchema = z
  .object({
    format: z.literal('cx-graph.customer-export/1'),
    exportedAt: time,
    workspace: z.object({ id: z.string(), companyName: text }).strict(),
    customer: z
      .object({
        id,
        externalId: text,
        firstName: text,
        infix: text,
        lastName: text,
        salutation: z.string(),
        email: text,
        phone: text,
        locale: text,
        ageBand: text,
        gender: text,
        incomeBand: text,
        education: text,
        maritalStatus: text,
        country: text,
        province: text,
        city: text,
        postcode: text,
        devices: z.array(z.string()),
        apps: z.array(z.string()),
        attributes: z.record(z.string(), z.unknown()),
        preferredChannel: text,
        consents: z.object({ surveys: z.boolean(), email: z.boolean(), sms: z.boolean(), phone: z.boolean(), unsubscribedAt: nullableTime }).strict(),
        customerSince: time,
        churnedAt: nullableTime,
        erasedAt: nullableTime,
        createdAt: time,
        updatedAt: time,
      })
      .strict(),
    orders: z.array(z.object({ id, externalId: text, amount: z.string(), currency: z.string(), orderedAt: time, channel: text, lines: z.unknown() }).strict()),
    touchpoints: z.array(
      z.object({ id, externalId: text, type: z.string(), journeyPhase: z.string(), occurredAt: time, channel: text, subject: text, attributes: z.record(z.string(), z.unknown()) }).strict(),
    ),
    invitations: z.array(
      z
        .object({
          id,
          survey: z.object({ id, name: z.string() }).strict(),
          channel: text,
          status: z.string(),
          skipReason: text,
          locale: z.string(),
          sentAt: nullableTime,
          openedAt: nullableTime,
          completedAt: nullableTime,
          remindedAt: nullableTime,
          failureMessage: text,
        })
        .strict(),
    ),
    responses: z.array(
      z
        .object({
          id,
          survey: z.object({ id, name: z.string() }).strict(),
          source: z.string(),
          channel: text,
          locale: z.string(),
          startedAt: time,
          completedAt: nullableTime,
          answers: z.array(z.object({ questionId: id, question: text, score: z.number().nullable(), choices: z.array(z.string()), text, skipped: z.boolean(), answeredAt: time }).strict()),
        })
        .strict(),
    ),
    reviews: z.array(
      z
        .object({
          id,
          platform: z.string(),
          rating: z.number(),
          ratingMax: z.number(),
          title: text,
          text,
          authorName: text,
          authorEmail: text,
          orderReference: text,
          url: text,
          publishedAt: time,
          reply: z.object({ text, status: z.string(), repliedAt: nullableTime }).strict(),
          earlierVersions: z.array(z.object({ version: z.number(), rating: z.number(), title: text, text, replacedAt: time }).strict()),
        })
        .strict(),
    ),
    reviewInvitations: z.array(z.object({ id, moment: z.string(), status: z.string(), skipReason: text, url: text, sentAt: nullableTime, createdAt: time }).strict()),
    followUps: z.array(
      z
        .object({
          id,
          status: z.string(),
          score: z.number().nullable(),
          comment: text,
          createdAt: time,
          doneAt: nullableTime,
          customerContactedAt: nullableTime,
          notes: z.array(z.object({ author: z.string(), text: z.string(), createdAt: time }).strict()),
        })
        .strict(),
    ),
    segmentMemberships: z.array(z.object({ segment: z.object({ id, name: z.string() }).strict(), enteredAt: time, leftAt: nullableTime }).strict()),
    events: z.array(z.object({ type: z.string(), occurredAt: time, data: z.unknown() }).strict()),
  })
  .strict();

export type CustomerExport = z.output<typeof customerExportSchema>;

/** The published JSON Schema of the export document. */
export function customerExportJsonSchema(): object {
  return { title: 'cx-graph customer export', ...z.toJSONSchema(customerExportSchema, { target: 'draft-2020-12' }) };
}
