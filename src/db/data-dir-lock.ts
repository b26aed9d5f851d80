import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export class DataDirInUseError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one process's database: a second process opening the same directory would corrupt it.
 * A lock file with the owner's pid keeps the CLI and a second server out; a stale lock is taken over.
 */
export async function lockDataDirOrThrow(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, 'cx-graph.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(file, 'utf8').catch(() => '0'));
      if (owner && owner !== process.pid && alive(owner)) {
        throw new DataDirInUseError(
          `The embedded database in ${dataDir} is in use by process ${owner} (a running cx-graph server?). ` + 'Stop it first, or use the GraphQL API of the running server.',
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new DataDirInUseError(`Could not lock ${dataDir}`);
}
