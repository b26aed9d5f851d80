import { pino } from 'pino';
import { createApp, type App, type AppOptions } from '../../src/app.js';
import type { Clock } from '../../src/core/clock.js';
import { loadConfigOrThrow } from '../../src/config.js';
import type { PluginDefinition } from '../../src/core/plugin-sdk/index.js';
import { createWorkspaceWithAdminKey } from '../../src/core/workspaces/workspace.service.js';
import { resolvePlugins } from '../../src/plugins/plugin-config.js';
import type { DatabaseTarget } from './databases.js';
import type { DatabaseSettings } from '../../src/db/database.js';

// Responses are read loosely in tests: assertions check their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface GraphQLResponse<T = Loose> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>; extensions?: Loose };
}

export interface TestApp {
  app: App;
  /** Sends one GraphQL request through yoga.fetch, as a client would over HTTP. */
  gql<T = Loose>(key: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Any HTTP request through the app's router (survey page, widget, GraphQL). */
  http(path: string, init?: RequestInit): Promise<Response>;
  /** A new workspace and its admin key. */
  workspace(name?: string): Promise<{ id: string; key: string }>;
  close(): Promise<void>;
}

/**
 * One server instance on a database that already exists (several instances may share it), with
 * the built-in plugins, a silent log and no job queue unless asked.
 */
export async function bootApp(settings: DatabaseSettings, env: Record<string, string> = {}, options: AppOptions & { plugins?: PluginDefinition[] } = {}): Promise<App> {
  const config = loadConfigOrThrow({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const { plugins, ...appOptions } = options;
  return createApp({ ...config, database: settings }, plugins ?? resolvePlugins({}), pino({ level: 'silent' }), { firstWorkspace: false, jobs: false, ...appOptions });
}

export async function startTestApp(
  target: DatabaseTarget,
  options: { plugins?: PluginDefinition[]; env?: Record<string, string>; clock?: Clock; jobs?: boolean; pageLimits?: AppOptions['pageLimits']; platformHttp?: AppOptions['platformHttp'] } = {},
): Promise<TestApp> {
  const database = await target.create();
  const settings =
    database.settings.kind === 'postgres' && options.env?.DATABASE_STATEMENT_TIMEOUT_MS
      ? { ...database.settings, statementTimeoutMs: Number(options.env.DATABASE_STATEMENT_TIMEOUT_MS) }
      : database.settings;
  // Functional specs send many requests on one key: the rate limit gets its own spec (test/hardening).
  const app = await bootApp(
    settings,
    { RATE_LIMIT_CAPACITY: '100000000', ...options.env },
    {
      plugins: options.plugins,
      clock: options.clock,
      jobs: options.jobs ?? false,
      pageLimits: options.pageLimits,
      platformHttp: options.platformHttp,
    },
  );
  let counter = 0;
  return {
    app,
    async gql(key, query, variables) {
      const response = await app.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<never>['body'] };
    },
    http(path, init) {
      return app.fetch(new Request(`http://localhost${path}`, init));
    },
    async workspace(name) {
      counter += 1;
      const created = await createWorkspaceWithAdminKey(app.database.prisma, { name: name ?? `Workspace ${counter}` });
      return { id: created.workspace.id, key: created.adminKey.plaintext };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
