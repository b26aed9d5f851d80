import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLLeafType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { isoInstant, modelInfo, plainConverterFor } from '../../db/compiled-reads/index.js';
import type { PlannedList } from './planned-list.js';

/**
 * A query compiled once per document into a plan that answers it without the per-field resolver
 * walk: the rows come from the same list resolvers (one compiled statement per request, see
 * src/db/compiled-reads), and the response is shaped straight from them. Only a conservative
 * subset is planned: list roots that opt in (planned-list.ts), object types of the Prisma graph, exposed columns,
 * global ids, relations, related connections, fields whose resolver is a pure function of the row
 * (`extensions: { plannedRead: 'row' }`), `__typename` (a constant leaf), fragments. No directives, no nested
 * cursors. Everything else (and every request the plan cannot answer exactly, see run.ts) goes
 * through normal execution, so errors and edge cases stay exactly what they were.
 */

export type ScopeMap = Record<string, unknown>;

export type FieldPlan =
  /** A leaf: read from the row (a column, or a resolver that is a pure function of it), then completed. */
  | { kind: 'leaf'; key: string; read: (row: Record<string, unknown>) => unknown; complete: Complete }
  | { kind: 'globalId'; key: string; column: string; typeName: string }
  /** `relation` is the Prisma relation's name: the key its rows come under. */
  | { kind: 'relation'; key: string; field: GraphQLField<unknown, unknown>; node: FieldNode; relation: string; nullable: boolean; object: ObjectPlan }
  | { kind: 'connection'; key: string; field: GraphQLField<unknown, unknown>; node: FieldNode; relation: string; nullable: boolean; connection: ConnectionPlan };

export interface ObjectPlan {
  typeName: string;
  /** Columns and relation selections as Prisma's `select` wants them, for the static part. */
  columns: Record<string, true>;
  fields: FieldPlan[];
}

export type ConnectionFieldPlan =
  | { kind: 'typename'; key: string; typeName: string }
  | { kind: 'totalCount'; key: string }
  | { kind: 'pageInfo'; key: string; fields: Array<{ key: string; name: string; typeName: string }> }
  | { kind: 'edges'; key: string; fields: Array<{ key: string; kind: 'cursor' | 'typename'; typeName: string } | { key: string; kind: 'node'; object: ObjectPlan }> };

export interface ConnectionPlan {
  fields: ConnectionFieldPlan[];
  /** Field names selected on the connection (what Pothos' own planner reads for totalCount). */
  selected: Set<string>;
  node: ObjectPlan | null;
}

export interface RootPlan {
  key: string;
  kind: 'typename' | 'list';
  field?: GraphQLField<unknown, unknown>;
  list?: PlannedList;
  node?: FieldNode;
  connection?: ConnectionPlan;
}

export interface Plan {
  operation: OperationDefinitionNode;
  roots: RootPlan[];
  /** Every static scope map the plan passes (root fields, object types, fields): all must allow the viewer. */
  scopes: ScopeMap[];
  /** Whether any personal field is read (see personal-fields.ts): a viewer without personal-data access falls back. */
  personal: boolean;
}

class NotPlannable extends Error {}

type Fragments = Record<string, FragmentDefinitionNode>;

interface Context {
  schema: GraphQLSchema;
  fragments: Fragments;
  scopes: ScopeMap[];
  personalFields: Record<string, readonly string[]>;
  personal: boolean;
}

function fail(reason: string): never {
  throw new NotPlannable(reason);
}

/** Field nodes by response key, in document order, through fragments that apply to `type` (graphql-js' collectFields). */
function collect(ctx: Context, type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[]): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.directives?.length) fail('directive');
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const list = fields.get(key);
        if (list) list.push(selection);
        else fields.set(key, [selection]);
        continue;
      }
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : ctx.fragments[selection.name.value];
      if (!fragment) fail('unknown fragment');
      if (fragment.directives?.length) fail('directive');
      const condition = fragment.typeCondition ? ctx.schema.getType(fragment.typeCondition.name.value) : type;
      if (!condition) fail('unknown type');
      if (condition !== type && !(isAbstractType(condition) && ctx.schema.isSubType(condition, type))) continue;
      visit(fragment.selectionSet);
    }
  };
  for (const set of selectionSets) visit(set);
  return fields;
}

function subSelections(nodes: FieldNode[]): SelectionSetNode[] {
  return nodes.map((node) => node.selectionSet).filter((set): set is SelectionSetNode => set !== undefined);
}

function extensionsOf(field: GraphQLField<unknown, unknown>): Record<string, unknown> {
  return (field.extensions ?? {}) as Record<string, unknown>;
}

function optionsOf(holder: { extensions?: unknown }): Record<string, unknown> {
  return ((holder.extensions as Record<string, unknown> | undefined)?.pothosOptions ?? {}) as Record<string, unknown>;
}

function staticScopes(ctx: Context, scopes: unknown): void {
  if (scopes === undefined) return;
  if (typeof scopes !== 'object' || scopes === null || Object.keys(scopes).some((key) => key.startsWith('$'))) fail('dynamic scopes');
  ctx.scopes.push(scopes as ScopeMap);
}

