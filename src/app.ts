import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodePushHandler } from './http/review-push-endpoint.js';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { TokenVerifier } from './core/auth/token-verifier.js';
import { relayBacklog } from './core/events/event-relay.js';
import type { Config, PublicLimits } from './config.js';
import type { PluginDefinition } from './core/plugin-sdk/index.js';
import { createRegistryOrThrow, type PluginRegistry } from './core/plugin-sdk/registry.js';
import { ensureFirstWorkspace } from './core/workspaces/first-workspace.js';
import { syncContributions } from './core/plugin-sdk/sync-contributions.js';
import { openDatabase, type Database } from './db/database.js';
import { migrateOrThrow } from './db/migrate.js';
import { systemClock, type Clock } from './core/clock.js';
import { recomputeDynamicSegments } from './core/segments/recompute-all.js';
import { runReviewRules } from './core/reviews/review-invitation.service.js';
import { PlatformCalls, type PlatformHttpPolicy, type ReviewRuntime } from './core/reviews/review-runtime.js';
import { syncAllReviewSources, syncReviewSource } from './core/reviews/review-sync.js';
import { createEventBus } from './core/events/event-bus.js';
import { WebhookDeliverer } from './core/events/webhook-deliverer.js';
import { startEventPump, type EventPump } from './jobs/event-pump.js';
import { OwnerMailer, queueWeeklyDigests } from './core/follow-ups/owner-mail.js';
import { InvitationDispatcher } from './core/surveys/invitation-dispatcher.js';
import { scopedClientCache } from './db/scoped-clients.js';
import { graphqlNodeRoute } from './http/graphql-node-route.js';
import { createRouter, type FetchHandler } from './http/router.js';
import { createSurveyPageHandler } from './http/survey-page/survey-page.handler.js';
import { surveyPageNodeRoute } from './http/survey-page/survey-page-node-route.js';
import { startJobQueue, type JobQueue } from './jobs/job-queue.js';
import { applyRetentionEverywhere } from './core/customers/retention.js';
import { foldScoreDeltas } from './core/metrics/score-month-totals.js';
import { createCxYoga } from './yoga.js';
import { memoryBucketStore, redisBucketStore, type BucketStore } from './http/guards/token-bucket.js';
import { createPublicLimiter } from './http/guards/public-limiter.js';
import { Redis } from 'ioredis';
import { createServerMetrics, type ServerMetrics } from './observability/metrics.js';

export interface App {
  database: Database;
  registry: PluginRegistry;
  yoga: ReturnType<typeof createCxYoga>;
  /** Members' token verification (its caches), for tests and benchmarks. */
  tokens: TokenVerifier;
  /** Every HTTP route: GraphQL, the survey page, the widget. */
  fetch: FetchHandler;
  /** Routes served on node:http itself, ahead of `fetch` (answer posts, review pushes and GraphQL requests of a declared size); false: not one of them. */
  nodeRoutes: (req: IncomingMessage, res: ServerResponse) => boolean;
  dispatcher: InvitationDispatcher;
  /** The review features' runtime (sync, push, rules), for jobs and tests. */
  reviews: ReviewRuntime;
  /** Relays the event outbox and sends webhooks (a loop in production; `runOnce` in tests). */
  events: EventPump;
  /** Sends owner mails (follow-up raised, weekly digest); the event pump runs it, tests call `sendDue`. */
  ownerMail: OwnerMailer;
  /** Counters and histograms served at /metrics. */
  metrics: ServerMetrics;
  /** Readiness turns 503 and new requests are refused from here on (graceful shutdown). */
  stopAccepting(): void;
  close(): Promise<void>;
}

export interface AppOptions {
  firstWorkspace?: boolean;
  clock?: Clock;
  /** Run the durable job queue (default true). Tests that drive the dispatcher by hand turn it off. */
  jobs?: boolean;
  /** Overrides of the configured public limits (tests, benchmarks); a limit not given keeps its configured value. */
  pageLimits?: Partial<PublicLimits>;
  /** Run the event pump's loop (default: with the job queue). Tests may drive it with `events.runOnce()`. */
  eventLoop?: boolean;
  /** Retry waits for review-platform calls (tests shorten them). */
  platformHttp?: PlatformHttpPolicy;
  /** Operation limits, query cost and rate limits (default true); the limits benchmark turns them off for its baseline. */
  guards?: boolean;
}

