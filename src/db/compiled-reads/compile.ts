import { sql, type RawBuilder } from 'kysely';
import { modelInfo, relationInfo, type FieldInfo, type ModelInfo } from './datamodel.js';
import { type Shape, type ShapeEntry, converterFor } from './result.js';

/**
 * Compiles the arguments Pothos hands a Prisma `findMany` (select or include shaped by the GraphQL
 * selection, where, orderBy, take, skip) into ONE statement: only the selected columns, to-one
 * relations as correlated subqueries, to-many relations as ordered, limited `json_agg` subqueries,
 * relation counts as counts, and the workspace predicate written out on every table it reads.
 * The same selection shape always yields the same text, so the runner prepares it once per
 * connection. Anything outside this subset throws `Unsupported` and the caller uses Prisma.
 */
export class Unsupported extends Error {}

type Sql = RawBuilder<unknown>;
type Args = Record<string, unknown>;
type Direction = 'asc' | 'desc';

export interface CompiledFind {
  query: RawBuilder<{ o: Record<string, unknown> }>;
  shape: Shape;
  /** A negative take reads backwards: the rows come in reverse and are turned around after. */
  reverse: boolean;
}

/** json_build_object takes at most 100 arguments: wider objects are built in parts and joined. */
const MAX_PAIRS = 50;
const FIND_KEYS = new Set(['select', 'include', 'where', 'orderBy', 'take', 'skip']);

class Compilation {
  private aliases = 0;
  constructor(private readonly workspaceId: string) {}

  alias(): string {
    return `t${this.aliases++}`;
  }

  tenant(model: ModelInfo, alias: string): Sql[] {
    if (!model.tenant) return [];
    return [model.name === 'Workspace' ? sql`${col(alias, 'id')} = ${this.workspaceId}` : sql`${col(alias, 'workspaceId')} = ${this.workspaceId}`];
  }

  object(model: ModelInfo, alias: string, args: Args): { expr: Sql; shape: Shape } {
    const pairs: Array<[string, Sql]> = [];
    const shape: ShapeEntry[] = [];
    const entries: Array<[string, unknown]> = args.select
      ? Object.entries(args.select as Args)
      : [...model.scalars.map((field): [string, unknown] => [field.name, true]), ...Object.entries((args.include as Args | undefined) ?? {})];
    for (const [key, value] of entries) {
      if (value === false || value === undefined) continue;
      if (key === '_count') {
        pairs.push([key, this.counts(model, alias, value)]);
        shape.push({ key });
        continue;
      }
      const field = model.fields.get(key);
      if (!field) throw new Unsupported(`unknown field ${model.name}.${key}`);
      if (field.kind !== 'object') {
        if (value !== true) throw new Unsupported(`selection of scalar ${key}`);
        pairs.push([key, scalar(alias, field)]);
        shape.push({ key, convert: converterFor(field) });
        continue;
      }
      const nested = this.relation(model, alias, field, value);
      pairs.push([key, nested.expr]);
      shape.push({ key, nested: nested.shape, list: nested.list });
    }
    return { expr: buildObject(pairs), shape };
  }

  private relation(model: ModelInfo, alias: string, field: FieldInfo, value: unknown): { expr: Sql; shape: Shape; list: boolean } {
    const relation = relationInfo(model, field);
    if (!relation) throw new Unsupported(`relation ${model.name}.${field.name}`);
    const args = value === true ? {} : (value as Args);
    if (typeof args !== 'object' || args === null) throw new Unsupported('relation argument');
    for (const key of Object.keys(args)) if (!FIND_KEYS.has(key) && args[key] !== undefined) throw new Unsupported(`relation argument ${key}`);
    const inner = this.alias();
    const conditions = [...this.join(relation.pairs, inner, alias), ...this.tenant(relation.target, inner)];
    if (args.where) conditions.push(this.where(relation.target, inner, args.where as Args));
    const { expr, shape } = this.object(relation.target, inner, args);
    const from = sql`${sql.table(relation.target.name)} ${sql.raw(inner)}`;
    if (!relation.toMany) {
      if (args.orderBy || args.take !== undefined || args.skip) throw new Unsupported('paging a to-one relation');
      return { expr: sql`(SELECT ${expr} FROM ${from} WHERE ${and(conditions)} LIMIT 1)`, shape, list: false };
    }
    const order = orderColumns(relation.target, args.orderBy, false);
    const take = args.take as number | undefined;
    if (take !== undefined && (!Number.isInteger(take) || take < 0)) throw new Unsupported('take');
    // The page is cut first and each kept row is turned into JSON after: the subquery keeps the
    // alias, so the object (and relations nested in it) read its columns as they would the table's,
    // and PostgreSQL drops the columns nothing reads (a JSON object per row read, not per row kept,
    // cost a third more on a list of customers with their last orders).
    const ordered = orderBy(inner, order);
    const page = sql`SELECT * FROM ${from} WHERE ${and(conditions)} ORDER BY ${ordered}${limit(take, args.skip)}`;
    return { expr: sql`(SELECT coalesce(json_agg(${expr} ORDER BY ${ordered}), '[]'::json) FROM (${page}) ${sql.raw(inner)})`, shape, list: true };
  }

