import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../src');

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? (entry.name === 'generated' ? [] : files(path.join(dir, entry.name))) : [path.join(dir, entry.name)])),
  );
  return nested.flat().filter((file) => file.endsWith('.ts'));
}

async function relativeImports(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return [...text.matchAll(/from '(\.[^']+)'/g)].map((match) => path.relative(SRC, path.resolve(path.dirname(file), match[1]!)));
}

/** The one-way data flow of the architecture (README), checked rather than remembered. */
describe('layering', () => {
  it('core never imports the schema, the HTTP layer or plugins', async () => {
    for (const file of await files(path.join(SRC, 'core'))) {
      for (const target of await relativeImports(file)) {
        expect(target, `${path.relative(SRC, file)} imports ${target}`).not.toMatch(/^(schema|plugins|yoga|server|app|cli)\b/);
      }
    }
  });

  it('plugins import only the plugin SDK (and their own files)', async () => {
    for (const file of await files(path.join(SRC, 'plugins'))) {
      const own = path.relative(SRC, path.dirname(file));
      for (const target of await relativeImports(file)) {
        const allowed = target.startsWith('core/plugin-sdk') || target.startsWith(own) || target.startsWith('plugins/');
        expect(allowed, `${path.relative(SRC, file)} imports ${target}`).toBe(true);
      }
    }
  });

  it('schema types reach the database only through the context, never by opening it', async () => {
    for (const file of await files(path.join(SRC, 'schema'))) {
      for (const target of await relativeImports(file)) {
        expect(target, `${path.relative(SRC, file)} imports ${target}`).not.toMatch(/^db\/database/);
      }
    }
  });

  it('SQL is written only in core and db: not in the schema, the HTTP layer, plugins or the CLI', async () => {
    const outside = (await files(SRC)).filter((file) => !/\/src\/(core|db|generated)\//.test(file));
    for (const file of outside) {
      const text = await readFile(file, 'utf8');
      expect(text, `${path.relative(SRC, file)} runs SQL`).not.toMatch(/\bconn\.(query|exec)\(|\$(queryRaw|executeRaw)(Unsafe)?\b|\.sql\.session\(/);
    }
  });
});