function planObject(ctx: Context, type: GraphQLObjectType, nodes: FieldNode[]): ObjectPlan {
  const typeExtensions = (type.extensions ?? {}) as Record<string, unknown>;
  if (typeof typeExtensions.pothosPrismaModel !== 'string') fail(`${type.name} is not a Prisma object`);
  const model = modelInfo(typeExtensions.pothosPrismaModel) ?? fail(`no model ${typeExtensions.pothosPrismaModel}`);
  const typeOptions = optionsOf(type);
  staticScopes(ctx, typeOptions.authScopes);
  const personal = ctx.personalFields[type.name] ?? [];
  const plan: ObjectPlan = { typeName: type.name, columns: { id: true }, fields: [] };
  for (const [key, fieldNodes] of collect(ctx, type, subSelections(nodes))) {
    const first = fieldNodes[0]!;
    const name = first.name.value;
    if (name === '__typename') {
      const typeName = type.name;
      plan.fields.push({ kind: 'leaf', key, read: () => typeName, complete: (value) => value });
      continue;
    }
    const field = type.getFields()[name];
    if (!field) fail(`unknown field ${name}`);
    if (personal.includes(name)) ctx.personal = true;
    const extensions = extensionsOf(field);
    const options = optionsOf(field);
    staticScopes(ctx, options.authScopes);
    if ((extensions.pothosArgMappers as unknown[] | undefined)?.length) fail('argument mappers');
    const select = extensions.pothosPrismaSelect;
    // Every prismaNode here keys its global id on the `id` column.
    if (name === 'id' && select === undefined && type.getInterfaces().some((iface) => iface.name === 'Node')) {
      plan.fields.push({ kind: 'globalId', key, column: 'id', typeName: type.name });
      continue;
    }
    if (typeof extensions.pothosExposedField === 'string' && isLeafType(getNamedType(field.type))) {
      if (first.arguments?.length) fail('arguments on a column');
      const column = model.fields.get(extensions.pothosExposedField);
      if (!column || column.kind === 'object') fail(`column ${extensions.pothosExposedField}`);
      plan.columns[column.name] = true;
      const instant = column.type === 'DateTime' && !column.isList && getNamedType(field.type).name === 'DateTime';
      const name = column.name;
      plan.fields.push({ kind: 'leaf', key, read: (row) => row[name], complete: instant ? instantCompleter(field.type) : converted(plainConverterFor(column), leafCompleter(field.type)) });
      continue;
    }
    if ((options.extensions as Record<string, unknown> | undefined)?.plannedRead === 'row' && typeof options.resolve === 'function') {
      if (select !== undefined && (typeof select !== 'object' || select === null)) fail('computed select');
      // The resolver sees the row as read (raw): only columns that need no conversion.
      for (const name of Object.keys(select ?? {})) {
        const column = model.fields.get(name);
        if (!column || column.kind === 'object' || plainConverterFor(column)) fail(`computed field reads ${name}`);
      }
      Object.assign(plan.columns, select);
      const resolve = options.resolve as (row: unknown) => unknown;
      const read = (row: Record<string, unknown>) => {
        const value = resolve(row);
        // Not a pure function of the row after all: the request executes normally (run.ts falls back on any error).
        if (value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function') throw new Error(`${type.name}.${name} resolved to a promise`);
        return value;
      };
      plan.fields.push({ kind: 'leaf', key, read, complete: leafCompleter(field.type) });
      continue;
    }
    if (extensions.pothosPrismaRelationField && typeof select === 'function') {
      const target = getNullableType(field.type);
      if (!isObjectType(target)) fail('relation type');
      const nullable = !isNonNullType(field.type);
      const relation = (extensions.pothosPrismaRelationField as { name: string }).name;
      if (typeof (target.extensions as Record<string, unknown>).pothosPrismaModel === 'string') {
        plan.fields.push({ kind: 'relation', key, field, node: first, relation, nullable, object: planObject(ctx, target, fieldNodes) });
      } else {
        plan.fields.push({ kind: 'connection', key, field, node: first, relation, nullable, connection: planConnection(ctx, target, fieldNodes) });
      }
      continue;
    }
    fail(`field ${type.name}.${name}`);
  }
  return plan;
}

function planConnection(ctx: Context, type: GraphQLObjectType, nodes: FieldNode[]): ConnectionPlan {
  const connection: ConnectionPlan = { fields: [], selected: new Set(), node: null };
  for (const [key, fieldNodes] of collect(ctx, type, subSelections(nodes))) {
    const name = fieldNodes[0]!.name.value;
    connection.selected.add(name);
    if (name === '__typename') {
      connection.fields.push({ kind: 'typename', key, typeName: type.name });
    } else if (name === 'totalCount') {
      connection.fields.push({ kind: 'totalCount', key });
    } else if (name === 'pageInfo') {
      const pageInfo = getNullableType(type.getFields().pageInfo!.type) as GraphQLObjectType;
      const fields = [...collect(ctx, pageInfo, subSelections(fieldNodes))].map(([inner, innerNodes]) => {
        const innerName = innerNodes[0]!.name.value;
        if (!['__typename', 'hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor'].includes(innerName)) fail('pageInfo field');
        return { key: inner, name: innerName, typeName: pageInfo.name };
      });
      connection.fields.push({ kind: 'pageInfo', key, fields });
    } else if (name === 'edges') {
      const edgeType = getNamedType(type.getFields().edges!.type);
      if (!isObjectType(edgeType)) fail('edge type');
      const fields: Array<{ key: string; kind: 'cursor' | 'typename'; typeName: string } | { key: string; kind: 'node'; object: ObjectPlan }> = [];
      for (const [inner, innerNodes] of collect(ctx, edgeType, subSelections(fieldNodes))) {
        const innerName = innerNodes[0]!.name.value;
        if (innerName === 'cursor' || innerName === '__typename') {
          fields.push({ key: inner, kind: innerName === 'cursor' ? 'cursor' : 'typename', typeName: edgeType.name });
        } else if (innerName === 'node') {
          const nodeType = getNamedType(edgeType.getFields().node!.type);
          if (!isObjectType(nodeType)) fail('node type');
          const object = planObject(ctx, nodeType, innerNodes);
          if (connection.node) fail('node selected twice');
          connection.node = object;
          fields.push({ key: inner, kind: 'node', object });
        } else {
          fail(`edge field ${innerName}`);
        }
      }
      connection.fields.push({ kind: 'edges', key, fields });
    } else {
      fail(`connection field ${name}`);
    }
  }
  return connection;
}

/** The plan for `document`'s operation, or null when any part of it is outside the planned subset. */
export function planOperation(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, personalFields: Record<string, readonly string[]>): Plan | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((op) => op.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation || operation.operation !== 'query' || operation.directives?.length) return null;
  const fragments: Fragments = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  const ctx: Context = { schema, fragments, scopes: [], personalFields, personal: false };
  const queryType = schema.getQueryType()!;
  try {
    const roots: RootPlan[] = [];
    for (const [key, nodes] of collect(ctx, queryType, [operation.selectionSet])) {
      const name = nodes[0]!.name.value;
      if (name === '__typename') {
        roots.push({ key, kind: 'typename' });
        continue;
      }
      // Introspection (__schema, __type) and anything unknown execute normally.
      const field = queryType.getFields()[name];
      if (!field) return null;
      const options = optionsOf(field);
      const list = extensionsOf(field).plannedList as PlannedList | undefined;
      if (!list || list.cursor !== 'id' || typeof list.resolve !== 'function') return null;
      if ((extensionsOf(field).pothosArgMappers as unknown[] | undefined)?.length) return null;
      staticScopes(ctx, options.authScopes);
      const type = getNullableType(field.type);
      if (!isObjectType(type)) return null;
      roots.push({ key, kind: 'list', field, list, node: nodes[0]!, connection: planConnection(ctx, type, nodes) });
    }
    if (!roots.some((root) => root.kind === 'list')) return null;
    return { operation, roots, scopes: ctx.scopes, personal: ctx.personal };
  } catch (error) {
    if (error instanceof NotPlannable) return null;
    throw error;
  }
}

