import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/** An id that exists nowhere: allowed operations answer "not found", never "forbidden". */
const MISSING_UUID = '00000000-0000-4000-8000-000000000001';

/** A literal of the given input type, filling only what is required (lists get one item). */
export function dummyLiteral(type: GraphQLInputType, fieldName: string, overrides: Record<string, string> = {}): string | null {
  if (overrides[fieldName] !== undefined) return overrides[fieldName]!;
  if (isNonNullType(type)) return dummyLiteral(type.ofType, fieldName, overrides);
  if (isListType(type)) return `[${dummyLiteral(type.ofType, fieldName, overrides)}]`;
  if (isEnumType(type)) {
    const values = type.getValues();
    return values[values.length - 1]!.name;
  }
  if (isInputObjectType(type)) {
    const parts: string[] = [];
    for (const field of Object.values(type.getFields())) {
      if (!isNonNullType(field.type) || field.defaultValue !== undefined) continue;
      parts.push(`${field.name}: ${dummyLiteral(field.type, field.name, overrides)}`);
    }
    return `{ ${parts.join(', ')} }`;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID': {
        const typename = fieldName.replace(/Ids?$/, '').replace(/^./, (c) => c.toUpperCase());
        return JSON.stringify(encodeGlobalID(fieldName === 'id' ? 'Customer' : typename, MISSING_UUID));
      }
      case 'Int':
        return '1';
      case 'Float':
        return '1';
      case 'Boolean':
        return 'false';
      case 'DateTime':
        return '"2026-01-01T00:00:00Z"';
      case 'LocalDate':
        return '"2026-01-01"';
      case 'EmailAddress':
        return '"nobody@example.com"';
      case 'Decimal':
        return '"1"';
      case 'JSON':
      case 'JSONObject':
        return '{}';
      default:
        return '"x"';
    }
  }
  return null;
}

function argumentList(args: readonly GraphQLArgument[], overrides: Record<string, string>): string {
  const required = args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  const connection = args.some((arg) => arg.name === 'first') ? ['first: 5'] : [];
  const parts = [...connection, ...required.map((arg) => `${arg.name}: ${dummyLiteral(arg.type, arg.name, overrides)}`)];
  return parts.length ? `(${parts.join(', ')})` : '';
}

/** Every field of a type down to `depth` object levels (fields with required arguments get dummies). */
export function selectionOf(schema: GraphQLSchema, type: GraphQLNamedType, depth: number): string {
  if (isAbstractType(type)) {
    if (depth <= 0) return '{ __typename }';
    const parts = schema.getPossibleTypes(type).map((possible) => `... on ${possible.name} ${selectionOf(schema, possible, depth - 1)}`);
    return `{ __typename ${parts.join(' ')} }`;
  }
  if (!isObjectType(type)) return '';
  const parts: string[] = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    if (isScalarType(named) || isEnumType(named)) {
      parts.push(`${field.name}${argumentList(field.args, {})}`);
    } else if (depth > 0) {
      parts.push(`${field.name}${argumentList(field.args, {})} ${selectionOf(schema, named, depth - 1)}`);
    }
  }
  return `{ ${parts.join(' ')} }`;
}

/** One operation calling a root field with dummy arguments and the smallest selection. */
export function minimalOperation(schema: GraphQLSchema, kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, overrides: Record<string, string> = {}): string {
  const named = getNamedType(field.type);
  const selection = isScalarType(named) || isEnumType(named) ? '' : '{ __typename }';
  return `${kind} { ${field.name}${argumentList(field.args, overrides)} ${selection} }`;
}
