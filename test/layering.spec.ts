import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

interface Report {
  summary: { totalCruised: number; violations: Array<{ rule: { name: string; severity: string }; from: string; to: string }>; ignore: number };
}

async function cruise(cwd: string, args: string[]): Promise<Report> {
  const bin = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const { stdout } = await run(process.execPath, [bin, 'src', '--config', CONFIG, '--output-type', 'json', ...args], { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }).catch(
    (error: { stdout: string }) => ({ stdout: error.stdout }),
  );
  return JSON.parse(stdout) as Report;
}

/** The one-way data flow of the architecture (README), enforced by dependency-cruiser on the real import graph. */
describe('layering', () => {
  it('holds across the whole source tree', async () => {
    const report = await cruise(ROOT, []);
    // The parser really reads this TypeScript: every module of src/ is in the graph.
    expect(report.summary.totalCruised).toBeGreaterThan(250);
    expect(report.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  }, 180_000);

  it('catches a violation of each rule (a fixture tree with one of each)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cx-layering-'));
    try {
      const write = async (file: string, text: string) => {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), text);
      };
      await write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } }));
      await write('src/schema/builder.ts', 'export const builder = 1;\n');
      await write('src/db/database.ts', 'export const open = 1;\n');
      await write('src/core/rules.ts', "import { builder } from '../schema/builder.js';\nexport const rule = builder;\n");
      await write('src/plugins/shop/shop.plugin.ts', "import { rule } from '../../core/rules.js';\nexport const plugin = rule;\n");
      await write('node_modules/kysely/package.json', JSON.stringify({ name: 'kysely', version: '0.0.0', main: 'index.js' }));
      await write('node_modules/kysely/index.js', 'exports.sql = () => 1;\n');
      await write('src/plugins/shop/members.ts', "import { sql } from 'kysely';\nexport const members = sql`SELECT 1`;\n");
      await write('src/schema/types/thing.ts', "import { open } from '../../db/database.js';\nimport { a } from './circle-a.js';\nexport const thing = [open, a];\n");
      await write('src/schema/types/circle-a.ts', "import { b } from './circle-b.js';\nexport const a = b;\n");
      await write('src/schema/types/circle-b.ts', "import { a } from './circle-a.js';\nexport const b = a;\n");
      const report = await cruise(dir, []);
      const rules = new Set(report.summary.violations.map((v) => v.rule.name));
      expect([...rules].sort()).toEqual(['core-stays-inside', 'no-circular', 'plugins-reach-no-database', 'plugins-use-the-sdk', 'schema-uses-the-context']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
