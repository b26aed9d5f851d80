import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { JOURNEY_PHASES } from '../../commerce/touchpoint.input.js';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-01-31')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'is not a calendar date');

export const customerFilterSchema = z
  .object({
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    province: z.string().optional(),
    city: z.string().optional(),
    ageBand: z.string().optional(),
    gender: z.string().optional(),
    incomeBand: z.string().optional(),
    locale: z.string().optional(),
    /** Free-form attributes the customer must have (JSON containment). */
    attributes: z.record(z.string(), z.json()).optional(),
  })
  .strict();

export const metricsFilterSchema = z
  .object({
    /** Calendar days in the workspace time zone; `to` is exclusive. */
    period: z.object({ from: day, to: day }).refine((period) => period.from < period.to, { message: 'from must be before to', path: ['to'] }),
    surveyIds: z.array(z.uuid()).optional(),
    questionIds: z.array(z.uuid()).optional(),
    businessUnitIds: z.array(z.uuid()).optional(),
    channels: z.array(z.string()).optional(),
    journeyPhases: z.array(z.enum(JOURNEY_PHASES)).optional(),
    touchpointTypes: z.array(z.string()).optional(),
    customer: customerFilterSchema.optional(),
    /** Customers in any of these segments. */
    segmentIds: z.array(z.uuid()).min(1).optional(),
    /** CURRENT: members now; AT_RESPONSE: members when they answered (score metrics). */
    segmentMembership: z.enum(['CURRENT', 'AT_RESPONSE']).optional(),
  })
  .strict();

export type MetricsFilter = z.output<typeof metricsFilterSchema>;
export type CustomerFilter = z.output<typeof customerFilterSchema>;

export function parseMetricsFilterOrThrow(input: unknown, prefix = ['filter']): MetricsFilter {
  const result = metricsFilterSchema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error, prefix);
  return result.data;
}

export const TIME_BUCKETS = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'] as const;
export type TimeBucket = (typeof TIME_BUCKETS)[number];
export const DIMENSIONS = ['SURVEY', 'BUSINESS_UNIT', 'CHANNEL', 'JOURNEY_PHASE', 'TOUCHPOINT_TYPE', 'SEGMENT'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type Grouping = { bucket: TimeBucket } | { dimension: Dimension } | null;
