import { printSchema } from 'graphql';
import { createRegistryOrThrow } from '../core/plugin-sdk/registry.js';
import { resolvePlugins } from '../plugins/plugin-config.js';
import { buildSchema } from './index.js';

/** The public schema (sorted by the builder) with the built-in plugins, as committed in schema.graphql. */
export function printSchemaWithBuiltins(): string {
  return `${printSchema(buildSchema(createRegistryOrThrow(resolvePlugins({}))))}\n`;
}