/**
 * Boot order: plugins are validated before anything touches the database, then pending
 * migrations run, then contributions are recorded, then the handler is built.
 */
export async function createApp(config: Config, plugins: PluginDefinition[], logger: Logger, options: AppOptions = {}): Promise<App> {
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
          `\nCreated workspace "${first.workspace.name}". Its admin API key (shown once, store it now):\n\n  ${first.adminKey.plaintext}\n\n` +
            `Customers see your company, not this name: set it with the updateWorkspace mutation (companyName, logoUrl, accentColor, senderName).\n\n`,
        );
      }
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  const clock = options.clock ?? systemClock;
  const scoped = scopedClientCache(database.prisma);
  const dispatcher = new InvitationDispatcher({ prisma: database.prisma, sql: database.sql, registry, clock, publicUrl: config.publicUrl, log: logger.child({ component: 'dispatcher' }) });
  let jobs: JobQueue | undefined;
  const reviews: ReviewRuntime = {
    prisma: database.prisma,
    sql: database.sql,
    registry,
    clock,
    log: logger.child({ component: 'reviews' }),
    publicUrl: config.publicUrl,
    calls: new PlatformCalls(registry, options.platformHttp),
    requestSync: () => undefined,
    pushSourceCacheMs: config.pushSourceCacheMs,
  };
  if (options.jobs !== false) {
    try {
      jobs = await startJobQueue(
        database,
        {
          dispatch: async () => {
            await dispatcher.dispatchDue();
            await runReviewRules(reviews);
          },
          syncReviews: (source) => (source ? syncReviewSource(reviews, source.workspaceId, source.connectionId) : syncAllReviewSources(reviews)),
          applyRetention: () => applyRetentionEverywhere(database.sql, clock.now()),
          queueDigests: () => queueWeeklyDigests(database.sql, clock.now()),
          foldScoreTotals: () => foldScoreDeltas(database.sql),
          recomputeSegments: (workspaceId) => recomputeDynamicSegments(database.prisma, database.sql, registry, clock.now(), workspaceId ?? undefined),
        },
        logger.child({ component: 'jobs' }),
        { segmentDelaySeconds: config.segmentRecomputeDelaySeconds },
      );
      const queue = jobs;
      reviews.requestSync = (connectionId) => {
        void reviews.prisma.reviewConnection.findUnique({ where: { id: connectionId }, select: { workspaceId: true } }).then((row) => row && queue.syncReviewSource(row.workspaceId, connectionId));
      };
      // Catch up at boot: whatever fell due while no instance was running goes out now.
      jobs.kick();
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  const bus = createEventBus(config.redisUrl);
  const deliverer = new WebhookDeliverer({
    sql: database.sql,
    clock,
    log: logger.child({ component: 'webhooks' }),
    allowLoopback: config.webhooksAllowLoopback,
    // Called only after start-up, once the metrics below exist.
    onOutcome: (status) => metrics.countWebhookOutcome(status),
  });
  // Download links are signed; without a configured secret a random one lives as long as the process.
  const exportLinks = { secret: config.exportLinks.secret ?? randomBytes(32).toString('base64url'), ttlSeconds: config.exportLinks.ttlSeconds };
  if (!config.exportLinks.secret && config.redisUrl) logger.warn('EXPORT_LINK_SECRET is not set: download links work only on the instance that made them');
  const ownerMail = new OwnerMailer({
    sql: database.sql,
    prisma: database.prisma,
    registry,
    clock,
    log: logger.child({ component: 'owner-mail' }),
    publicUrl: config.publicUrl,
    chartSecret: exportLinks.secret,
    followUpUrlTemplate: config.followUpUrlTemplate,
  });
  const pump = startEventPump({
    sql: database.sql,
    clock,
    log: logger.child({ component: 'events' }),
    deliverer,
    ownerMail,
    publish: (event) => void bus.pubSub.publish('events', event.workspaceId, event),
    pollMs: config.eventsPollMs,
    loop: options.eventLoop ?? options.jobs !== false,
  });
  const shutdown = new AbortController();
  const events = { pubSub: bus.pubSub, kick: () => pump.kick(), allowLoopback: config.webhooksAllowLoopback, shutdown: shutdown.signal };
  const surveys = { clock, publicUrl: config.publicUrl, sql: database.sql, exportLinks, kickDispatch: () => jobs?.kick(), dataChanged: (workspaceId: string) => jobs?.dataChanged(workspaceId) };
  // Rate limits live in Redis when it is configured, so every instance draws on the same buckets.
  const limiterRedis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : null;
  limiterRedis?.on('error', (error) => logger.warn({ err: error }, 'rate-limit store (Redis) error'));
  const buckets: BucketStore = limiterRedis ? redisBucketStore(limiterRedis) : memoryBucketStore();
  const pageLimits = { ...config.publicLimits, ...options.pageLimits };
  const publicLimiter = createPublicLimiter(limiterRedis, pageLimits, logger);
  let accepting = true;
  const metrics = createServerMetrics({
    statements: () => database.statementCount(),
    accepting: () => accepting,
    pool: () => database.poolStats(),
    queues: jobs ? () => jobs!.depth() : undefined,
    relay: () => relayBacklog(database.sql, clock.now()),
  });
  let closing: Promise<void> | undefined;
  const tokens = new TokenVerifier({ sql: database.sql, clock, config: config.oidc });
  const yoga = createCxYoga({ config, database, registry, logger, surveys, reviews, events, scoped, buckets, accepting: () => accepting, guards: options.guards, metrics, tokens });
  // One survey page (and one answer batcher) behind both the router and the node:http answer route.
  const surveyPage = createSurveyPageHandler({
    prisma: database.prisma,
    sql: database.sql,
    dataChanged: surveys.dataChanged,
    clock,
    log: logger,
    limiter: publicLimiter,
    onAnswerBatch: (size) => metrics.observeAnswerBatch(size),
  });
  const fetch = createRouter({
    graphql: (request, serverContext) => yoga.fetch(request, serverContext),
    bodyLimitBytes: config.requestBodyLimitBytes,
    limiter: publicLimiter,
    accepting: () => accepting,
    metrics: { registry: metrics.registry, token: config.metricsPort === null ? config.metricsToken : null },
    surveyPage,
    widget: { prisma: database.prisma, clock, publicUrl: config.publicUrl },
    reviews,
    exports: { sql: database.sql, secret: exportLinks.secret, clock, log: logger },
    charts: { sql: database.sql, secret: exportLinks.secret, clock },
    log: logger,
  });
  const pushRoute = nodePushHandler({ reviews, limiter: publicLimiter, accepting: () => accepting, log: logger });
  const graphqlRoute = graphqlNodeRoute({ listener: (req, res) => yoga.requestListener(req, res), bodyLimitBytes: config.requestBodyLimitBytes, accepting: () => accepting });
  const answerRoute = surveyPageNodeRoute({ handle: surveyPage, accepting: () => accepting, log: logger });
  const nodeRoutes = (req: IncomingMessage, res: ServerResponse) => answerRoute(req, res) || pushRoute(req, res) || graphqlRoute(req, res);
  return {
    database,
    registry,
    yoga,
    tokens,
    fetch,
    nodeRoutes,
    dispatcher,
    reviews,
    events: pump,
    ownerMail,
    metrics,
    stopAccepting() {
      accepting = false;
      shutdown.abort();
    },
    close() {
      // Idempotent: the server's shutdown and its owner may both close the app.
      closing ??= (async () => {
        accepting = false;
        shutdown.abort();
        await pump.stop();
        await jobs?.stop();
        await bus.close();
        await buckets.close();
        await Promise.allSettled(registry.surveyChannels.list().map(({ contribution }) => contribution.close?.()));
        await database.close();
      })();
      return closing;
    },
  };
}
