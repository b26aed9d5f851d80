import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Route labels are a closed set, so no client can grow the number of series. */
export type RouteLabel = '/graphql' | '/s/:token' | '/widget' | '/hooks/reviews' | '/health' | '/metrics' | 'other';

export function routeOf(pathname: string): RouteLabel {
  if (pathname === '/graphql') return '/graphql';
  if (pathname.startsWith('/s/')) return '/s/:token';
  if (pathname.startsWith('/widget')) return '/widget';
  if (pathname.startsWith('/hooks/reviews/')) return '/hooks/reviews';
  if (pathname.startsWith('/health/')) return '/health';
  if (pathname === '/metrics') return '/metrics';
  return 'other';
}

/** What operators scrape at /metrics (Prometheus text format): one registry per server. */
export interface ServerMetrics {
  registry: Registry;
  observeRequest(route: RouteLabel, method: string, status: number, seconds: number): void;
  /** A GraphQL error by its `extensions.code` (limits, rate limits, unavailable database, masked errors ...). */
  countGraphqlError(code: string): void;
  observeCost(points: number): void;
  /** One executed GraphQL operation: its name (as the client named it), type and duration. */
  observeOperation(name: string | null, type: string, seconds: number): void;
  /** One webhook delivery attempt's outcome. */
  countWebhookOutcome(status: string): void;
  /** A query answered by a plan (src/schema/planned-reads), or handed to normal execution although it was planned. */
  countPlannedRead(outcome: 'answered' | 'fallback'): void;
  /** Answers written together in one transaction of the public answer path (src/core/surveys/answer-batcher.ts). */
  observeAnswerBatch(size: number): void;
}

/** What is read at scrape time (each may fail: the metric is then left out of that scrape). */
export interface MetricSources {
  statements(): number;
  accepting(): boolean;
  pool?(): { total: number; idle: number; waiting: number } | null;
  queues?(): Promise<Array<{ queue: string; ready: number; deferred: number; active: number; failed: number }>>;
  relay?(): Promise<{ pending: number; lagSeconds: number }>;
}

/** Operation names are the client's choice: only well-formed ones, and at most this many distinct, become labels. */
const MAX_OPERATION_LABELS = 200;

const METHODS = new Set(['GET', 'POST', 'OPTIONS', 'HEAD']);

export function createServerMetrics(sources: MetricSources): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cx_' });
  const requests = new Counter({ name: 'cx_http_requests_total', help: 'HTTP requests by route, method and status.', labelNames: ['route', 'method', 'status'], registers: [registry] });
  const duration = new Histogram({
    name: 'cx_http_request_duration_seconds',
    help: 'HTTP request duration by route.',
    labelNames: ['route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({ name: 'cx_graphql_errors_total', help: 'GraphQL errors by extensions.code.', labelNames: ['code'], registers: [registry] });
  const cost = new Histogram({ name: 'cx_graphql_operation_cost', help: 'Query cost of executed operations (points).', buckets: [1, 5, 25, 100, 250, 500, 1000, 2500], registers: [registry] });
  new Counter({
    name: 'cx_db_statements_total',
    help: 'SQL statements sent to the database.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(sources.statements());
    },
  });
  new Gauge({
    name: 'cx_accepting_requests',
    help: '1 while the server takes requests, 0 while it drains before shutdown.',
    registers: [registry],
    collect() {
      this.set(sources.accepting() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'cx_db_pool_connections',
    help: 'PostgreSQL pool: open (total), idle, and requests waiting for a connection (waiting). Absent on the embedded database.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const stats = sources.pool?.();
      if (!stats) return;
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  new Gauge({
    name: 'cx_job_queue_jobs',
    help: 'Durable jobs per queue and state (ready, deferred, active, failed recently).',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      if (!sources.queues) return;
      const depths = await sources.queues().catch(() => null);
      for (const depth of depths ?? []) for (const state of ['ready', 'deferred', 'active', 'failed'] as const) this.set({ queue: depth.queue, state }, depth[state]);
    },
  });
  const relayPending = new Gauge({ name: 'cx_event_relay_pending', help: 'Events committed and not yet relayed to subscribers and webhooks.', registers: [registry] });
  new Gauge({
    name: 'cx_event_relay_lag_seconds',
    help: 'Age of the oldest event not yet relayed (0 when none).',
    registers: [registry],
    async collect() {
      if (!sources.relay) return;
      const backlog = await sources.relay().catch(() => null);
      if (!backlog) return;
      this.set(backlog.lagSeconds);
      relayPending.set(backlog.pending);
    },
  });
  const webhookOutcomes = new Counter({
    name: 'cx_webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts by outcome (SUCCEEDED, RETRYING, DEAD).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const plannedReads = new Counter({
    name: 'cx_graphql_planned_reads_total',
    help: 'Planned queries by outcome: answered from their rows, or executed normally (a scope, role or value the plan cannot answer exactly).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const operations = new Histogram({
    name: 'cx_graphql_operation_duration_seconds',
    help: 'GraphQL execution time by operation name and type (anonymous: "anonymous"; beyond 200 names: "other").',
    labelNames: ['operation', 'type'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const answerBatches = new Histogram({
    name: 'cx_answer_batch_size',
    help: 'Survey answers written in one transaction by the public answer path (1 when it is idle; more under load).',
    buckets: [1, 2, 5, 10, 20, 50],
    registers: [registry],
  });
  const seenOperations = new Set<string>();
  const operationLabel = (name: string | null) => {
    if (!name) return 'anonymous';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'other';
    if (!seenOperations.has(name)) {
      if (seenOperations.size >= MAX_OPERATION_LABELS) return 'other';
      seenOperations.add(name);
    }
    return name;
  };
  const codes = /^[A-Z_]{1,40}$/;
  return {
    registry,
    observeRequest(route, method, status, seconds) {
      requests.inc({ route, method: METHODS.has(method) ? method : 'other', status: String(status) });
      duration.observe({ route }, seconds);
    },
    countGraphqlError(code) {
      errors.inc({ code: codes.test(code) ? code : 'other' });
    },
    observeCost(points) {
      cost.observe(points);
    },
    countWebhookOutcome(status) {
      webhookOutcomes.inc({ outcome: ['SUCCEEDED', 'RETRYING', 'DEAD'].includes(status) ? status : 'other' });
    },
    countPlannedRead(outcome) {
      plannedReads.inc({ outcome });
    },
    observeAnswerBatch(size) {
      answerBatches.observe(size);
    },
    observeOperation(name, type, seconds) {
      operations.observe({ operation: operationLabel(name), type: ['query', 'mutation', 'subscription'].includes(type) ? type : 'other' }, seconds);
    },
  };
}
