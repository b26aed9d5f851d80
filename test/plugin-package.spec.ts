import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');

/** An example file of the README's "Writing a plugin", exactly as written there. */
async function readmeExample(file: string): Promise<string> {
  const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Writing a plugin'));
  const start = section.indexOf('```ts\n// ' + file + '\n');
  if (start === -1) throw new Error(`README: no ${file} example under "Writing a plugin"`);
  const body = section.slice(start + '```ts\n'.length);
  return body.slice(0, body.indexOf('```'));
}
const readmePluginExample = () => readmeExample('my-plugin.ts');

/**
 * A plugin written outside this repository, from the README alone: it imports `cx-graph/plugin-sdk`
 * and `cx-graph/testing` through the package's exports, type-checks against the published
 * declarations, and passes the exported survey-channel contract suite under its own vitest run.
 */
describe('an out-of-tree plugin built from the README example', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cx-plugin-'));
    await mkdir(path.join(dir, 'node_modules'), { recursive: true });
    // As `npm install cx-graph` (or a file: dependency) would place it.
    await symlink(ROOT, path.join(dir, 'node_modules', 'cx-graph'), 'dir');
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'pigeon-channel', version: '1.0.0', type: 'module', private: true }));
    await writeFile(path.join(dir, 'my-plugin.ts'), await readmePluginExample());
    await writeFile(path.join(dir, 'big-spenders.ts'), await readmeExample('big-spenders.ts'));
    await writeFile(
      path.join(dir, 'pigeon.contract.test.ts'),
      `import { contributionsOf, surveyChannelContract } from 'cx-graph/testing';
import { createPigeonPlugin } from './my-plugin.js';

const { surveyChannels = [] } = contributionsOf(createPigeonPlugin({ loft: 'Utrecht' }));
surveyChannelContract(surveyChannels.map((channel) => ({ channel, settings: () => ({ ring: 'NL-2026-0001' }) })));
`,
    );
    await writeFile(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'es2023', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ['*.ts'] }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('type-checks against the published declarations', async () => {
    const result = await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { cwd: dir, timeout: 120_000 }).catch(
      (error: { stdout: string; code: number }) => error,
    );
    expect('code' in result ? result.stdout : '').toBe('');
  }, 180_000);

  it('passes the exported contract suite', async () => {
    const result = await run(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--reporter', 'verbose'], {
      cwd: dir,
      timeout: 120_000,
      env: { ...process.env, CI: '1' },
    }).catch((error: { stdout: string; stderr: string; code: number }) => error);
    const output = `${result.stdout}\n${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    expect('code' in result && result.code !== 0 ? output : 'ok').toBe('ok');
    expect(output).toMatch(/survey channel contract: pigeon/);
    expect(output).toMatch(/Tests\s+\S*5 passed/);
  }, 180_000);

  it('cannot reach the server internals: only the exported entry points resolve', async () => {
    await writeFile(path.join(dir, 'internal.mjs'), "await import('cx-graph/src/core/plugin-sdk/index.js');\n");
    const result = await run(process.execPath, [path.join(dir, 'internal.mjs')], { cwd: dir }).catch((error: { stderr: string }) => error);
    expect(result.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
