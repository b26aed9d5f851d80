import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Builds dist/ once before the suite, so tests of the built server (npm start) run today's code. */
export default function setup(): void {
  // The server, then the declarations of the published entry points (cx-graph/plugin-sdk, cx-graph/testing).
  for (const project of ['tsconfig.build.json', 'tsconfig.sdk.json']) {
    execFileSync(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', project], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: 'inherit',
    });
  }
}
