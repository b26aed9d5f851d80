import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';

/** A download link that is refused: not this server's or changed (403), or expired (410). */
export class SignedLinkError extends Error {
  constructor(
    readonly reason: 'invalid' | 'expired',
    message: string,
  ) {
    super(message);
  }
}

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest();

/** `<payload>.<signature>`, both base64url: the claims as JSON and their HMAC-SHA256. */
export function signClaims(secret: string, claims: { expiresAt: number }): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The claims of a link this server signed, in the shape `schema` describes, that has not expired. */
export function verifyClaimsOrThrow<T extends { expiresAt: number }>(secret: string, token: string, schema: z.ZodType<T>, now: Date): T {
  const invalid = () => new SignedLinkError('invalid', 'This link is not valid.');
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || !/^[\w-]+$/.test(payload) || !/^[\w-]+$/.test(signature)) throw invalid();
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const claims = schema.safeParse(parsed);
  if (!claims.success) throw invalid();
  if (claims.data.expiresAt <= now.getTime()) throw new SignedLinkError('expired', 'This link has expired: ask the API for a new one.');
  return claims.data;
}
