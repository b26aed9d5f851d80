import {
  getNamedType,
  getNullableType,
  isLeafType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { MAX_PAGE_SIZE } from '../../schema/pagination.js';

/** The cost model, documented in README.md ("Query cost"). */
export const COST = {
  /** Each object returned (a customer, an order, a metrics object). */
  object: 1,
  /** A connection itself, on top of its nodes. */
  connection: 2,
  /** `totalCount` on a connection: a COUNT over every row the filter matches, not only the page. */
  totalCount: 10,
  /** Each top-level mutation field: writes cost more than reads. */
  mutation: 10,
  /** Page size assumed when `first`/`last` is not given (the connection default). */
  defaultPageSize: 20,
  /** Items assumed for a list field without a page size (`reviews`, `npsTrend`, ...). */
  defaultListSize: 10,
} as const;

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** Fragment spreads being expanded, so a cycle (already refused by validation) cannot loop. */
  expanding: Set<string>;
}

/**
 * The cost of one operation, from the argument values actually sent (variables included): a page
 * size multiplies the cost of its subtree. Computed before execution; nothing is resolved.
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const operation = operationName ? operations.find((candidate) => candidate.name?.value === operationName) : operations[0];
  if (!operation) return 0;
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;
  const walk: Walk = { schema, fragments, variables: variables ?? {}, expanding: new Set() };
  const perField = operation.operation === 'mutation' ? COST.mutation : 0;
  return fieldsOf(walk, operation.selectionSet, root).reduce((sum, { node, parent }) => sum + perField + fieldCost(walk, node, parent), 0);
}

/** The fields of a selection set with their parent types, fragments expanded. */
function fieldsOf(walk: Walk, selectionSet: SelectionSetNode, parent: GraphQLNamedType): Array<{ node: FieldNode; parent: GraphQLNamedType }> {
  const out: Array<{ node: FieldNode; parent: GraphQLNamedType }> = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) out.push({ node: selection, parent });
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parent;
      if (type) out.push(...fieldsOf(walk, selection.selectionSet, type));
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      if (!fragment || walk.expanding.has(name)) continue;
      const type = walk.schema.getType(fragment.typeCondition.name.value);
      if (!type) continue;
      walk.expanding.add(name);
      out.push(...fieldsOf(walk, fragment.selectionSet, type));
      walk.expanding.delete(name);
    }
  }
  return out;
}

function fieldDefinition(parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

function selectionCost(walk: Walk, selectionSet: SelectionSetNode | undefined, parent: GraphQLNamedType): number {
  if (!selectionSet) return 0;
  return fieldsOf(walk, selectionSet, parent).reduce((sum, { node, parent: type }) => sum + fieldCost(walk, node, type), 0);
}

function isConnection(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name.endsWith('Connection') && 'edges' in type.getFields();
}

function fieldCost(walk: Walk, node: FieldNode, parent: GraphQLNamedType): number {
  if (node.name.value.startsWith('__')) return 0;
  const definition = fieldDefinition(parent, node.name.value);
  if (!definition) return 0;
  const named = getNamedType(definition.type);
  if (isLeafType(named)) return 0;
  if (isConnection(named)) {
    const counted = selectsTotalCount(walk, node.selectionSet, named) ? COST.totalCount : 0;
    return COST.connection + counted + pageSize(walk, node, definition) * nodeCost(walk, node.selectionSet, named);
  }
  const children = COST.object + selectionCost(walk, node.selectionSet, named);
  if (isListType(getNullableType(definition.type))) return listSize(walk, node) * children;
  return children;
}

function selectsTotalCount(walk: Walk, selectionSet: SelectionSetNode | undefined, connection: GraphQLNamedType): boolean {
  return !!selectionSet && fieldsOf(walk, selectionSet, connection).some(({ node }) => node.name.value === 'totalCount');
}

/** The cost of one node of a connection: `edges { node { ... } }` and `nodes { ... }` count once per node. */
function nodeCost(walk: Walk, selectionSet: SelectionSetNode | undefined, connection: GraphQLNamedType): number {
  if (!selectionSet) return 0;
  let cost = 0;
  for (const { node, parent } of fieldsOf(walk, selectionSet, connection)) {
    const definition = fieldDefinition(parent, node.name.value);
    if (!definition || !node.selectionSet) continue;
    const named = getNamedType(definition.type);
    if (node.name.value === 'nodes') cost += COST.object + selectionCost(walk, node.selectionSet, named);
    if (node.name.value === 'edges') {
      for (const edgeField of fieldsOf(walk, node.selectionSet, named)) {
        const edgeDefinition = fieldDefinition(edgeField.parent, edgeField.node.name.value);
        if (edgeField.node.name.value === 'node' && edgeDefinition) cost += COST.object + selectionCost(walk, edgeField.node.selectionSet, getNamedType(edgeDefinition.type));
      }
    }
  }
  return cost;
}

function argumentValue(walk: Walk, node: FieldNode, name: string): unknown {
  const argument = node.arguments?.find((candidate) => candidate.name.value === name);
  return argument ? literal(walk, argument.value) : undefined;
}

function literal(walk: Walk, value: ValueNode): unknown {
  switch (value.kind) {
    case Kind.VARIABLE:
      return walk.variables[value.name.value];
    case Kind.INT:
      return Number.parseInt(value.value, 10);
    case Kind.LIST:
      return value.values.map((item) => literal(walk, item));
    case Kind.NULL:
      return null;
    default:
      return undefined;
  }
}

function count(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, Math.floor(value));
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return null;
}

function pageSize(walk: Walk, node: FieldNode, definition: GraphQLField<unknown, unknown>): number {
  const first = count(argumentValue(walk, node, 'first'));
  const last = count(argumentValue(walk, node, 'last'));
  // Above the maximum the field itself refuses the page (VALIDATION_FAILED naming the argument).
  if (first !== null || last !== null) return Math.min(MAX_PAGE_SIZE, Math.max(first ?? 0, last ?? 0));
  const declared = definition.args.find((arg) => arg.name === 'first')?.defaultValue;
  return count(declared) ?? COST.defaultPageSize;
}

function listSize(walk: Walk, node: FieldNode): number {
  const ids = argumentValue(walk, node, 'ids');
  if (Array.isArray(ids)) return ids.length;
  return count(argumentValue(walk, node, 'first')) ?? COST.defaultListSize;
}
