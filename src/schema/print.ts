import { isAbstractType, printSchema, type GraphQLSchema } from 'graphql';
import { createRegistryOrThrow } from '../core/plugin-sdk/registry.js';
import { resolvePlugins } from '../plugins/plugin-config.js';
import { buildSchema } from './index.js';

/** The public schema (sorted by the builder) with the built-in plugins, as committed in schema.graphql. */
export function printSchemaWithBuiltins(): string {
  return `${printSchema(buildSchema(createRegistryOrThrow(resolvePlugins({}))))}\n`;
}

/**
 * Every interface and union with the object types it can hold, in the shape Apollo Client's
 * `possibleTypes` option takes (without it, `... on Error` fragments on results are dropped).
 */
export function possibleTypesWithBuiltins(schema: GraphQLSchema = buildSchema(createRegistryOrThrow(resolvePlugins({})))): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const type of Object.values(schema.getTypeMap()).sort((a, b) => a.name.localeCompare(b.name))) {
    if (isAbstractType(type) && !type.name.startsWith('__'))
      result[type.name] = schema
        .getPossibleTypes(type)
        .map((possible) => possible.name)
        .sort();
  }
  return result;
}
