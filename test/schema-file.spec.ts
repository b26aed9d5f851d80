import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { customerExportJsonSchema } from '../src/core/customers/export-document.js';
import { possibleTypesWithBuiltins, printSchemaWithBuiltins } from '../src/schema/print.js';

it('schema.graphql is up to date (run npm run print-schema)', async () => {
  const committed = await readFile(new URL('../schema.graphql', import.meta.url), 'utf8');
  expect(committed).toBe(printSchemaWithBuiltins());
});

it('schemas/customer-export.schema.json is up to date (run npm run print-schema)', async () => {
  const committed = JSON.parse(await readFile(new URL('../schemas/customer-export.schema.json', import.meta.url), 'utf8'));
  expect(committed).toEqual(customerExportJsonSchema());
});

it('schemas/possible-types.json is up to date (run npm run print-schema)', async () => {
  const committed = JSON.parse(await readFile(new URL('../schemas/possible-types.json', import.meta.url), 'utf8'));
  const current = possibleTypesWithBuiltins();
  expect(committed).toEqual(current);
  // Every mutation result union lists its typed errors, so Apollo keeps "... on Error" fields.
  expect(current.Error).toEqual(expect.arrayContaining(['ValidationError', 'NotFoundError', 'ConflictError']));
  expect(current.CreateCustomerResult).toEqual(expect.arrayContaining(['CreateCustomerPayload', 'ValidationError']));
});
