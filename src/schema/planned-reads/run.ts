import { getConnectionPageSize, validateConnectionArguments } from '@pothos/core';
import { formatPrismaCursor, parsePrismaCursor } from '@pothos/plugin-prisma';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { getArgumentValues, getVariableValues, type ExecutionResult, type FieldNode, type GraphQLField, type GraphQLSchema } from 'graphql';
import type { RequestContext } from '../../core/request-context.js';
import { RAW_ROWS } from '../../db/compiled-reads/index.js';
import { builder } from '../builder.js';
import { type ConnectionPlan, type FieldPlan, type ObjectPlan, type Plan, type ScopeMap } from './plan.js';

/**
 * Runs a plan (see plan.ts) for one request. Returns null whenever the answer could differ from
 * normal execution in any way (a scope the viewer lacks, variables that do not coerce, a value a
 * non-null field cannot hold, a resolver that throws); the caller then executes normally, which
 * produces the same data or the errors it always did. Nothing here writes.
 */

class Fallback extends Error {}

type Row = Record<string, unknown>;
type Args = Record<string, unknown>;
type Granted = Record<string, unknown>;

interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

interface PageQuery {
  take: number;
  skip: number;
  cursor?: { id: unknown };
}

/** Pothos' connection arguments to a Prisma page (prismaCursorConnectionQuery, with the `id` cursor every connection here uses). */
function pageQuery(args: PageArgs, ctx: RequestContext, maxSize: unknown, defaultSize: unknown): PageQuery {
  const { before, after, first, last } = args;
  validateConnectionArguments(args);
  if ((before && after) || (before != null && first != null) || (after != null && last != null)) throw new Fallback();
  const cursor = before ?? after;
  const max = typeof maxSize === 'function' ? (maxSize as (a: Args, c: unknown) => number)(args as Args, ctx) : (maxSize as number | undefined);
  const size = typeof defaultSize === 'function' ? (defaultSize as (a: Args, c: unknown) => number)(args as Args, ctx) : (defaultSize as number | undefined);
  let take = getConnectionPageSize({ args, defaultSize: size, maxSize: max }).limit;
  if (before != null || last != null) take = -take;
  return cursor == null ? { take, skip: 0 } : { cursor: { id: parsePrismaCursor(cursor) }, take, skip: 1 };
}

function allowed(map: ScopeMap, granted: Granted): boolean {
  for (const [scope, parameter] of Object.entries(map)) {
    const grant = granted[scope];
    if (typeof grant === 'function' ? (grant as (p: unknown) => boolean)(parameter) === true : grant === true && parameter === true) return true;
  }
  return false;
}

interface PageState {
  args: PageArgs;
  take: number;
}

class Request {
  /** Page sizes and arguments of the nested connections, per planned field (the same for every row). */
  readonly pages = new Map<FieldPlan, PageState>();
  constructor(
    readonly ctx: RequestContext,
    readonly variables: Args,
  ) {}

  argumentsOf(field: GraphQLField<unknown, unknown>, node: FieldNode): Args {
    return getArgumentValues(field, node, this.variables);
  }

  /** Prisma's `select` for an object plan, the way Pothos' planner builds it (relations through their own select hooks). */
  select(plan: ObjectPlan): Row {
    const select: Row = { ...plan.columns };
    for (const field of plan.fields) {
      if (field.kind !== 'relation' && field.kind !== 'connection') continue;
      const args = this.argumentsOf(field.field, field.node);
      const hook = (field.field.extensions as Record<string, unknown>).pothosPrismaSelect as (a: Args, c: unknown, nested: (q: unknown) => unknown, selection: () => Set<string>) => unknown;
      const child = field.kind === 'relation' ? field.object : field.connection.node;
      const nested = (query: unknown) => ({ ...(query as Row), select: child ? this.select(child) : { id: true } });
      const selected = field.kind === 'connection' ? field.connection.selected : new Set<string>();
      const result = hook(args, this.ctx, nested, () => selected) as { select?: Row } | PromiseLike<unknown>;
      if (!result || typeof (result as PromiseLike<unknown>).then === 'function' || !(result as { select?: Row }).select) throw new Fallback();
      for (const [key, value] of Object.entries((result as { select: Row }).select)) {
        if (value === undefined) continue;
        if (key === '_count') {
          const counts = (select._count as { select: Row } | undefined)?.select ?? {};
          const added = (value as { select: Row }).select;
          if (Object.keys(added).some((name) => name in counts)) throw new Fallback();
          select._count = { select: { ...counts, ...added } };
          continue;
        }
        // Two aliases of one relation with different arguments cannot share a column of the row.
        if (key in select && !(key in plan.columns)) throw new Fallback();
        select[key] = value;
        if (field.kind === 'connection') {
          const take = (value as { take?: unknown }).take;
          if (typeof take !== 'number') throw new Fallback();
          this.pages.set(field, { args: args as PageArgs, take });
        }
      }
    }
    return select;
  }

