import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface TokenIssuer {
  issuer: string;
  /** Requests made for the discovery document and the key set. */
  fetches: { discovery: number; jwks: number };
  /** A signed token; claims override the defaults (iss, sub, aud, iat, exp in 5 minutes). */
  sign(claims: JWTPayload, options?: { kid?: string; key?: 'current' | 'unpublished' }): Promise<string>;
  /** Publishes a new signing key and signs with it from now on; the old key stays published. */
  rotate(): Promise<void>;
  /** Stops publishing every key but the current one. */
  retireOldKeys(): void;
  close(): Promise<void>;
}

async function newKey(counter: number): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `key-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/**
 * An identity provider on loopback that signs whatever a test asks: the discovery document and the
 * key set as OpenID Connect publishes them, for the failure cases a real provider never produces.
 */
export async function startTokenIssuer(): Promise<TokenIssuer> {
  let counter = 0;
  let keys: SigningKey[] = [await newKey(++counter)];
  const unpublished = await newKey(999);
  const fetches = { discovery: 0, jwks: 0 };
  let issuer = '';
  const server: Server = createServer((request, response) => {
    if (request.url === '/.well-known/openid-configuration') {
      fetches.discovery += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks`, id_token_signing_alg_values_supported: ['RS256'] }));
      return;
    }
    if (request.url === '/jwks') {
      fetches.jwks += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: keys.map((key) => key.publicJwk) }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    fetches,
    async sign(claims, options = {}) {
      const key = options.key === 'unpublished' ? unpublished : keys[keys.length - 1]!;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer, aud: 'cx-graph', iat: now, exp: now + 300, ...claims }).setProtectedHeader({ alg: 'RS256', kid: options.kid ?? key.kid, typ: 'JWT' }).sign(key.privateKey);
    },
    async rotate() {
      keys = [...keys, await newKey(++counter)];
    },
    retireOldKeys() {
      keys = keys.slice(-1);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
