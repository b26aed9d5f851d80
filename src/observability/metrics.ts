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
}

/** Operation names are the client's choice: only well-formed ones, and at most this many distinct, become labels. */
const MAX_OPERATION_LABELS = 200;

const METHODS = new Set(['GET', 'POST', 'OPTIONS', 'HEAD']);

export function createServerMetrics(sources: { statements(): number; accepting(): boolean }): ServerMetrics {
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
  const operations = new Histogram({
    name: 'cx_graphql_operation_duration_seconds',
    help: 'GraphQL execution time by operation name and type (anonymous: "anonymous"; beyond 200 names: "other").',
    labelNames: ['operation', 'type'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
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
    observeOperation(name, type, seconds) {
      operations.observe({ operation: operationLabel(name), type: ['query', 'mutation', 'subscription'].includes(type) ? type : 'other' }, seconds);
    },
  };
}
