import { z } from 'zod';

/** Per-minute budgets of the surfaces that need no key. */
export interface PublicLimits {
  /** Survey page and widget requests per client address. */
  perIp: number;
  /** Answer posts per survey link. */
  postsPerToken: number;
  /** Review pushes per client address: platforms push from a few addresses in bursts, so pushes have their own, larger budget. */
  pushesPerMinute: number;
}

const booleanFromEnv = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** Every setting the server reads, parsed in one place. See the configuration table in README.md. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  CX_DATA_DIR: z.string().default('./.cx-data'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRAPHQL_INTROSPECTION: booleanFromEnv.optional(),
  GRAPHIQL: booleanFromEnv.optional(),
  REQUEST_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
  PUBLIC_URL: z.string().url().optional(),
  SEGMENT_RECOMPUTE_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  WEBHOOKS_ALLOW_LOOPBACK: booleanFromEnv.optional(),
  EVENTS_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(10),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(15),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(50),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(100_000).default(3000),
  GRAPHQL_MAX_QUERY_LENGTH: z.coerce.number().int().min(100).default(20_000),
  GRAPHQL_MAX_VARIABLES_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(8 * 1024 * 1024),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).default(2500),
  RATE_LIMIT_CAPACITY: z.coerce.number().int().min(1).default(10_000),
  RATE_LIMIT_REFILL_PER_SECOND: z.coerce.number().positive().default(200),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  CORS_ORIGINS: z.string().optional(),
  PUBLIC_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  SURVEY_POSTS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  REVIEW_PUSHES_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  OIDC_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(60),
  OIDC_JWKS_COOLDOWN_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  OIDC_JWKS_MAX_AGE_SECONDS: z.coerce.number().min(1).max(86_400).default(600),
  OIDC_ALLOW_LOOPBACK_HTTP: booleanFromEnv.optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  EXPORT_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  EXPORT_LINK_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  API_KEY_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(5),
  PUSH_SOURCE_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(5),
  PLANNED_READS: booleanFromEnv.optional(),
  FOLLOW_UP_URL_TEMPLATE: z
    .string()
    .refine((value) => value.includes('{id}') && /^https?:\/\//.test(value), 'must be an http(s) URL containing {id}')
    .optional(),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface OidcConfig {
  /** How far `exp` and `nbf` may be off (clocks of the provider and this server differ). */
  clockSkewSeconds: number;
  /** A token with an unknown key id refetches the provider's keys at most this often. */
  jwksCooldownSeconds: number;
  /** Keys are refetched when older than this, so a rotation is picked up without restart. */
  jwksMaxAgeSeconds: number;
  /** Accept http:// issuer and JWKS URLs on loopback hosts (development and tests); otherwise https only. */
  allowLoopbackHttp: boolean;
}

export interface Config {
  env: RawConfig['NODE_ENV'];
  host: string;
  port: number;
  database: { kind: 'postgres'; url: string; poolSize: number; statementTimeoutMs?: number } | { kind: 'pglite'; dataDir: string };
  logLevel: RawConfig['LOG_LEVEL'];
  introspection: boolean;
  graphiql: boolean;
  maskErrors: boolean;
  requestBodyLimitBytes: number;
  shutdownTimeoutMs: number;
  publicUrl: string;
  /** After a data change, dynamic segments are recomputed this much later (changes in between share one run). */
  segmentRecomputeDelaySeconds: number;
  /** Redis for GraphQL subscriptions across instances; unset: in-process. */
  redisUrl: string | null;
  /** Signing members in with tokens of the workspace's OpenID Connect provider. */
  oidc: OidcConfig;
  /** Deliver webhooks to loopback addresses (development and tests); private and link-local stay refused. */
  webhooksAllowLoopback: boolean;
  /** How often each instance relays the event outbox and sends due webhooks. */
  eventsPollMs: number;
  /** Checked before execution; see "Limits" in README.md. */
  limits: OperationLimits;
  /** Per API key: a token bucket of cost points. */
  rateLimit: { capacity: number; refillPerSecond: number };
  /** Origins allowed to call the API from a browser; `'*'` allows any (without credentials). */
  corsOrigins: string[] | '*';
  /** Public pages and the review push endpoint: requests per minute per address, answer posts per minute per link, pushes per minute per address. */
  publicLimits: PublicLimits;
  /** Bearer token for GET /metrics (Prometheus); unset: no /metrics. */
  metricsToken: string | null;
  /** Serve /metrics on this port (same host) instead of the API's port; null: on the API's port, behind the token. */
  metricsPort: number | null;
  /** Signed download links (response exports): the HMAC secret (null: a random one per process) and how long a link lives. */
  exportLinks: { secret: string | null; ttlSeconds: number };
  /** Owner mails link each follow-up into the team's own tool: this URL with {id} replaced by the follow-up's global id; null: the id only. */
  followUpUrlTemplate: string | null;
  /** How long a found API key is kept in memory (0: looked up on every request); a revocation through another instance or the CLI takes effect within it. */
  apiKeyCacheMs: number;
  /** How long a review source found by a push is kept in memory (0: looked up on every push); a change through another instance takes effect within it. */
  pushSourceCacheMs: number;
  /** Answer planned list queries straight from their rows (src/schema/planned-reads); false: every query through normal execution. */
  plannedReads: boolean;
}

export interface OperationLimits {
  depth: number;
  aliases: number;
  directives: number;
  tokens: number;
  queryLength: number;
  variablesBytes: number;
  cost: number;
}

export class ConfigError extends Error {}

/** Parses the environment; a bad value stops boot with the variable's name. */
export function loadConfigOrThrow(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const raw = parsed.data;
  const development = raw.NODE_ENV === 'development';
  return {
    env: raw.NODE_ENV,
    host: raw.HOST,
    port: raw.PORT,
    database: raw.DATABASE_URL
      ? { kind: 'postgres', url: raw.DATABASE_URL, poolSize: raw.DATABASE_POOL_SIZE, statementTimeoutMs: raw.DATABASE_STATEMENT_TIMEOUT_MS }
      : { kind: 'pglite', dataDir: raw.CX_DATA_DIR },
    logLevel: raw.LOG_LEVEL,
    introspection: raw.GRAPHQL_INTROSPECTION ?? raw.NODE_ENV !== 'production',
    graphiql: raw.GRAPHIQL ?? development,
    maskErrors: raw.NODE_ENV !== 'development',
    requestBodyLimitBytes: raw.REQUEST_BODY_LIMIT_BYTES,
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    publicUrl: raw.PUBLIC_URL ?? `http://${raw.HOST}:${raw.PORT}`,
    segmentRecomputeDelaySeconds: raw.SEGMENT_RECOMPUTE_DELAY_SECONDS,
    redisUrl: raw.REDIS_URL ?? null,
    webhooksAllowLoopback: raw.WEBHOOKS_ALLOW_LOOPBACK ?? raw.NODE_ENV !== 'production',
    eventsPollMs: raw.EVENTS_POLL_MS,
    limits: {
      depth: raw.GRAPHQL_MAX_DEPTH,
      aliases: raw.GRAPHQL_MAX_ALIASES,
      directives: raw.GRAPHQL_MAX_DIRECTIVES,
      tokens: raw.GRAPHQL_MAX_TOKENS,
      queryLength: raw.GRAPHQL_MAX_QUERY_LENGTH,
      variablesBytes: raw.GRAPHQL_MAX_VARIABLES_BYTES,
      cost: raw.GRAPHQL_MAX_COST,
    },
    rateLimit: { capacity: raw.RATE_LIMIT_CAPACITY, refillPerSecond: raw.RATE_LIMIT_REFILL_PER_SECOND },
    corsOrigins: parseOrigins(raw.CORS_ORIGINS, raw.NODE_ENV),
    publicLimits: { perIp: raw.PUBLIC_REQUESTS_PER_MINUTE, postsPerToken: raw.SURVEY_POSTS_PER_MINUTE, pushesPerMinute: raw.REVIEW_PUSHES_PER_MINUTE },
    metricsToken: raw.METRICS_TOKEN ?? null,
    metricsPort: raw.METRICS_PORT ?? null,
    exportLinks: { secret: raw.EXPORT_LINK_SECRET ?? null, ttlSeconds: raw.EXPORT_LINK_TTL_SECONDS },
    followUpUrlTemplate: raw.FOLLOW_UP_URL_TEMPLATE ?? null,
    apiKeyCacheMs: raw.API_KEY_CACHE_SECONDS * 1000,
    pushSourceCacheMs: raw.PUSH_SOURCE_CACHE_SECONDS * 1000,
    plannedReads: raw.PLANNED_READS ?? true,
    oidc: {
      clockSkewSeconds: raw.OIDC_CLOCK_SKEW_SECONDS,
      jwksCooldownSeconds: raw.OIDC_JWKS_COOLDOWN_SECONDS,
      jwksMaxAgeSeconds: raw.OIDC_JWKS_MAX_AGE_SECONDS,
      allowLoopbackHttp: raw.OIDC_ALLOW_LOOPBACK_HTTP ?? raw.NODE_ENV !== 'production',
    },
  };
}

/**
 * `CORS_ORIGINS`: a comma-separated list of origins (`https://app.example.com`), or `*`. Unset:
 * none in production, any outside it (local frontends on another port).
 */
function parseOrigins(value: string | undefined, env: RawConfig['NODE_ENV']): string[] | '*' {
  if (value === undefined) return env === 'production' ? [] : '*';
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  const origins = trimmed
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new ConfigError(`Invalid configuration:\n  CORS_ORIGINS: "${origin}" is not an origin like https://app.example.com`);
  }
  return origins;
}