  private counts(model: ModelInfo, alias: string, value: unknown): Sql {
    const select = (value as Args | null)?.select as Args | undefined;
    if (!select || typeof select !== 'object') throw new Unsupported('_count without select');
    const pairs: Array<[string, Sql]> = [];
    for (const [key, spec] of Object.entries(select)) {
      if (spec === false || spec === undefined) continue;
      const field = model.fields.get(key);
      const relation = field && relationInfo(model, field);
      if (!relation?.toMany) throw new Unsupported(`_count of ${key}`);
      const inner = this.alias();
      const conditions = [...this.join(relation.pairs, inner, alias), ...this.tenant(relation.target, inner)];
      if (spec !== true) {
        const where = (spec as Args).where;
        if (Object.keys(spec as Args).some((k) => k !== 'where')) throw new Unsupported('_count arguments');
        if (where) conditions.push(this.where(relation.target, inner, where as Args));
      }
      pairs.push([key, sql`(SELECT count(*) FROM ${sql.table(relation.target.name)} ${sql.raw(inner)} WHERE ${and(conditions)})`]);
    }
    return buildObject(pairs);
  }

  private join(pairs: Array<{ targetColumn: string; sourceColumn: string }>, inner: string, outer: string): Sql[] {
    return pairs.map(({ targetColumn, sourceColumn }) => sql`${col(inner, targetColumn)} = ${col(outer, sourceColumn)}`);
  }

  where(model: ModelInfo, alias: string, where: Args): Sql {
    const parts: Sql[] = [];
    for (const [key, value] of Object.entries(where)) {
      if (value === undefined) continue;
      if (key === 'AND') {
        parts.push(and(list(value).map((inner) => this.where(model, alias, inner))));
      } else if (key === 'OR') {
        const branches = list(value).map((inner) => this.where(model, alias, inner));
        parts.push(branches.length ? sql`(${sql.join(branches, sql` OR `)})` : sql`FALSE`);
      } else if (key === 'NOT') {
        parts.push(sql`NOT ${and(list(value).map((inner) => this.where(model, alias, inner)))}`);
      } else {
        const field = model.fields.get(key);
        if (!field) throw new Unsupported(`unknown field ${model.name}.${key}`);
        parts.push(field.kind === 'object' ? this.relationFilter(model, alias, field, value) : scalarFilter(col(alias, key), field, value));
      }
    }
    return and(parts);
  }

  private relationFilter(model: ModelInfo, alias: string, field: FieldInfo, value: unknown): Sql {
    const relation = relationInfo(model, field);
    if (!relation || value === null || typeof value !== 'object') throw new Unsupported(`filter on ${field.name}`);
    const entries = Object.entries(value as Args).filter(([, inner]) => inner !== undefined);
    const exists = (inner: Args | null, negateInner: boolean) => {
      const sub = this.alias();
      const conditions = [...this.join(relation.pairs, sub, alias), ...this.tenant(relation.target, sub)];
      if (inner && Object.keys(inner).length) {
        const condition = this.where(relation.target, sub, inner);
        conditions.push(negateInner ? sql`NOT ${condition}` : condition);
      }
      return sql`EXISTS (SELECT 1 FROM ${sql.table(relation.target.name)} ${sql.raw(sub)} WHERE ${and(conditions)})`;
    };
    const parts = entries.map(([op, inner]) => {
      if (inner === null) throw new Unsupported('null relation filter');
      const filter = inner as Args;
      if (relation.toMany) {
        if (op === 'some') return exists(filter, false);
        if (op === 'none') return sql`NOT ${exists(filter, false)}`;
        if (op === 'every') return sql`NOT ${exists(filter, true)}`;
      } else {
        if (op === 'is') return exists(filter, false);
        if (op === 'isNot') return sql`NOT ${exists(filter, false)}`;
      }
      throw new Unsupported(`relation filter ${op}`);
    });
    return and(parts);
  }
}