  object(plan: ObjectPlan, row: Row): Row {
    const out: Row = {};
    for (const field of plan.fields) {
      switch (field.kind) {
        case 'leaf': {
          const value = field.complete(field.read(row));
          if (value === undefined) throw new Fallback();
          out[field.key] = value;
          break;
        }
        case 'globalId':
          out[field.key] = encodeGlobalID(field.typeName, String(row[field.column]));
          break;
        case 'relation': {
          const value = row[field.relation] as Row | null | undefined;
          if (value === undefined) throw new Fallback();
          if (value === null) {
            if (!field.nullable) throw new Fallback();
            out[field.key] = null;
          } else {
            out[field.key] = this.object(field.object, value);
          }
          break;
        }
        case 'connection': {
          const page = this.pages.get(field);
          if (!page) throw new Fallback();
          const rows = (row[field.relation] ?? []) as Row[];
          const count = (row._count as Row | undefined)?.[field.relation];
          out[field.key] = this.connection(field.connection, rows, page.args, page.take, count);
          break;
        }
      }
    }
    return out;
  }

  /** wrapConnectionResult of Pothos' Prisma plugin, shaped to the selection. */
  connection(plan: ConnectionPlan, results: Row[], args: PageArgs, take: number, totalCount: unknown): Row {
    const gotFullResults = results.length === Math.abs(take);
    const backward = args.before != null || args.last != null;
    const hasNextPage = args.before != null ? true : args.last != null ? false : gotFullResults;
    const hasPreviousPage = args.after != null ? true : backward ? gotFullResults : false;
    const rows = gotFullResults ? results.slice(take < 0 ? 1 : 0, take < 0 ? results.length : -1) : results;
    const cursor = (row: Row) => formatPrismaCursor(row, 'id');
    const out: Row = {};
    for (const field of plan.fields) {
      switch (field.kind) {
        case 'typename':
          out[field.key] = field.typeName;
          break;
        case 'totalCount':
          if (typeof totalCount !== 'number') throw new Fallback();
          out[field.key] = totalCount;
          break;
        case 'pageInfo': {
          const info: Row = {};
          for (const inner of field.fields) {
            if (inner.name === '__typename') info[inner.key] = inner.typeName;
            else if (inner.name === 'hasNextPage') info[inner.key] = hasNextPage;
            else if (inner.name === 'hasPreviousPage') info[inner.key] = hasPreviousPage;
            else if (inner.name === 'startCursor') info[inner.key] = rows.length ? cursor(rows[0]!) : null;
            else info[inner.key] = rows.length ? cursor(rows[rows.length - 1]!) : null;
          }
          out[field.key] = info;
          break;
        }
        case 'edges':
          out[field.key] = rows.map((row) => {
            const edge: Row = {};
            for (const inner of field.fields) {
              if (inner.kind === 'node') edge[inner.key] = this.object(inner.object, row);
              else edge[inner.key] = inner.kind === 'cursor' ? cursor(row) : inner.typeName;
            }
            return edge;
          });
          break;
      }
    }
    return out;
  }
}

/** Whether a root connection's selection asks only for totalCount (Pothos then loads no rows). */
function totalCountOnly(node: FieldNode): boolean {
  return node.selectionSet?.selections.every((s) => s.kind === 'Field' && (s.name.value === 'totalCount' || s.name.value === '__typename')) ?? false;
}

async function root(request: Request, plan: Plan['roots'][number]): Promise<unknown> {
  if (plan.kind === 'typename') return 'Query';
  const field = plan.field!;
  const connection = plan.connection!;
  const list = plan.list!;
  const args = request.argumentsOf(field, plan.node!);
  const defaults = (builder.options as { prisma: { maxConnectionSize?: number; defaultConnectionSize?: number } }).prisma;
  const page = pageQuery(args as PageArgs, request.ctx, list.maxSize ?? defaults.maxConnectionSize, list.defaultSize ?? defaults.defaultConnectionSize);
  const resolve = list.resolve;
  const count = list.totalCount;
  const select = { id: true, ...(connection.node ? request.select(connection.node) : {}) };
  const [rows, total] = await Promise.all([
    totalCountOnly(plan.node!) ? [] : resolve({ select, ...page, [RAW_ROWS]: true }, {}, args, request.ctx, undefined),
    connection.selected.has('totalCount') && count ? count({}, args, request.ctx, undefined) : undefined,
  ]);
  if (!Array.isArray(rows)) throw new Fallback();
  // Prisma's `take` on a page: Pothos hands the resolver one row more than the page to see whether another follows.
  return request.connection(connection, rows, args as PageArgs, page.take, total);
}

/** The plan's answer for this request, or null to execute normally. */
export async function runPlan(plan: Plan, schema: GraphQLSchema, ctx: RequestContext, variableValues: Args | null | undefined, granted: Granted): Promise<ExecutionResult | null> {
  if (!ctx?.viewer?.workspaceId) return null;
  if (plan.personal && !ctx.viewer.personalData) return null;
  if (!plan.scopes.every((map) => allowed(map, granted))) return null;
  const coerced = getVariableValues(schema, plan.operation.variableDefinitions ?? [], variableValues ?? {});
  if (coerced.errors) return null;
  const request = new Request(ctx, coerced.coerced);
  try {
    const values = await Promise.all(plan.roots.map((entry) => root(request, entry)));
    const data: Row = {};
    plan.roots.forEach((entry, i) => (data[entry.key] = values[i]));
    return { data };
  } catch {
    return null;
  }
}
