import { sql, type RawBuilder } from 'kysely';
import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { NOT_DELIVERED } from '../surveys/invitation-states.js';
import { PARETO_TOPS, pyramidTierSql, type PyramidTier } from './pareto.js';
import type { CustomerFilter, Dimension, Grouping, MetricsFilter, TimeBucket } from './queries/metrics-filter.js';
import type { RetentionCounts } from './retention.js';
import { npsGroupSql } from './score-groups.js';

/**
 * The metrics' statements and the filter conditions they share. Every condition is a Kysely `sql`
 * fragment: values are parameters, column and table names are written here, and a statement is
 * compiled from its fragments (so one filter shape always gives the same text, prepared once).
 */

/** A condition of a WHERE clause. */
export type Condition = RawBuilder<unknown>;

export interface MetricsScope {
  sql: SqlRunner;
  workspace: { id: string; timeZone: string };
  filter: MetricsFilter;
  /** Conditions on the customer (alias c) added by other features, such as segments. */
  customerConditions?: Condition[];
}

/** The conditions joined with AND (TRUE when there are none). */
export function and(conditions: readonly Condition[]): Condition {
  return conditions.length === 0 ? sql`TRUE` : sql.join(conditions, sql` AND `);
}

const col = (alias: string, column: string) => sql.ref(`${alias}.${column}`);

/** A calendar day (`YYYY-MM-DD`) as the moment it starts in the time zone. */
export const dayStart = (day: string, timeZone: string) => sql`((${day}::date)::timestamp AT TIME ZONE ${timeZone})`;

/** The period as timestamps in the workspace time zone. */
export function periodBounds(scope: Pick<MetricsScope, 'workspace' | 'filter'>) {
  return { start: dayStart(scope.filter.period.from, scope.workspace.timeZone), end: dayStart(scope.filter.period.to, scope.workspace.timeZone) };
}

/** A timestamp's bucket start in the time zone, as `YYYY-MM-DD`. */
export const bucketOf = (bucket: TimeBucket, moment: RawBuilder<unknown>, timeZone: string) =>
  sql<string>`to_char(date_trunc(${bucket.toLowerCase()}, ${moment} AT TIME ZONE ${timeZone}), 'YYYY-MM-DD')`;

/** The filter's slices of an answer (alias: the score rollup or the response): survey, unit, channel, journey phase, touchpoint type. */
export function sliceConditions(filter: MetricsFilter, alias: string): Condition[] {
  const conditions: Condition[] = [];
  if (filter.surveyIds) conditions.push(sql`${col(alias, 'surveyId')} = ANY (${filter.surveyIds}::uuid[])`);
  if (filter.businessUnitIds) conditions.push(sql`${col(alias, 'businessUnitId')} = ANY (${filter.businessUnitIds}::uuid[])`);
  if (filter.channels) conditions.push(sql`${col(alias, 'channel')} = ANY (${filter.channels}::text[])`);
  if (filter.journeyPhases) conditions.push(sql`${col(alias, 'journeyPhase')}::text = ANY (${filter.journeyPhases}::text[])`);
  if (filter.touchpointTypes) conditions.push(sql`${col(alias, 'touchpointType')} = ANY (${filter.touchpointTypes}::text[])`);
  return conditions;
}

const CUSTOMER_FIELDS = ['country', 'province', 'city', 'ageBand', 'gender', 'incomeBand', 'locale'] as const;

/** Who the customer (alias c) is: the filter's profile fields and attributes. */
export function customerConditions(customer: CustomerFilter | undefined, alias = 'c'): Condition[] {
  if (!customer) return [];
  const conditions: Condition[] = [];
  for (const field of CUSTOMER_FIELDS) {
    const value = customer[field];
    if (value !== undefined) conditions.push(sql`${col(alias, field)} = ${value}`);
  }
  if (customer.attributes) conditions.push(sql`${col(alias, 'attributes')} @> ${JSON.stringify(customer.attributes)}::jsonb`);
  return conditions;
}