function col(alias: string, column: string): Sql {
  return sql.ref(`${alias}.${column}`);
}

function and(parts: Sql[]): Sql {
  if (parts.length === 0) return sql`TRUE`;
  if (parts.length === 1) return parts[0]!;
  return sql`(${sql.join(parts, sql` AND `)})`;
}

function list(value: unknown): Args[] {
  return (Array.isArray(value) ? value : [value]) as Args[];
}

function buildObject(pairs: Array<[string, Sql]>): Sql {
  const chunk = (part: Array<[string, Sql]>, fn: string) =>
    sql`${sql.raw(fn)}(${sql.join(
      part.flatMap(([key, expr]) => [sql.lit(key), expr]),
      sql`, `,
    )})`;
  if (pairs.length <= MAX_PAIRS) return chunk(pairs, 'json_build_object');
  const parts: Sql[] = [];
  for (let i = 0; i < pairs.length; i += MAX_PAIRS) parts.push(chunk(pairs.slice(i, i + MAX_PAIRS), 'jsonb_build_object'));
  return sql`(${sql.join(parts, sql` || `)})::json`;
}

function scalar(alias: string, field: FieldInfo): Sql {
  // Exact numbers travel as text (JSON numbers would round them); Prisma hands them out as Decimal and BigInt.
  if (field.type === 'Decimal' || field.type === 'BigInt') {
    if (field.isList) throw new Unsupported(`list of ${field.type}`);
    return sql`${col(alias, field.name)}::text`;
  }
  if (field.type === 'Bytes') throw new Unsupported('Bytes');
  return col(alias, field.name);
}

/** A parameter as PostgreSQL should read it: instants in ISO form (UTC for columns without a zone, as Prisma writes them). */
function param(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(param);
  if (value !== null && typeof value === 'object' && 'toFixed' in value) return String(value);
  return value;
}

function isFilterObject(value: unknown): value is Args {
  return value !== null && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value) && !('toFixed' in value);
}

const LIKE_SPECIAL = /[\\%_]/g;

function scalarFilter(column: Sql, field: FieldInfo, value: unknown): Sql {
  if (field.type === 'Json' || field.type === 'Bytes') throw new Unsupported(`filter on ${field.type}`);
  if (value === null) return sql`${column} IS NULL`;
  if (!isFilterObject(value)) {
    if (field.isList) throw new Unsupported('list equality');
    return sql`${column} = ${param(value)}`;
  }
  const insensitive = value.mode === 'insensitive';
  const text = (v: unknown) => (insensitive ? sql`lower(${param(v)})` : sql`${param(v)}`);
  const subject = insensitive ? sql`lower(${column})` : column;
  const like = (pattern: string) => (insensitive ? sql`${column} ILIKE ${pattern}` : sql`${column} LIKE ${pattern}`);
  const escape = (v: unknown) => String(v).replace(LIKE_SPECIAL, (c) => `\\${c}`);
  const parts: Sql[] = [];
  for (const [op, operand] of Object.entries(value)) {
    if (operand === undefined || op === 'mode') continue;
    if (field.isList && op !== 'has' && op !== 'isEmpty') throw new Unsupported(`list filter ${op}`);
    switch (op) {
      case 'equals':
        parts.push(operand === null ? sql`${column} IS NULL` : sql`${subject} = ${text(operand)}`);
        break;
      case 'not':
        // As in Prisma (plain SQL): a row whose value is null matches neither `x` nor `not: x`.
        parts.push(
          operand === null ? sql`${column} IS NOT NULL` : isFilterObject(operand) ? sql`NOT ${scalarFilter(column, field, { ...operand, mode: value.mode })}` : sql`${subject} <> ${text(operand)}`,
        );
        break;
      case 'in':
      case 'notIn': {
        const values = (operand as unknown[]).filter((v) => v !== null).map(param);
        if (insensitive) throw new Unsupported('insensitive in');
        const match = values.length ? sql`${column} = ANY(${values})` : sql`FALSE`;
        parts.push(op === 'in' ? match : values.length ? sql`NOT ${match}` : sql`TRUE`);
        break;
      }
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte':
        parts.push(sql`${subject} ${sql.raw({ lt: '<', lte: '<=', gt: '>', gte: '>=' }[op])} ${text(operand)}`);
        break;
      case 'contains':
        parts.push(like(`%${escape(operand)}%`));
        break;
      case 'startsWith':
        parts.push(like(`${escape(operand)}%`));
        break;
      case 'endsWith':
        parts.push(like(`%${escape(operand)}`));
        break;
      case 'has':
        parts.push(sql`${param(operand)} = ANY(${column})`);
        break;
      case 'isEmpty':
        parts.push(operand ? sql`cardinality(${column}) = 0` : sql`cardinality(${column}) > 0`);
        break;
      default:
        throw new Unsupported(`filter ${op}`);
    }
  }
  return and(parts);
}

