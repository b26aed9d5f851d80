import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..');

/** One formatter for all code: every tracked TypeScript and JavaScript file is as `npm run format` leaves it. */
describe('formatting', () => {
  it('every source file is formatted with the repository Prettier config', { timeout: 120_000 }, async () => {
    const { stdout } = await promisify(execFile)('git', ['ls-files', '*.ts', '*.js', '*.cjs', '*.mjs'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    const files = stdout.split('\n').filter(Boolean);
    expect(files.length).toBeGreaterThan(100);
    const unformatted: string[] = [];
    for (const file of files) {
      const path = join(root, file);
      const info = await prettier.getFileInfo(path, { ignorePath: join(root, '.prettierignore') });
      if (info.ignored) continue;
      const options = await prettier.resolveConfig(path);
      if (!(await prettier.check(await readFile(path, 'utf8'), { ...options, filepath: path }))) unformatted.push(file);
    }
    expect(unformatted, 'run npm run format').toEqual([]);
  });
});