/** Customers (alias c) currently in any of the filter's segments. */
export function segmentConditions(filter: MetricsFilter, alias = 'c'): Condition[] {
  if (!filter.segmentIds) return [];
  return [sql`${col(alias, 'id')} IN (SELECT m."customerId" FROM "SegmentMembership" m WHERE m."segmentId" = ANY (${filter.segmentIds}::uuid[]) AND m."leftAt" IS NULL)`];
}

/** Answers (alias a, response r) given while the customer was in any of the filter's segments. */
export function segmentAtResponse(filter: MetricsFilter): Condition[] {
  if (!filter.segmentIds) return [];
  return [
    sql`EXISTS (SELECT 1 FROM "SegmentMembership" m WHERE m."segmentId" = ANY (${filter.segmentIds}::uuid[]) AND m."customerId" = r."customerId"
              AND m."enteredAt" <= a."answeredAt" AND (m."leftAt" IS NULL OR m."leftAt" > a."answeredAt"))`,
  ];
}

/** The filter's conditions on who the customer (alias c) is: attributes, segments, and those added by other features. */
export function customerFilterConditions(scope: Pick<MetricsScope, 'filter' | 'customerConditions'>): Condition[] {
  return [...customerConditions(scope.filter.customer), ...segmentConditions(scope.filter), ...(scope.customerConditions ?? [])];
}

/** The workspace's customers (alias c) the filter selects: home unit and who they are. */
function customerScope(scope: MetricsScope): Condition[] {
  return [
    sql`c."workspaceId" = ${scope.workspace.id}::uuid`,
    ...(scope.filter.businessUnitIds ? [sql`c."businessUnitId" = ANY (${scope.filter.businessUnitIds}::uuid[])`] : []),
    ...customerFilterConditions(scope),
  ];
}

/**
 * The orders (alias o, with their customer c) a metrics filter selects: ordered in the period, by the
 * order's own unit (the customer's home unit when the order names none) and channel, as the score
 * metrics use the touchpoint's; journey phases and touchpoint types do not apply to orders.
 */
function orderConditions(scope: MetricsScope): Condition[] {
  const { start, end } = periodBounds(scope);
  return [
    sql`c."workspaceId" = ${scope.workspace.id}::uuid`,
    ...customerFilterConditions(scope),
    ...(scope.filter.businessUnitIds ? [sql`COALESCE(o."businessUnitId", c."businessUnitId") = ANY (${scope.filter.businessUnitIds}::uuid[])`] : []),
    ...(scope.filter.channels ? [sql`o.channel = ANY (${scope.filter.channels}::text[])`] : []),
    sql`o."orderedAt" >= ${start}`,
    sql`o."orderedAt" < ${end}`,
  ];
}

/** An invitation's group for a response-rate breakdown (alias i, its touchpoint t and customer c). */
const RESPONSE_RATE_DIMENSION: Record<Exclude<Dimension, 'SEGMENT'>, RawBuilder<string>> = {
  SURVEY: sql`i."surveyId"::text`,
  BUSINESS_UNIT: sql`COALESCE(t."businessUnitId", c."businessUnitId")::text`,
  CHANNEL: sql`i.channel`,
  JOURNEY_PHASE: sql`t."journeyPhase"::text`,
  TOUCHPOINT_TYPE: sql`t.type`,
};

export interface DeliveredCounts {
  group: string | null;
  delivered: number;
  completed: number;
}

