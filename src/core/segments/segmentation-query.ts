import type { OperationNode } from 'kysely';
import { db } from '../../db/kysely.js';
import type { SegmentationModel } from '../plugin-sdk/segmentation-model.js';
import { SEGMENTATION_CAST_TYPES, SEGMENTATION_FUNCTIONS, SEGMENTATION_TABLES, type SegmentationExpressionBuilder, type SegmentationTables } from '../plugin-sdk/segmentation-tables.js';

/** A model's condition used what the segmentation builder does not offer. */
export class SegmentationModelError extends Error {
  constructor(
    readonly model: string,
    detail: string,
  ) {
    super(`Segmentation model "${model}" ${detail}`);
    this.name = 'SegmentationModelError';
  }
}

const TABLES = new Set<string>(SEGMENTATION_TABLES);
const FUNCTIONS = new Set<string>(SEGMENTATION_FUNCTIONS);
const CASTS = new Set<string>(SEGMENTATION_CAST_TYPES);
/** SQL text the builder itself emits (sort directions). */
const BUILDER_WORDS = new Set(['asc', 'desc', 'nulls first', 'nulls last']);

/**
 * Walks a model's condition and refuses what the builder's types already rule out, for models that
 * get around them (a cast, plain JavaScript): a FROM item that is a table outside the logical ones
 * (or in any schema), SQL text, a function or cast type outside the allowed lists.
 */
export function assertRestrictedCondition(model: string, node: OperationNode): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const current = value as OperationNode & Record<string, unknown>;
    switch (current.kind) {
      case 'RawNode': {
        const raw = current as unknown as { sqlFragments: readonly string[]; parameters: readonly unknown[] };
        if (raw.parameters.length || raw.sqlFragments.length !== 1 || !BUILDER_WORDS.has(raw.sqlFragments[0]!.trim().toLowerCase()))
          throw new SegmentationModelError(model, 'uses SQL text; build the condition with the builder it is given');
        return;
      }
      case 'ReferenceNode':
        // A qualifier names a FROM item in scope (PostgreSQL adds none of its own), and every FROM
        // item is checked where it appears; only the column is visited.
        return visit((current as unknown as { column: unknown }).column);
      case 'TableNode': {
        const table = (current as unknown as { table: { schema?: unknown; identifier: { name: string } } }).table;
        if (table.schema || !TABLES.has(table.identifier.name)) throw new SegmentationModelError(model, `reads "${table.identifier.name}"; a model reads only ${[...TABLES].join(', ')}`);
        break;
      }
      case 'FunctionNode':
      case 'AggregateFunctionNode': {
        const name = String((current as unknown as { func: string }).func).toLowerCase();
        if (!FUNCTIONS.has(name)) throw new SegmentationModelError(model, `calls ${name}(), which segmentation models may not use`);
        break;
      }
      case 'DataTypeNode': {
        const type = String((current as unknown as { dataType: string }).dataType).toLowerCase();
        if (!CASTS.has(type)) throw new SegmentationModelError(model, `casts to ${type}, which segmentation models may not use`);
        break;
      }
    }
    for (const child of Object.values(current)) if (child && typeof child === 'object') visit(child);
  };
  visit(node);
}

/** Every column a name of SegmentationTables offers, and no other: the type check fails when the two part. */
type Exactly<Listed extends string, Offered extends string> = [Exclude<Offered, Listed>] extends [never] ? readonly Listed[] : { missing: Exclude<Offered, Listed> };
const columns =
  <Offered extends string>() =>
  <const Listed extends Offered>(list: readonly Listed[] & Exactly<Listed, Offered>) =>
    list as readonly Listed[];
const CUSTOMER_COLUMNS = columns<keyof SegmentationTables['customer']>()([
  'id',
  'externalId',
  'businessUnitId',
  'firstName',
  'locale',
  'ageBand',
  'gender',
  'incomeBand',
  'education',
  'maritalStatus',
  'country',
  'province',
  'city',
  'postcode',
  'devices',
  'apps',
  'attributes',
  'preferredChannel',
  'consentEmail',
  'consentSms',
  'consentPhone',
  'consentSurveys',
  'customerSince',
  'churnedAt',
  'createdAt',
]);
const ORDER_COLUMNS = columns<keyof SegmentationTables['orders']>()(['id', 'customerId', 'businessUnitId', 'amount', 'currency', 'orderedAt', 'channel']);
const TOUCHPOINT_COLUMNS = columns<keyof SegmentationTables['touchpoints']>()(['id', 'customerId', 'businessUnitId', 'type', 'journeyPhase', 'occurredAt', 'channel']);

/**
 * The workspace's rows under the names a model reads, as CTEs that PostgreSQL inlines (NOT
 * MATERIALIZED): each carries the workspace predicate, so an index on ("workspaceId", ...) serves
 * the model's subqueries as if it had written them against the tables.
 */
function scopedTables(workspaceId: string) {
  return db
    .with(
      (cte) => cte('customer').notMaterialized(),
      (q) => q.selectFrom('Customer').select(CUSTOMER_COLUMNS).where('workspaceId', '=', workspaceId),
    )
    .with(
      (cte) => cte('orders').notMaterialized(),
      (q) => q.selectFrom('Order').select(ORDER_COLUMNS).where('workspaceId', '=', workspaceId),
    )
    .with(
      (cte) => cte('touchpoints').notMaterialized(),
      (q) => q.selectFrom('Touchpoint').select(TOUCHPOINT_COLUMNS).where('workspaceId', '=', workspaceId),
    )
    .with(
      (cte) => cte('answers').notMaterialized(),
      (q) =>
        q
          .selectFrom('Answer as a')
          .innerJoin('SurveyResponse as r', (join) => join.onRef('r.id', '=', 'a.responseId').onRef('r.workspaceId', '=', 'a.workspaceId'))
          .innerJoin('Question as q', (join) => join.onRef('q.id', '=', 'a.questionId').onRef('q.workspaceId', '=', 'a.workspaceId'))
          .select(['r.customerId', 'r.surveyId', 'a.questionId', 'q.type as questionType', 'a.score', 'a.choices', 'a.skipped', 'a.answeredAt'])
          .where('a.workspaceId', '=', workspaceId),
    );
}

/**
 * The ids of the workspace's customers a model's condition selects, as one statement: the model
 * builds its condition with the restricted builder, the condition is checked, and the scoped tables
 * are put in front of it.
 */
export function segmentMembersQuery<P>(model: SegmentationModel<P>, parameters: P, workspaceId: string, now: Date) {
  return scopedTables(workspaceId)
    .selectFrom('customer')
    .select('customer.id')
    .where((eb) => {
      const condition = model.membership(parameters, { eb: eb as unknown as SegmentationExpressionBuilder, now });
      assertRestrictedCondition(model.code, condition.toOperationNode());
      return condition;
    });
}
