import type { Logger } from 'pino';
import type { SqlRunner } from '../../db/sql-runner.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Clock } from '../clock.js';
import { UnknownContributionError, ValidationError } from '../errors.js';
import { createPlatformHttp, type PlatformCall, type PlatformHttpOptions, type ReviewPlatform } from '../plugin-sdk/index.js';
import type { PluginRegistry } from '../plugin-sdk/registry.js';

/** How the server talks to platforms: retry policy knobs (tests shorten the waits). */
export type PlatformHttpPolicy = Partial<Pick<PlatformHttpOptions, 'sleep' | 'maxRetryWaitMs' | 'backoffMs' | 'maxAttempts' | 'timeoutMs'>>;

/**
 * What the review features need: the database without a workspace scope (jobs and push
 * endpoints name the workspace in every statement), plugins, time and the platform clients.
 */
export interface ReviewRuntime {
  prisma: PrismaClient;
  sql: SqlRunner;
  registry: PluginRegistry;
  clock: Clock;
  log: Logger;
  publicUrl: string;
  calls: PlatformCalls;
  /** Asks the job queue to sync a source soon. */
  requestSync(connectionId: string): void;
  /** How long a push endpoint keeps a source it found (default 5 s; 0: looked up on every push). */
  pushSourceCacheMs?: number;
}

export interface ConnectionRow {
  id: string;
  workspaceId: string;
  platformCode: string;
  settings: unknown;
  updatedAt: Date;
}

/**
 * Builds each connection's PlatformCall: validated settings, an HTTP client limited to the
 * platform's hosts, and per-connection state (access tokens) that lives until the settings change.
 */
export class PlatformCalls {
  private readonly states = new Map<string, { version: number; state: Map<string, unknown> }>();

  constructor(
    private readonly registry: PluginRegistry,
    private readonly policy: PlatformHttpPolicy = {},
  ) {}

  platformOrThrow(code: string): ReviewPlatform<unknown> {
    if (!this.registry.reviewPlatforms.has(code)) throw new UnknownContributionError('review platform', code);
    return this.registry.reviewPlatforms.getByCodeOrThrow(code);
  }

  forConnection(connection: ConnectionRow): { platform: ReviewPlatform<unknown>; call: PlatformCall<unknown> } {
    const platform = this.platformOrThrow(connection.platformCode);
    const parsed = platform.settingsSchema.safeParse(connection.settings);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, ['settings']);
    const version = connection.updatedAt.getTime();
    let entry = this.states.get(connection.id);
    if (!entry || entry.version !== version) {
      entry = { version, state: new Map() };
      this.states.set(connection.id, entry);
    }
    const api = platform.api?.(parsed.data);
    // A platform without an API (push or CSV only) gets a client that can reach nothing.
    const http = createPlatformHttp({ baseUrl: api?.baseUrl ?? 'http://invalid.invalid', extraOrigins: api?.extraOrigins, ...this.policy });
    return { platform, call: { settings: parsed.data, http, state: entry.state } };
  }
}