/** Delivered and completed invitations sent in the period, in one group or per bucket or dimension value (not SEGMENT). */
export async function deliveredCounts(scope: MetricsScope, grouping: Grouping): Promise<DeliveredCounts[]> {
  const { start, end } = periodBounds(scope);
  const { filter } = scope;
  const group =
    grouping === null
      ? sql<string | null>`NULL::text`
      : 'bucket' in grouping
        ? bucketOf(grouping.bucket, sql`i."sentAt"`, scope.workspace.timeZone)
        : RESPONSE_RATE_DIMENSION[grouping.dimension as Exclude<Dimension, 'SEGMENT'>];
  const conditions = [
    sql`i."workspaceId" = ${scope.workspace.id}::uuid`,
    sql`i."sentAt" >= ${start}`,
    sql`i."sentAt" < ${end}`,
    sql`i.status NOT IN ${sql.raw(NOT_DELIVERED.sql)}`,
    ...(filter.surveyIds ? [sql`i."surveyId" = ANY (${filter.surveyIds}::uuid[])`] : []),
    ...(filter.channels ? [sql`i.channel = ANY (${filter.channels}::text[])`] : []),
    ...(filter.businessUnitIds ? [sql`COALESCE(t."businessUnitId", c."businessUnitId") = ANY (${filter.businessUnitIds}::uuid[])`] : []),
    ...(filter.journeyPhases ? [sql`t."journeyPhase"::text = ANY (${filter.journeyPhases}::text[])`] : []),
    ...(filter.touchpointTypes ? [sql`t.type = ANY (${filter.touchpointTypes}::text[])`] : []),
    ...customerFilterConditions(scope),
  ];
  const rows = await scope.sql.session((conn) =>
    run(
      conn,
      sql<DeliveredCounts>`
        SELECT ${group} AS "group", count(*)::int AS delivered, count(*) FILTER (WHERE i.status = 'COMPLETED')::int AS completed
          FROM "Invitation" i
          JOIN "Customer" c ON c.id = i."customerId"
          LEFT JOIN "Touchpoint" t ON t.id = i."touchpointId"
         WHERE ${and(conditions)}
         GROUP BY 1`,
    ),
  );
  return rows.map((row) => ({ group: row.group, delivered: Number(row.delivered), completed: Number(row.completed) }));
}

/** Customers (alias c) counted at the start and end of the period, acquired in it and lost from the start. */
const retentionCounts = (start: Condition, end: Condition) => sql`
  count(*) FILTER (WHERE c."customerSince" < ${start} AND (c."churnedAt" IS NULL OR c."churnedAt" >= ${start}))::int AS "atStart",
  count(*) FILTER (WHERE c."customerSince" < ${end} AND (c."churnedAt" IS NULL OR c."churnedAt" >= ${end}))::int AS "atEnd",
  count(*) FILTER (WHERE c."customerSince" >= ${start} AND c."customerSince" < ${end} AND (c."churnedAt" IS NULL OR c."churnedAt" >= ${end}))::int AS acquired,
  count(*) FILTER (WHERE c."customerSince" < ${start} AND c."churnedAt" >= ${start} AND c."churnedAt" < ${end})::int AS "lostFromStart"`;

/** The workspace's "no order for N days" churn setting (null: churn is `churnedAt`). */
export async function workspaceChurnDays(scope: MetricsScope): Promise<number | null> {
  const [row] = await scope.sql.session((conn) => run(conn, sql<{ days: number | null }>`SELECT "churnAfterDaysWithoutOrder" AS days FROM "Workspace" WHERE id = ${scope.workspace.id}::uuid`));
  return row?.days ?? null;
}

/**
 * Retention counts of the filter's customers over the period: by `customerSince` and `churnedAt`,
 * or, with `inactiveAfterDays`, a customer at a moment only with an order in the days before it.
 */
