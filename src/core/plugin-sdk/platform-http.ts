/**
 * The HTTP client review-platform plugins talk through. It owns what every platform client gets
 * wrong on its own: honouring 429 Retry-After, backing off on 5xx with jitter, timeouts, refusing
 * redirects to another host, and turning each failure into one typed `PlatformError`.
 */

export type PlatformErrorKind = 'auth' | 'rate-limited' | 'unavailable' | 'malformed' | 'not-found' | 'rejected' | 'redirect';

export class PlatformError extends Error {
  constructor(
    readonly kind: PlatformErrorKind,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; body?: unknown } = {},
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

/** Parses what a platform sent with a zod schema; a mismatch is a `malformed` PlatformError naming the field. */
export function expectShape<T>(
  platform: string,
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } } },
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new PlatformError('malformed', `${platform} sent an unexpected ${what}: ${issue?.path.map(String).join('.')} ${issue?.message}`);
}

export interface PlatformHttpOptions {
  baseUrl: string;
  /** Other origins the platform's API lives on (Trustpilot's invitations API, an OAuth host). */
  extraOrigins?: string[];
  /** Attempts per request, the first included (default 4). */
  maxAttempts?: number;
  /** A Retry-After longer than this is not waited out in-process: the call fails as rate-limited (default 60 s). */
  maxRetryWaitMs?: number;
  /** Base of the exponential back-off after a 5xx or network failure (default 250 ms). */
  backoffMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

export interface PlatformRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** Whether a 5xx may be retried; default true except for POST (it may have been processed). */
  idempotent?: boolean;
  /** Statuses returned to the caller instead of thrown (for example Kiyoh's duplicate-invitation 400). */
  acceptStatuses?: number[];
}

export interface PlatformResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface PlatformHttp {
  request<T = unknown>(pathOrUrl: string, request?: PlatformRequest): Promise<PlatformResponse<T>>;
}

const MAX_REDIRECTS = 3;

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createPlatformHttp(options: PlatformHttpOptions): PlatformHttp {
  const base = new URL(options.baseUrl);
  const allowed = new Set([base.origin, ...(options.extraOrigins ?? []).map((origin) => new URL(origin).origin)]);
  const maxAttempts = options.maxAttempts ?? 4;
  const maxWait = options.maxRetryWaitMs ?? 60_000;
  const backoff = options.backoffMs ?? 250;
  const sleep = options.sleep ?? defaultSleep;
  const doFetch = options.fetch ?? fetch;

  function resolveUrl(pathOrUrl: string, query: PlatformRequest['query']): URL {
    const url = /^https?:\/\//.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(pathOrUrl.replace(/^\//, ''), base.href.endsWith('/') ? base.href : `${base.href}/`);
    if (!allowed.has(url.origin)) throw new PlatformError('redirect', `Refusing to call ${url.origin}: not this platform's API host`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    return url;
  }

  async function once(url: URL, request: PlatformRequest): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'cx-graph', ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] = 'application/json';
    } else if (request.form) {
      body = new URLSearchParams(request.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    let current = url;
    for (let hop = 0; ; hop += 1) {
      const response = await doFetch(current, { method: request.method ?? 'GET', headers, body, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
      if (response.status < 300 || response.status >= 400 || response.status === 304) return response;
      const location = response.headers.get('location');
      await response.body?.cancel();
      if (!location) throw new PlatformError('malformed', `Redirect ${response.status} without a Location header`, { status: response.status });
      const next = new URL(location, current);
      // Credentials travel in headers: following a redirect to another host would hand them over.
      if (next.origin !== current.origin) throw new PlatformError('redirect', `Refused a redirect from ${current.origin} to another host (${next.origin})`, { status: response.status });
      if (hop + 1 >= MAX_REDIRECTS) throw new PlatformError('redirect', 'Too many redirects', { status: response.status });
      current = next;
    }
  }

  async function parse<T>(response: Response): Promise<T> {
    const text = await response.text();
    if (text.trim() === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new PlatformError('malformed', `The platform answered ${response.status} with a body that is not JSON`, { status: response.status, body: text.slice(0, 200) });
    }
  }

  return {
    async request<T>(pathOrUrl: string, request: PlatformRequest = {}): Promise<PlatformResponse<T>> {
      const url = resolveUrl(pathOrUrl, request.query);
      const idempotent = request.idempotent ?? (request.method ?? 'GET') !== 'POST';
      for (let attempt = 1; ; attempt += 1) {
        let response: Response;
        try {
          response = await once(url, request);
        } catch (error) {
          if (error instanceof PlatformError) throw error;
          if (!idempotent || attempt >= maxAttempts) throw new PlatformError('unavailable', `The platform could not be reached: ${(error as Error).message}`);
          await sleep(Math.random() * backoff * 2 ** (attempt - 1));
          continue;
        }
        const status = response.status;
        if (status < 300 || request.acceptStatuses?.includes(status)) {
          return { status, headers: response.headers, body: await parse<T>(response) };
        }
        const body = await response.text().catch(() => '');
        if (status === 429) {
          const wait = retryAfterMs(response.headers.get('retry-after')) ?? backoff * 2 ** attempt;
          // A 429 was not processed, so even a POST can be repeated.
          if (attempt >= maxAttempts || wait > maxWait)
            throw new PlatformError('rate-limited', `Rate limited by the platform; retry after ${Math.ceil(wait / 1000)} s`, { status, retryAfterMs: wait });
          await sleep(wait);
          continue;
        }
        if (status >= 500) {
          if (!idempotent || attempt >= maxAttempts) throw new PlatformError('unavailable', `The platform answered ${status}`, { status, body: body.slice(0, 200) });
          await sleep(Math.random() * backoff * 2 ** (attempt - 1) + backoff / 2);
          continue;
        }
        if (status === 401 || status === 403) throw new PlatformError('auth', `The platform refused the credentials (${status})`, { status, body: body.slice(0, 200) });
        if (status === 404) throw new PlatformError('not-found', `Not found on the platform (${url.pathname})`, { status });
        throw new PlatformError('rejected', `The platform rejected the request (${status}): ${body.slice(0, 200)}`, { status, body: body.slice(0, 500) });
      }
    },
  };
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * Runs `use` with an OAuth access token kept in the connection's state: obtained when missing or
 * about to expire, and obtained once more when the platform says the token is no longer valid
 * (tokens expire early, get revoked, or the clock is off).
 */
export async function withAccessToken<T>(state: Map<string, unknown>, obtain: () => Promise<{ token: string; expiresInSeconds: number }>, use: (token: string) => Promise<T>): Promise<T> {
  const fresh = async () => {
    const { token, expiresInSeconds } = await obtain();
    const cached: CachedToken = { token, expiresAt: Date.now() + expiresInSeconds * 1000 };
    state.set('accessToken', cached);
    return cached.token;
  };
  const cached = state.get('accessToken') as CachedToken | undefined;
  const token = cached && cached.expiresAt - Date.now() > 60_000 ? cached.token : await fresh();
  try {
    return await use(token);
  } catch (error) {
    if (!(error instanceof PlatformError) || error.kind !== 'auth') throw error;
    return use(await fresh());
  }
}
