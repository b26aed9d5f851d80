#!/usr/bin/env node
// Runs the built CLI (dist/, built on install); from a checkout without a build, the TypeScript through tsx.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const args = existsSync(built) ? ['--enable-source-maps', built] : ['--import', createRequire(import.meta.url).resolve('tsx'), fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))];
const result = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
