/**
 * The layering of the architecture (README, "Architecture"), checked by dependency-cruiser on the
 * real import graph: `npm run lint:deps`, and test/layering.spec.ts in the suite.
 * TypeScript 7 has no JavaScript compiler API, so the sources are parsed with swc.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'core-stays-inside',
      comment: 'Core holds the rules; it never imports the GraphQL schema, the HTTP layer, plugins, the CLI or the server wiring.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(schema|http|plugins|cli|jobs)/|^src/(yoga|server|app|main)\\.ts$' },
    },
    {
      name: 'plugins-use-the-sdk',
      comment: 'A plugin imports the plugin SDK and its own files only, like a plugin outside this repository.',
      severity: 'error',
      from: { path: '^src/plugins/([^/]+)/' },
      to: { path: '^src/', pathNot: ['^src/core/plugin-sdk/', '^src/plugins/$1/', '^src/plugins/[^/]+\\.ts$'] },
    },
    {
      name: 'plugins-reach-no-database',
      comment: 'A plugin never talks to the database itself: segmentation models build their condition with the SDK builder they are given.',
      severity: 'error',
      from: { path: '^src/plugins/' },
      to: { path: '(^|/)(kysely|pg|pg-[^/]+|@prisma/[^/]+|prisma|@electric-sql/[^/]+)(/|$)' },
    },
    {
      name: 'schema-uses-the-context',
      comment: 'Resolvers reach the database through the request context, never by opening it.',
      severity: 'error',
      from: { path: '^src/schema/' },
      to: { path: '^src/db/database\\.ts$' },
    },
    {
      name: 'no-test-code-in-src',
      comment: 'The server never imports tests, benchmarks or their support.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-circular',
      comment: 'No import circles (type-only imports count too).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'testing-uses-the-sdk',
      comment: 'cx-graph/testing is published beside the SDK: it imports the SDK and its own files only.',
      severity: 'error',
      from: { path: '^src/testing/' },
      to: { path: '^src/', pathNot: ['^src/core/plugin-sdk/', '^src/testing/'] },
    },
    {
      name: 'sdk-stands-alone',
      comment: 'The plugin SDK is published: it never reaches the database layer, the generated client or the server context.',
      severity: 'error',
      from: { path: '^src/core/plugin-sdk/(index|define-plugin|schema-builder|survey-channel|segmentation-model|review-platform|rules|platform-http|contribution)\\.ts$' },
      to: { path: '^src/(db|generated)/|^src/core/request-context\\.ts$' },
    },
    {
      name: 'no-unresolvable-imports',
      comment: 'Every relative import resolves to a file.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true, pathNot: '^node:' },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
