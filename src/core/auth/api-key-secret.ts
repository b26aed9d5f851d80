import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY_PREFIX = 'cxk';

export interface GeneratedKey {
  /** The full key, shown to its owner once. */
  plaintext: string;
  /** Public lookup part, stored and indexed. */
  prefix: string;
  /** SHA-256 of the full key; a 256-bit random secret needs no slow hash. */
  secretHash: string;
}

export function hashKey(plaintext: string): string {
  return createHash('sha256').update(plaintext).digest('hex');
}

/** `cxk_<12 char prefix>_<43 char secret>`: 72 bits of prefix, 256 bits of secret. */
export function generateKey(): GeneratedKey {
  const prefix = randomBytes(9).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  const plaintext = `${KEY_PREFIX}_${prefix}_${secret}`;
  return { plaintext, prefix, secretHash: hashKey(plaintext) };
}

/** Splits a presented key; null when it does not have the key's shape. */
export function parseKey(presented: string): { prefix: string } | null {
  const match = /^cxk_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/.exec(presented);
  return match?.[1] ? { prefix: match[1] } : null;
}

export function keyMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashKey(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
