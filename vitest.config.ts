import { defineConfig } from 'vitest/config';

export default defineConfig({
  // One graphql instance: Pothos and Yoga load the CommonJS build, so tests must too.
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    // The shutdown test runs the built server as operators do (npm start): build it first.
    globalSetup: ['test/support/build.global.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers only make the embedded databases fight for CPU.
    maxWorkers: 2,
  },
});
