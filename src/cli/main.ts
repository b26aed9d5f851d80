import { loadConfigOrThrow } from '../config.js';
import { openDatabase } from '../db/database.js';
import { DataDirInUseError } from '../db/data-dir-lock.js';
import { migrateOrThrow } from '../db/migrate.js';
import { adminSocketPath, forwardToServer } from './admin-socket.js';
import { runCli, type CliContext } from './program.js';

const args = process.argv.slice(2);
const local: CliContext = {
  withDatabase: async (fn) => {
    const config = loadConfigOrThrow();
    const database = await openDatabase(config.database);
    try {
      await migrateOrThrow(database.sql);
      return await fn(database);
    } finally {
      await database.close();
    }
  },
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  progressStream: process.stderr,
  cwd: process.cwd(),
};

/**
 * Runs the command here, or, when a server holds the embedded database, in that server (see
 * admin-socket.ts): the same commands and output either way.
 */
async function main(): Promise<number> {
  const config = (() => {
    try {
      return loadConfigOrThrow();
    } catch {
      return null;
    }
  })();
  const forward = () =>
    config?.database.kind === 'pglite'
      ? forwardToServer(adminSocketPath(config.database.dataDir), args, { out: local.out, err: local.err, cwd: process.cwd(), tty: process.stderr.isTTY === true })
      : Promise.resolve(null);
  // A running server answers on its socket; otherwise the command opens the database itself.
  const forwarded = await forward();
  if (forwarded !== null) return forwarded;
  try {
    return await runCli(args, {
      ...local,
      withDatabase: (fn) =>
        local.withDatabase(fn).catch(async (error: unknown) => {
          if (!(error instanceof DataDirInUseError)) throw error;
          throw new DataDirInUseError(`${error.message} (its CLI socket did not answer: is it a cx-graph server older than this CLI?)`);
        }),
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

main().then((code) => process.exit(code));
