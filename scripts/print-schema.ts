import { mkdir, writeFile } from 'node:fs/promises';
import { customerExportJsonSchema } from '../src/core/customers/export-document.js';
import { possibleTypesWithBuiltins, printSchemaWithBuiltins } from '../src/schema/print.js';

await writeFile(new URL('../schema.graphql', import.meta.url), printSchemaWithBuiltins());
console.log('schema.graphql written');
await mkdir(new URL('../schemas/', import.meta.url), { recursive: true });
await writeFile(new URL('../schemas/customer-export.schema.json', import.meta.url), `${JSON.stringify(customerExportJsonSchema(), null, 2)}\n`);
console.log('schemas/customer-export.schema.json written');
await writeFile(new URL('../schemas/possible-types.json', import.meta.url), `${JSON.stringify(possibleTypesWithBuiltins(), null, 2)}\n`);
console.log('schemas/possible-types.json written');
