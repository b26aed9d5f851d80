import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createRegistryOrThrow } from '../core/plugin-sdk/registry.js';
import { resolvePlugins } from '../plugins/plugin-config.js';
import { buildSchema } from '../schema/index.js';
import { GRAPHIQL_TABS } from './graphiql-examples.js';

describe('GraphiQL examples', () => {
  const schema = buildSchema(createRegistryOrThrow(resolvePlugins({})));
  it.each(GRAPHIQL_TABS.map((tab) => [tab.query.split('\n').find((line) => /^(query|mutation|subscription)/.test(line)) ?? tab.query.slice(0, 40), tab]))(
    '%s is valid against the schema',
    (_name, tab) => {
      expect(validate(schema, parse(tab.query)).map((error) => error.message)).toEqual([]);
    },
  );
});
