import type { Logger } from 'pino';
import type { ScopedPrisma } from '../db/workspace-scope.js';
import type { Viewer } from './auth/viewer.js';
import type { PluginRegistry } from './plugin-sdk/registry.js';

/** What every resolver receives. `db` only sees the viewer's workspace. */
export interface RequestContext {
  requestId: string;
  viewer: Viewer;
  db: ScopedPrisma;
  registry: PluginRegistry;
  log: Logger;
}
