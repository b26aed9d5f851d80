import { writeFile } from 'node:fs/promises';
import { printSchemaWithBuiltins } from '../src/schema/print.js';

await writeFile(new URL('../schema.graphql', import.meta.url), printSchemaWithBuiltins());
console.log('schema.graphql written');
