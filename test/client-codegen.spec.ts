import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSchema, isScalarType, specifiedScalarTypes } from 'graphql';
import { describe, expect, it } from 'vitest';
import { scalars } from '../codegen.js';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

/**
 * The example client operations in examples/operations (a list with a fragment and @connection, a
 * refetchable node, a mutation with its error union, a subscription) go through relay-compiler and
 * graphql-codegen, and the generated types are compiled with examples/usage.ts: a schema change that
 * breaks these clients fails here.
 */
describe('client code generation over examples/operations', () => {
  it('every custom scalar has one mapping, the same for graphql-codegen and Relay', async () => {
    const schema = buildSchema(await readFile(join(root, 'schema.graphql'), 'utf8'));
    const builtIn = new Set(specifiedScalarTypes.map((type) => type.name));
    const custom = Object.values(schema.getTypeMap())
      .filter((type) => isScalarType(type) && !builtIn.has(type.name))
      .map((type) => type.name)
      .sort();
    const relay = JSON.parse(await readFile(join(root, 'relay.config.json'), 'utf8')) as { customScalarTypes: Record<string, string> };
    expect(Object.keys(scalars).sort()).toEqual(custom);
    expect(relay.customScalarTypes).toEqual(scalars);
  });

  it('relay-compiler and graphql-codegen accept the operations and their types compile', { timeout: 180_000 }, async () => {
    await run(bin('relay-compiler'), [], { cwd: root });
    await run(bin('graphql-codegen'), ['--config', 'codegen.ts', '--silent'], { cwd: root });
    const generated = await readFile(join(root, 'examples/generated/graphql.ts'), 'utf8');
    expect(generated).toContain('createdAt: string');
    await run(bin('tsc'), ['-p', 'examples/tsconfig.json'], { cwd: root });
  });

  it('a schema that drops a field the operations use fails relay-compiler', { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cx-relay-'));
    try {
      await cp(join(root, 'examples/operations'), join(dir, 'examples/operations'), { recursive: true, filter: (source) => !source.includes('__generated__') });
      await cp(join(root, 'relay.config.json'), join(dir, 'relay.config.json'));
      const schema = await readFile(join(root, 'schema.graphql'), 'utf8');
      const broken = schema.replace(/(type QueryCustomersConnection \{[^}]*?)\n {2}totalCount: Int!/, '$1');
      expect(broken).not.toBe(schema);
      await writeFile(join(dir, 'schema.graphql'), broken);
      const failure = await run(bin('relay-compiler'), [], { cwd: dir }).then(
        () => null,
        (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
      );
      expect(failure).toContain('totalCount');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