export async function retentionCountsOf(scope: MetricsScope, inactiveAfterDays: number | null): Promise<RetentionCounts> {
  const { start, end } = periodBounds(scope);
  const where = and(customerScope(scope));
  if (inactiveAfterDays === null) {
    const [counts] = await scope.sql.session((conn) => run(conn, sql<RetentionCounts>`SELECT ${retentionCounts(start, end)} FROM "Customer" c WHERE ${where}`));
    return counts!;
  }
  const activeBefore = (moment: Condition) =>
    sql`EXISTS (SELECT 1 FROM "Order" o WHERE o."customerId" = c.id AND o."orderedAt" >= ${moment} - make_interval(days => ${inactiveAfterDays}::int) AND o."orderedAt" < ${moment})`;
  const [counts] = await scope.sql.session((conn) =>
    run(
      conn,
      sql<RetentionCounts>`
        WITH a AS (SELECT c."customerSince", ${activeBefore(start)} AS "activeAtStart", ${activeBefore(end)} AS "activeAtEnd" FROM "Customer" c WHERE ${where})
        SELECT count(*) FILTER (WHERE "customerSince" < ${start} AND "activeAtStart")::int AS "atStart",
               count(*) FILTER (WHERE "customerSince" < ${end} AND "activeAtEnd")::int AS "atEnd",
               count(*) FILTER (WHERE "customerSince" >= ${start} AND "customerSince" < ${end} AND "activeAtEnd")::int AS acquired,
               count(*) FILTER (WHERE "customerSince" < ${start} AND "activeAtStart" AND NOT "activeAtEnd")::int AS "lostFromStart"
          FROM a`,
    ),
  );
  return counts!;
}

/** Per currency and customer: the filter's orders in the period and their revenue. */
const perCustomerOrders = (scope: MetricsScope) => sql`
  SELECT o.currency, o."customerId", count(*) AS orders, sum(o.amount) AS revenue
    FROM "Order" o JOIN "Customer" c ON c.id = o."customerId"
   WHERE ${and(orderConditions(scope))}
   GROUP BY o.currency, o."customerId"`;

export interface CommerceRows {
  /** Customers of the filter during the period (ordering or not). */
  customers: number;
  totals: Array<{ currency: string; orders: number; orderingCustomers: number; repeatCustomers: number; revenue: string }>;
  tiers: Array<{ currency: string; tier: PyramidTier; customers: number; revenue: string }>;
  tops: Array<{ currency: string; top: number; customers: number; revenue: string }>;
}

