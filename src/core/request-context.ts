import type { Logger } from 'pino';
import type { SqlRunner } from '../db/sql-runner.js';
import type { ScopedPrisma } from '../db/workspace-scope.js';
import type { Viewer } from './auth/viewer.js';
import type { Clock } from './clock.js';
import type { PluginRegistry } from './plugin-sdk/registry.js';
import type { ReviewRuntime } from './reviews/review-runtime.js';
import type { EventPubSub } from './events/event-bus.js';

/** Events: live subscribers and a nudge to relay and deliver now. */
export interface EventRuntime {
  pubSub: EventPubSub;
  kick(): void;
  allowLoopback: boolean;
  /** Aborts when the server starts shutting down: live streams end then. */
  shutdown: AbortSignal;
}

/** What the survey features need beyond the database: the time, public URLs, and a nudge to send now. */
export interface SurveyRuntime {
  clock: Clock;
  publicUrl: string;
  /** Plain SQL on the driver, for the hot answer path. */
  sql: SqlRunner;
  /** Asks the dispatcher to run soon (invitations due now go out within seconds, not at the next tick). */
  kickDispatch(): void;
  /** The workspace's data changed: dynamic segments are recomputed shortly after (debounced). */
  dataChanged(workspaceId: string): void;
  /** Signing of download links (response exports): the secret and a link's lifetime. */
  exportLinks: { secret: string; ttlSeconds: number };
}

/** What every resolver receives. `db` only sees the viewer's workspace. */
export interface RequestContext {
  requestId: string;
  viewer: Viewer;
  db: ScopedPrisma;
  registry: PluginRegistry;
  log: Logger;
  surveys: SurveyRuntime;
  reviews: ReviewRuntime;
  events: EventRuntime;
  /** Cached identity-provider settings: forgotten after they change. */
  identity: { invalidate(): void; readonly allowLoopbackHttp: boolean };
  /** Cached API keys: a key revoked here is forgotten at once. */
  apiKeys: { forget(id: string): void; forgetWorkspace(workspaceId: string): void };
}
