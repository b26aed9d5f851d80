import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { PluginDefinition } from './core/plugin-sdk/index.js';
import { createRegistryOrThrow, type PluginRegistry } from './core/plugin-sdk/registry.js';
import { ensureFirstWorkspace } from './core/workspaces/first-workspace.js';
import { syncContributions } from './core/plugin-sdk/sync-contributions.js';
import { openDatabase, type Database } from './db/database.js';
import { migrateOrThrow } from './db/migrate.js';
import { createCxYoga } from './yoga.js';

export interface App {
  database: Database;
  registry: PluginRegistry;
  yoga: ReturnType<typeof createCxYoga>;
  close(): Promise<void>;
}

/**
 * Boot order: plugins are validated before anything touches the database, then pending
 * migrations run, then contributions are recorded, then the handler is built.
 */
export async function createApp(config: Config, plugins: PluginDefinition[], logger: Logger, options: { firstWorkspace?: boolean } = {}): Promise<App> {
  const registry = createRegistryOrThrow(plugins);
  const database = await openDatabase(config.database);
  try {
    const report = await migrateOrThrow(database.sql);
    if (report.applied.length > 0) logger.info({ applied: report.applied }, 'migrations applied');
    if (report.checksumMismatches.length > 0) logger.warn({ migrations: report.checksumMismatches }, 'applied migrations changed on disk since they ran');
    await syncContributions(database.prisma, registry);
    if (config.database.kind === 'pglite' && options.firstWorkspace !== false) {
      const first = await ensureFirstWorkspace(database.prisma);
      if (first) {
        process.stderr.write(
          `\nCreated workspace "${first.workspace.name}". Its admin API key (shown once, store it now):\n\n  ${first.adminKey.plaintext}\n\n`,
        );
      }
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  const yoga = createCxYoga({ config, database, registry, logger });
  return { database, registry, yoga, close: () => database.close() };
}