/** Orders, revenue and repeat customers per currency, the customer pyramid's tiers and the Pareto tops. */
export async function commerceRows(scope: MetricsScope): Promise<CommerceRows> {
  const { start, end } = periodBounds(scope);
  const perCustomer = perCustomerOrders(scope);
  const ranked = sql`SELECT currency, revenue, row_number() OVER (PARTITION BY currency ORDER BY revenue DESC, "customerId") AS rank, count(*) OVER (PARTITION BY currency) AS n FROM per_customer`;
  const [[customers], tiers] = await scope.sql.session(async (conn) => [
    await run(
      conn,
      sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM "Customer" c WHERE ${and([...customerScope(scope), sql`c."customerSince" < ${end}`, sql`(c."churnedAt" IS NULL OR c."churnedAt" >= ${start})`])}`,
    ),
    await run(
      conn,
      sql<CommerceRows['tiers'][number]>`
        WITH per_customer AS (${perCustomer}), ranked AS (${ranked})
        SELECT currency, ${sql.raw(pyramidTierSql('rank', 'n', 'revenue'))} AS tier, count(*)::int AS customers, sum(revenue)::text AS revenue
          FROM ranked GROUP BY 1, 2`,
    ),
  ]);
  const [totals, tops] = await scope.sql.session(async (conn) => [
    await run(
      conn,
      sql<CommerceRows['totals'][number]>`
        WITH per_customer AS (${perCustomer})
        SELECT currency, sum(orders)::int AS orders, count(*)::int AS "orderingCustomers",
               count(*) FILTER (WHERE orders > 1)::int AS "repeatCustomers", sum(revenue)::text AS revenue
          FROM per_customer GROUP BY currency ORDER BY currency`,
    ),
    await run(
      conn,
      sql<CommerceRows['tops'][number]>`
        WITH per_customer AS (${perCustomer}), ranked AS (${ranked})
        SELECT currency, top, GREATEST(1, ceil(top / 100.0 * n))::int AS customers,
               (sum(revenue) FILTER (WHERE rank <= GREATEST(1, ceil(top / 100.0 * n))))::text AS revenue
          FROM ranked CROSS JOIN unnest(${PARETO_TOPS.map(Number)}::int[]) AS top
         GROUP BY currency, top, n ORDER BY currency, top`,
    ),
  ]);
  return { customers: customers?.n ?? 0, totals, tiers, tops };
}

/** Orders, ordering and repeat customers and revenue per bucket of the order date and currency. */
export async function commerceBucketRows(scope: MetricsScope, bucket: TimeBucket) {
  return scope.sql.session((conn) =>
    run(
      conn,
      sql<{ bucket: string; currency: string; orders: number; orderingCustomers: number; repeatCustomers: number; revenue: string }>`
        WITH per_customer AS (
          SELECT ${bucketOf(bucket, sql`o."orderedAt"`, scope.workspace.timeZone)} AS bucket, o.currency, o."customerId", count(*) AS orders, sum(o.amount) AS revenue
            FROM "Order" o JOIN "Customer" c ON c.id = o."customerId"
           WHERE ${and(orderConditions(scope))}
           GROUP BY 1, 2, 3)
        SELECT bucket, currency, sum(orders)::int AS orders, count(*)::int AS "orderingCustomers", count(*) FILTER (WHERE orders > 1)::int AS "repeatCustomers", sum(revenue)::text AS revenue
          FROM per_customer GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
  );
}

/**
 * Share of wallet's inputs: the filter's customers, and of those with a positive number in the
 * spend attribute, that number and what they spent with us in the currency in the period.
 */
export async function walletRows(scope: MetricsScope, spendAttribute: string, currency: string) {
  const customers = and(customerScope(scope));
  const stated = sql`CASE WHEN jsonb_typeof(c.attributes -> ${spendAttribute}) = 'number' OR (c.attributes ->> ${spendAttribute}) ~ '^[0-9]+([.][0-9]+)?$' THEN (c.attributes ->> ${spendAttribute})::numeric END`;
  const [[scoped], rows] = await scope.sql.session(async (conn) => [
    await run(conn, sql<{ n: number }>`SELECT count(*)::int AS n FROM "Customer" c WHERE ${customers}`),
    await run(
      conn,
      sql<{ stated: string; us: string }>`
        WITH known AS (SELECT c.id, ${stated} AS stated FROM "Customer" c WHERE ${customers}),
        spent AS (SELECT o."customerId", sum(o.amount) AS us FROM "Order" o JOIN "Customer" c ON c.id = o."customerId"
                   WHERE ${and(orderConditions(scope))} AND o.currency = ${currency} AND o."customerId" IN (SELECT id FROM known WHERE stated > 0) GROUP BY 1)
        SELECT k.stated::text AS stated, COALESCE(s.us, 0)::text AS us FROM known k LEFT JOIN spent s ON s."customerId" = k.id WHERE k.stated > 0`,
    ),
  ]);
  return { customers: scoped?.n ?? 0, rows };
}

export type BehaviourRow = RetentionCounts & { group: string; customers: number; revenue: Record<string, string>; orders: number };

/**
 * Per NPS group of each customer's latest NPS answer before the period starts (the answer's slices
 * applied): customers, retention counts over the period, orders and revenue per currency in it.
 */
export async function npsBehaviourRows(scope: MetricsScope): Promise<BehaviourRow[]> {
  const { start, end } = periodBounds(scope);
  const { filter } = scope;
  const slices = [...sliceConditions(filter, 'r'), ...(filter.questionIds ? [sql`a."questionId" = ANY (${filter.questionIds}::uuid[])`] : [])];
  return scope.sql.session((conn) =>
    run(
      conn,
      sql<BehaviourRow>`
        WITH latest AS (
          SELECT DISTINCT ON (r."customerId") r."customerId", a.score
            FROM "Answer" a JOIN "SurveyResponse" r ON r.id = a."responseId" JOIN "Question" q ON q.id = a."questionId"
           WHERE ${and([
             sql`a."workspaceId" = ${scope.workspace.id}::uuid`,
             sql`q.type = 'NPS'`,
             sql`a.score IS NOT NULL`,
             sql`NOT a.skipped`,
             sql`r."customerId" IS NOT NULL`,
             sql`a."answeredAt" < ${start}`,
             ...slices,
           ])}
           ORDER BY r."customerId", a."answeredAt" DESC),
        grouped AS (
          SELECT "customerId", ${sql.raw(npsGroupSql('score'))} AS "group" FROM latest),
        scoped AS (
          SELECT g."customerId", g."group" FROM grouped g JOIN "Customer" c ON c.id = g."customerId"
           WHERE ${and([sql`c."workspaceId" = ${scope.workspace.id}::uuid`, ...customerFilterConditions(scope)])}),
        money AS (
          -- Amounts in different currencies are never added together: one sum per group and currency.
          SELECT s."group", o.currency, sum(o.amount) AS revenue, count(*)::int AS orders
            FROM scoped s JOIN "Order" o ON o."customerId" = s."customerId"
           WHERE o."orderedAt" >= ${start} AND o."orderedAt" < ${end}
           GROUP BY s."group", o.currency)
        SELECT s."group", count(*)::int AS customers, ${retentionCounts(start, end)},
               COALESCE((SELECT sum(m.orders) FROM money m WHERE m."group" = s."group"), 0)::int AS orders,
               (SELECT COALESCE(jsonb_object_agg(m.currency, m.revenue::text), '{}'::jsonb) FROM money m WHERE m."group" = s."group") AS revenue
          FROM scoped s JOIN "Customer" c ON c.id = s."customerId"
         GROUP BY s."group"`,
    ),
  );
}

/** Per question of the survey, among the responses the filter selects: reached, answered, skipped, abandoned there. */
export async function dropOffRows(scope: MetricsScope, surveyId: string) {
  const { start, end } = periodBounds(scope);
  const responses = [
    sql`r."workspaceId" = ${scope.workspace.id}::uuid`,
    sql`r."surveyId" = ${surveyId}::uuid`,
    sql`r."startedAt" >= ${start}`,
    sql`r."startedAt" < ${end}`,
    ...sliceConditions({ ...scope.filter, surveyIds: undefined }, 'r'),
    ...customerFilterConditions(scope),
  ];
  return scope.sql.session((conn) =>
    run(
      conn,
      sql<{ questionId: string; position: number; reached: number; answered: number; skipped: number; abandoned: number }>`
        WITH picked AS (SELECT r.id, r."completedAt" FROM "SurveyResponse" r LEFT JOIN "Customer" c ON c.id = r."customerId" WHERE ${and(responses)}),
        answers AS (SELECT a.id, a."responseId", a."questionId", a.skipped, q.position FROM "Answer" a JOIN picked p ON p.id = a."responseId" JOIN "Question" q ON q.id = a."questionId"),
        last AS (SELECT DISTINCT ON ("responseId") "responseId", "questionId" FROM answers ORDER BY "responseId", position DESC)
        SELECT q.id AS "questionId", q.position,
               count(a.id)::int AS reached,
               count(a.id) FILTER (WHERE NOT a.skipped)::int AS answered,
               count(a.id) FILTER (WHERE a.skipped)::int AS skipped,
               (SELECT count(*) FROM last JOIN picked p ON p.id = last."responseId" WHERE last."questionId" = q.id AND p."completedAt" IS NULL)::int AS abandoned
          FROM "Question" q LEFT JOIN answers a ON a."questionId" = q.id
         WHERE q."workspaceId" = ${scope.workspace.id}::uuid AND q."surveyId" = ${surveyId}::uuid
         GROUP BY q.id, q.position ORDER BY q.position`,
    ),
  );
}
