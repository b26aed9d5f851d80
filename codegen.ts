import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * How the custom scalars arrive in JSON: DateTime as an ISO 8601 string, LocalDate as YYYY-MM-DD,
 * Decimal as an exact decimal string ("129.95"), JSON as any value, JSONObject as an object.
 * The same mapping is in relay.config.json (customScalarTypes).
 */
export const scalars = {
  DateTime: 'string',
  LocalDate: 'string',
  Decimal: 'string',
  EmailAddress: 'string',
  JSON: 'unknown',
  JSONObject: 'Record<string, unknown>',
} as const;

/**
 * graphql-codegen for client code: typed documents for the example operations, the way a
 * frontend copies it (point `schema` at schema.graphql or at the running server's /graphql).
 */
const config: CodegenConfig = {
  schema: ['schema.graphql', 'examples/client-directives.graphql'],
  documents: ['examples/operations/*.ts'],
  generates: {
    'examples/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: Object.fromEntries(Object.entries(scalars).map(([name, type]) => [name, { input: type, output: type }])),
        strictScalars: true,
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
