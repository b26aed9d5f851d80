import { createHash, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';

export const API_AUDIENCE = 'https://api.cx-graph.test';
const CLIENT = { client_id: 'cx-dashboard', client_secret: 'dashboard-secret-0123456789abcdef', redirect_uri: 'http://127.0.0.1:9/callback' };

export async function signingKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

/**
 * A real OpenID Connect provider (oidc-provider, the certified implementation) on loopback: the
 * dashboard signs a person in with the authorization code flow (PKCE) and gets a JWT access token
 * for this API (RFC 9068, through resource indicators), as a frontend would.
 */
export class OidcServer {
  private server: Server | null = null;
  issuer = '';

  constructor(private port = 0) {}

  /** Starts (or restarts on the same port) with these signing keys; the first signs. */
  async start(keys: JWK[]): Promise<void> {
    const issuer = this.issuer || `http://127.0.0.1:${this.port}`;
    const provider = new Provider(issuer, {
      clients: [{ ...CLIENT, redirect_uris: [CLIENT.redirect_uri], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post' }],
      jwks: { keys },
      findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, email: `${sub}@acme.test`, email_verified: true }) }),
      claims: { openid: ['sub'], email: ['email', 'email_verified'] },
      features: {
        devInteractions: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => API_AUDIENCE,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({ scope: 'api', audience: API_AUDIENCE, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
        },
      },
      // Many providers put the e-mail in access tokens on request (Auth0, Okta, Entra ID claims mapping).
      extraTokenClaims: (_ctx, token) => ('accountId' in token && token.accountId ? { email: `${token.accountId}@acme.test`, email_verified: true } : undefined),
    });
    provider.on('server_error', (_ctx: unknown, error: Error) => console.error('oidc-provider', error));
    this.server = provider.listen(this.port || 0) as unknown as Server;
    await new Promise<void>((resolve) => this.server!.once('listening', () => resolve()));
    if (!this.issuer) {
      this.port = (this.server.address() as AddressInfo).port;
      this.issuer = `http://127.0.0.1:${this.port}`;
      // The issuer names the port, which is only known now: start again with it.
      await this.stop();
      await this.start(keys);
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    server?.closeAllConnections?.();
  }

  /** Signs `account` in through the login and consent pages and redeems the code: the access token. */
  async signIn(account: string): Promise<string> {
    const jar = new Map<string, string>();
    const send = async (url: string, init: RequestInit = {}) => {
      const response = await fetch(new URL(url, this.issuer), {
        ...init,
        redirect: 'manual',
        headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const [name, ...value] = pair!.split('=');
        jar.set(name!.trim(), value.join('='));
      }
      return response;
    };
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const query = new URLSearchParams({
      client_id: CLIENT.client_id,
      response_type: 'code',
      scope: 'openid email api',
      redirect_uri: CLIENT.redirect_uri,
      resource: API_AUDIENCE,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'xyz',
    });
    let response = await send(`/auth?${query}`);
    let code: string | null = null;
    for (let step = 0; step < 10 && !code; step += 1) {
      const location = response.headers.get('location');
      if (!location) throw new Error(`no redirect at step ${step}: ${response.status} ${await response.text()}`);
      const target = new URL(location, this.issuer);
      if (target.origin + target.pathname === CLIENT.redirect_uri) {
        code = target.searchParams.get('code');
        if (!code) throw new Error(`no code: ${location}`);
        break;
      }
      if (target.pathname.startsWith('/interaction/')) {
        const page = await (await send(target.pathname)).text();
        const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1] ?? (page.includes('name="login"') ? 'login' : 'consent');
        const body = new URLSearchParams(prompt === 'login' ? { prompt, login: account, password: 'any' } : { prompt });
        response = await send(target.pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      } else {
        response = await send(target.pathname + target.search);
      }
    }
    const token = await fetch(new URL('/token', this.issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code!,
        redirect_uri: CLIENT.redirect_uri,
        client_id: CLIENT.client_id,
        client_secret: CLIENT.client_secret,
        code_verifier: verifier,
        resource: API_AUDIENCE,
      }),
    });
    const json = (await token.json()) as { access_token?: string; error?: string; error_description?: string };
    if (!json.access_token) throw new Error(`token endpoint: ${json.error} ${json.error_description}`);
    return json.access_token;
  }
}
