import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

/**
 * What a segmentation model may read: one workspace's rows under logical names, never the server's
 * physical tables. Every name here is a view the server scopes to the segment's workspace before the
 * model's condition sees it, so a model cannot read another workspace, and contact details (e-mail,
 * phone) and open-text answers are not offered at all. Columns are those of the public API.
 */
export interface SegmentationTables {
  /** The customer being tested; the condition is over this row. */
  customer: {
    id: string;
    externalId: string | null;
    businessUnitId: string | null;
    firstName: string | null;
    locale: string | null;
    ageBand: string | null;
    gender: string | null;
    incomeBand: string | null;
    education: string | null;
    maritalStatus: string | null;
    country: string | null;
    province: string | null;
    city: string | null;
    postcode: string | null;
    devices: string[];
    apps: string[];
    /** Free-form attributes (JSON object); read a key with `eb.ref('customer.attributes', '->>').key('lifestyle')`. */
    attributes: unknown;
    preferredChannel: string | null;
    consentEmail: boolean;
    consentSms: boolean;
    consentPhone: boolean;
    consentSurveys: boolean;
    customerSince: Date;
    churnedAt: Date | null;
    createdAt: Date;
  };
  /** The workspace's orders. `amount` is numeric(14,2). */
  orders: { id: string; customerId: string; businessUnitId: string | null; amount: number; currency: string; orderedAt: Date; channel: string | null };
  /** The workspace's touchpoints, with their journey phase. */
  touchpoints: { id: string; customerId: string; businessUnitId: string | null; type: string; journeyPhase: string; occurredAt: Date; channel: string | null };
  /** Scored and choice answers with their response's customer and survey and their question's type (no open text). */
  answers: {
    customerId: string | null;
    surveyId: string;
    questionId: string;
    /** NPS, CSAT, CES, SINGLE_CHOICE, MULTIPLE_CHOICE, OPEN_TEXT. */
    questionType: string;
    score: number | null;
    choices: string[];
    skipped: boolean;
    answeredAt: Date;
  };
}

/** The names a model's condition may read from. */
export const SEGMENTATION_TABLES = ['customer', 'orders', 'touchpoints', 'answers'] as const satisfies ReadonlyArray<keyof SegmentationTables>;

/**
 * The builder a model receives: Kysely's expression builder over {@link SegmentationTables}, with the
 * customer row `customer` in scope. Values go in as bound parameters (`eb.val`, or the right-hand
 * side of `eb(column, op, value)`); subqueries start with `eb.selectFrom('orders')`.
 */
export type SegmentationExpressionBuilder = ExpressionBuilder<SegmentationTables, 'customer'>;

/** A boolean condition over the customer row: true for members. */
export type SegmentCondition = Expression<SqlBool>;

/**
 * Functions a condition may call (Kysely's `eb.fn(...)`, `eb.fn.count(...)`, window functions):
 * aggregates, windows and plain value functions. Anything else (file access, sleeps, settings) is
 * refused when the segment is computed.
 */
export const SEGMENTATION_FUNCTIONS = [
  'count',
  'sum',
  'min',
  'max',
  'avg',
  'bool_and',
  'bool_or',
  'array_agg',
  'ntile',
  'row_number',
  'rank',
  'dense_rank',
  'percent_rank',
  'cume_dist',
  'coalesce',
  'nullif',
  'greatest',
  'least',
  'lower',
  'upper',
  'left',
  'right',
  'length',
  'trim',
  'cardinality',
  'array_length',
  'abs',
  'round',
  'floor',
  'ceil',
  'date_trunc',
  'extract',
  'date_part',
  'age',
  'any',
  'all',
] as const;

/** Types a condition may cast to (`eb.cast(value, 'numeric')`). */
export const SEGMENTATION_CAST_TYPES = ['text', 'numeric', 'integer', 'bigint', 'boolean', 'date', 'timestamptz', 'uuid', 'jsonb'] as const;
