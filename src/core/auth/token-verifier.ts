import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors as jose, jwtVerify, type JWTPayload } from 'jose';
import type { OidcConfig } from '../../config.js';
import { run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { membersSigningIn, providersByIssuer, recordSignIn } from './auth.queries.js';
import type { Clock } from '../clock.js';
import { UnauthenticatedError } from '../errors.js';
import { isRole } from './roles.js';
import { memberViewer, type Viewer } from './viewer.js';

/** Asymmetric algorithms only: a shared-secret (HS*) or unsigned (`none`) token is never accepted. */
export const TOKEN_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

/** Provider settings are re-read this often; a change through the API applies at once on this instance. */
const PROVIDER_CACHE_MS = 30_000;
/** A discovery document is re-read this often. */
const DISCOVERY_CACHE_MS = 3_600_000;
const FETCH_TIMEOUT_MS = 5_000;
/** lastSignInAt is written at most once a minute per member. */
const SIGN_IN_RESOLUTION_MS = 60_000;

export interface ProviderRow {
  workspaceId: string;
  issuer: string;
  audience: string;
  jwksUrl: string | null;
}

interface MemberRow extends Record<string, unknown> {
  id: string;
  workspaceId: string;
  email: string;
  name: string | null;
  role: string;
  subject: string | null;
  lastSignInAt: Date | null;
}

function tokenError(code: string, message: string): UnauthenticatedError {
  return new UnauthenticatedError(message, code);
}

/** The identity provider could not be reached: the caller may retry (503). */
export class IdentityProviderUnavailable extends Error {}

/** A JWT has three base64url parts; API keys start with cxk_. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(token);
}

/** Reads what jose reports into a code a client can act on. */
function mapVerifyError(error: unknown): Error {
  if (error instanceof jose.JWTExpired) return tokenError('TOKEN_EXPIRED', 'The token has expired (exp): sign in again or refresh it.');
  if (error instanceof jose.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return tokenError('TOKEN_NOT_YET_VALID', 'The token is not valid yet (nbf).');
    if (error.claim === 'iss') return tokenError('TOKEN_ISSUER_UNKNOWN', 'The token was issued by a provider this server does not trust (iss).');
    if (error.claim === 'iat') return tokenError('TOKEN_INVALID', 'The token was issued in the future (iat).');
    return tokenError('TOKEN_INVALID', `The token's "${error.claim}" claim is not acceptable: ${error.reason}.`);
  }
  if (error instanceof jose.JWKSNoMatchingKey) return tokenError('TOKEN_KEY_UNKNOWN', "The token's key id (kid) is not among the identity provider's signing keys.");
  if (error instanceof jose.JWKSMultipleMatchingKeys) return tokenError('TOKEN_KEY_UNKNOWN', "The token's key id matches several keys of the identity provider.");
  if (error instanceof jose.JWSSignatureVerificationFailed) return tokenError('TOKEN_INVALID', "The token's signature does not verify.");
  if (error instanceof jose.JOSEAlgNotAllowed) return tokenError('TOKEN_INVALID', `The token's algorithm is not accepted; use one of ${TOKEN_ALGORITHMS.join(', ')}.`);
  if (error instanceof jose.JWKSTimeout || error instanceof jose.JWKSInvalid || error instanceof IdentityProviderUnavailable) {
    return new IdentityProviderUnavailable('The identity provider did not answer with its signing keys.');
  }
  if (error instanceof jose.JOSEError) return tokenError('TOKEN_INVALID', 'The token is malformed or cannot be verified.');
  if (error instanceof TypeError || (error instanceof Error && /fetch|ECONN|socket/i.test(error.message))) {
    return new IdentityProviderUnavailable('The identity provider could not be reached.');
  }
  return error instanceof Error ? error : new Error(String(error));
}

export interface TokenVerifierDeps {
  sql: SqlRunner;
  clock: Clock;
  config: OidcConfig;
}

/**
 * Signs members in with a JWT from their workspace's OpenID Connect provider: finds the providers
 * that trust the token's issuer, verifies the signature with the provider's published keys (cached,
 * refetched when a new key id appears or the cache ages out), checks exp, nbf, iss, aud and the
 * algorithm with a bounded clock skew, then maps the subject (or, at the first sign-in, the
 * verified e-mail) to a member. Every failure is an UnauthenticatedError with a precise code.
 */
export class TokenVerifier {
  private providers = new Map<string, { rows: ProviderRow[]; at: number }>();
  private discovery = new Map<string, { jwksUri: string; at: number }>();
  private keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(private readonly deps: TokenVerifierDeps) {}

  /** Whether provider URLs may be http on loopback hosts. */
  get allowLoopbackHttp(): boolean {
    return this.deps.config.allowLoopbackHttp;
  }

  /** Forgets cached provider settings (after a change through the API or CLI). */
  invalidate(): void {
    this.providers.clear();
    this.discovery.clear();
  }

  private async providersFor(issuer: string): Promise<ProviderRow[]> {
    const now = Date.now();
    const cached = this.providers.get(issuer);
    if (cached && now - cached.at < PROVIDER_CACHE_MS) return cached.rows;
    const rows: ProviderRow[] = await this.deps.sql.session((conn) => run(conn, providersByIssuer(issuer)));
    if (this.providers.size > 1000) this.providers.clear();
    this.providers.set(issuer, { rows, at: now });
    return rows;
  }

  private async jwksUriFor(provider: ProviderRow): Promise<string> {
    if (provider.jwksUrl) return provider.jwksUrl;
    const cached = this.discovery.get(provider.issuer);
    if (cached && Date.now() - cached.at < DISCOVERY_CACHE_MS) return cached.jwksUri;
    const url = `${provider.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let document: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
      if (!response.ok) throw new IdentityProviderUnavailable(`discovery answered ${response.status}`);
      document = (await response.json()) as typeof document;
    } catch (error) {
      throw error instanceof IdentityProviderUnavailable ? error : new IdentityProviderUnavailable(`discovery failed: ${(error as Error).message}`);
    }
    // OpenID Connect Discovery 1.0, section 4.3: the document must name the issuer it was fetched for.
    if (document.issuer !== provider.issuer || typeof document.jwks_uri !== 'string') {
      throw new IdentityProviderUnavailable('The discovery document names another issuer or no jwks_uri.');
    }
    this.discovery.set(provider.issuer, { jwksUri: document.jwks_uri, at: Date.now() });
    return document.jwks_uri;
  }

  private keySet(uri: string) {
    let set = this.keySets.get(uri);
    if (!set) {
      set = createRemoteJWKSet(new URL(uri), {
        timeoutDuration: FETCH_TIMEOUT_MS,
        cooldownDuration: this.deps.config.jwksCooldownSeconds * 1000,
        cacheMaxAge: this.deps.config.jwksMaxAgeSeconds * 1000,
      });
      this.keySets.set(uri, set);
    }
    return set;
  }

  /** The member the token signs in, as a viewer; `workspaceId` chooses when the person is a member of several. */
  async authenticate(token: string, workspaceId: string | null): Promise<Viewer> {
    let claims: JWTPayload;
    try {
      const header = decodeProtectedHeader(token);
      if (!header.alg || !(TOKEN_ALGORITHMS as readonly string[]).includes(header.alg)) {
        throw tokenError('TOKEN_INVALID', `The token's algorithm "${String(header.alg)}" is not accepted; use one of ${TOKEN_ALGORITHMS.join(', ')}.`);
      }
      claims = decodeJwt(token);
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      throw tokenError('TOKEN_INVALID', 'The token is not a well-formed JWT.');
    }
    if (typeof claims.iss !== 'string') throw tokenError('TOKEN_INVALID', 'The token names no issuer (iss).');
    let providers = await this.providersFor(claims.iss);
    if (workspaceId) providers = providers.filter((provider) => provider.workspaceId === workspaceId);
    if (providers.length === 0) throw tokenError('TOKEN_ISSUER_UNKNOWN', `No workspace trusts tokens issued by "${claims.iss}".`);

    // Every provider with this issuer shares its keys; verify once, then match the audience.
    let payload: JWTPayload;
    try {
      const jwks = this.keySet(await this.jwksUriFor(providers[0]!));
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: claims.iss,
        algorithms: [...TOKEN_ALGORITHMS],
        clockTolerance: this.deps.config.clockSkewSeconds,
        currentDate: this.deps.clock.now(),
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw mapVerifyError(error);
    }
    const audiences = Array.isArray(payload.aud) ? payload.aud : payload.aud ? [payload.aud] : [];
    const trusting = providers.filter((provider) => audiences.includes(provider.audience));
    if (trusting.length === 0) throw tokenError('TOKEN_AUDIENCE_MISMATCH', `The token's audience (aud) is not the one this workspace expects.`);
    return this.signIn(trusting, payload);
  }

  private async signIn(providers: ProviderRow[], payload: JWTPayload): Promise<Viewer> {
    const subject = String(payload.sub);
    // The e-mail binds a member at the first sign-in only, and only when the provider does not say it is unverified.
    const email = typeof payload.email === 'string' && payload.email_verified !== false ? payload.email.trim().toLowerCase() : null;
    const workspaces = providers.map((provider) => provider.workspaceId);
    const rows: MemberRow[] = await this.deps.sql.session((conn) => run(conn, membersSigningIn(workspaces, subject, email)));
    // One row per workspace: the subject's own row wins over an e-mail match.
    const byWorkspace = new Map<string, MemberRow>();
    for (const row of rows) if (!byWorkspace.has(row.workspaceId)) byWorkspace.set(row.workspaceId, row);
    if (byWorkspace.size === 0) throw tokenError('NOT_A_MEMBER', 'The token is valid but its person is not a member of this workspace: ask an admin to invite them.');
    if (byWorkspace.size > 1) {
      throw tokenError('WORKSPACE_REQUIRED', 'This person is a member of several workspaces: name one in the X-Workspace-Id header.');
    }
    const member = [...byWorkspace.values()][0]!;
    if (!isRole(member.role)) throw new Error(`unknown role ${member.role}`);
    const now = this.deps.clock.now();
    if (member.subject === null || !member.lastSignInAt || now.getTime() - member.lastSignInAt.getTime() > SIGN_IN_RESOLUTION_MS) {
      await this.deps.sql.session((conn) => run(conn, recordSignIn(member.id, subject, now)));
    }
    return memberViewer(member.workspaceId, { id: member.id, email: member.email, name: member.name, role: member.role });
  }
}
