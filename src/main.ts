import { createApp } from './app.js';
import { loadConfigOrThrow } from './config.js';
import { createLogger } from './logger.js';
import { readConfigFile, resolvePlugins } from './plugins/plugin-config.js';
import { listen } from './server.js';
import { readFileSync } from 'node:fs';
import { startTracing } from './observability/tracing.js';
import { startAdminSocket, type AdminSocket } from './cli/admin-socket.js';

async function main() {
  const config = loadConfigOrThrow();
  const logger = createLogger(config.logLevel);
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  const tracing = startTracing(process.env, version);
  if (tracing) logger.info('OpenTelemetry traces are exported over OTLP');
  const plugins = resolvePlugins(await readConfigFile());
  const app = await createApp(config, plugins, logger);
  const running = await listen(app, config, logger);
  const where = config.database.kind === 'pglite' ? `embedded database in ${config.database.dataDir}` : 'PostgreSQL';
  logger.info({ url: `${running.url}/graphql`, database: config.database.kind }, 'cx-graph is listening');
  // The embedded database is this process's alone: the CLI runs its commands here, through a socket.
  let adminSocket: AdminSocket | null = null;
  if (config.database.kind === 'pglite') {
    adminSocket = await startAdminSocket(config.database.dataDir, app.database, (error) => logger.error({ err: error }, 'CLI command through the server failed')).catch((error: unknown) => {
      logger.warn({ err: error }, 'no CLI socket in the data directory (path too long?): the CLI runs only while the server is stopped');
      return null;
    });
    // Commands still running get the same grace as HTTP requests, then the database closes.
    if (adminSocket) running.alsoStop(() => adminSocket!.close(config.shutdownTimeoutMs));
  }
  // A plain line for people starting it by hand.
  const keyAdvice =
    config.database.kind === 'pglite'
      ? 'More keys: npm run cli -- key create --workspace <id> --name <name> --scopes admin (the CLI works while the server runs; workspace list shows the ids).'
      : 'Need a key? npm run cli -- workspace create "My company"';
  process.stderr.write(`\ncx-graph API: ${running.url}/graphql (${where})\n${keyAdvice}\n\n`);
  // A lost database connection or a failed background call must not end the process: log it.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'signal received');
      running
        .shutdown()
        .then(() => tracing?.shutdown())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`cx-graph failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