/** A DateTime column: its JSON text straight to the ISO string the scalar's Date would become. */
function instantCompleter(type: GraphQLOutputType): Complete {
  const nonNull = isNonNullType(type);
  return (value) => {
    if (value === null || value === undefined) return nonNull ? undefined : null;
    try {
      return isoInstant(value);
    } catch {
      return undefined;
    }
  };
}

function converted(convert: ((value: unknown) => unknown) | undefined, complete: Complete): Complete {
  return convert ? (value) => complete(convert(value)) : complete;
}

/** Completes one leaf value as graphql-js would; `undefined` stands for an error (the caller falls back). */
export type Complete = (value: unknown) => unknown;

/**
 * The completion of a leaf type, built once per planned field: non-null and list wrappers as
 * graphql-js applies them, then the scalar's or enum's own `serialize`. A Date (DateTime
 * serializes to one) becomes its ISO string here, which is what the JSON encoder would write.
 */
function leafCompleter(type: GraphQLOutputType): Complete {
  if (isNonNullType(type)) {
    const inner = leafCompleter(type.ofType);
    return (value) => {
      const completed = inner(value);
      return completed === null ? undefined : completed;
    };
  }
  if (isListType(type)) {
    const item = leafCompleter(type.ofType);
    return (value) => {
      if (value === null || value === undefined) return null;
      if (!Array.isArray(value)) return undefined;
      const out: unknown[] = new Array(value.length);
      for (let i = 0; i < value.length; i += 1) {
        const completed = item(value[i]);
        if (completed === undefined) return undefined;
        out[i] = completed;
      }
      return out;
    };
  }
  const leaf = type as GraphQLLeafType;
  return (value) => {
    if (value === null || value === undefined) return null;
    try {
      const serialized = leaf.serialize(value);
      if (serialized === null || serialized === undefined) return undefined;
      return serialized instanceof Date ? serialized.toISOString() : serialized;
    } catch {
      return undefined;
    }
  };
}
