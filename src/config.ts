import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

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
  REQUEST_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
  PUBLIC_URL: z.string().url().optional(),
  SEGMENT_RECOMPUTE_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  WEBHOOKS_ALLOW_LOOPBACK: booleanFromEnv.optional(),
  EVENTS_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface Config {
  env: RawConfig['NODE_ENV'];
  host: string;
  port: number;
  database: { kind: 'postgres'; url: string; poolSize: number } | { kind: 'pglite'; dataDir: string };
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
  /** Deliver webhooks to loopback addresses (development and tests); private and link-local stay refused. */
  webhooksAllowLoopback: boolean;
  /** How often each instance relays the event outbox and sends due webhooks. */
  eventsPollMs: number;
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
      ? { kind: 'postgres', url: raw.DATABASE_URL, poolSize: raw.DATABASE_POOL_SIZE }
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
  };
}