function orderColumns(model: ModelInfo, orderBy: unknown, reverse: boolean): Array<[string, Direction]> {
  const entries = orderBy === undefined ? [{ id: 'asc' }] : list(orderBy);
  const columns: Array<[string, Direction]> = [];
  for (const entry of entries) {
    for (const [column, direction] of Object.entries(entry)) {
      if (direction === undefined) continue;
      const field = model.fields.get(column);
      if (!field || field.kind === 'object' || (direction !== 'asc' && direction !== 'desc')) throw new Unsupported(`order by ${column}`);
      columns.push([column, reverse === (direction === 'asc') ? 'desc' : 'asc']);
    }
  }
  if (columns.length === 0) columns.push(['id', reverse ? 'desc' : 'asc']);
  return columns;
}

function orderBy(alias: string, columns: Array<[string, Direction]>): Sql {
  return sql.join(
    columns.map(([column, direction]) => sql`${col(alias, column)} ${sql.raw(direction === 'desc' ? 'DESC' : 'ASC')}`),
    sql`, `,
  );
}

function limit(take: number | undefined, skip: unknown): Sql {
  if (skip !== undefined && skip !== 0 && (!Number.isInteger(skip) || (skip as number) < 0)) throw new Unsupported('skip');
  return sql`${take === undefined ? sql`` : sql` LIMIT ${take}`}${skip ? sql` OFFSET ${skip}` : sql``}`;
}

/** One statement for `findMany(args)` on `modelName` in `workspaceId`. Throws Unsupported outside the subset. */
export function compileFindMany(modelName: string, args: Args, workspaceId: string): CompiledFind {
  const model = modelInfo(modelName);
  if (!model?.fields.has('id')) throw new Unsupported(`model ${modelName}`);
  for (const key of Object.keys(args)) if (!FIND_KEYS.has(key) && args[key] !== undefined) throw new Unsupported(`argument ${key}`);
  const compilation = new Compilation(workspaceId);
  const alias = compilation.alias();
  const { expr, shape } = compilation.object(model, alias, args);
  const conditions = compilation.tenant(model, alias);
  if (args.where) conditions.push(compilation.where(model, alias, args.where as Args));
  const take = args.take as number | undefined;
  if (take !== undefined && !Number.isInteger(take)) throw new Unsupported('take');
  const reverse = take !== undefined && take < 0;
  const order = orderColumns(model, args.orderBy, reverse);
  const from = sql`${sql.table(model.name)} ${sql.raw(alias)} WHERE ${and(conditions)}`;
  const paged = take !== undefined || Boolean(args.skip);
  // A page is cut before its rows become JSON (see relation()): a sort over many rows then carries
  // only the columns the object reads, and JSON is built for the rows kept.
  const ordered = orderBy(alias, order);
  const query = paged
    ? sql<{
        o: Record<string, unknown>;
      }>`SELECT ${expr} AS o FROM (SELECT * FROM ${from} ORDER BY ${ordered}${limit(take === undefined ? undefined : Math.abs(take), args.skip)}) ${sql.raw(alias)} ORDER BY ${ordered}`
    : sql<{ o: Record<string, unknown> }>`SELECT ${expr} AS o FROM ${from} ORDER BY ${ordered}`;
  return { query, shape, reverse };
}
