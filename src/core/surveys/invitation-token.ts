import { randomBytes, randomInt } from 'node:crypto';

/** 192 random bits, URL-safe: the only credential a respondent needs. */
export function newInvitationToken(): string {
  return randomBytes(24).toString('base64url');
}

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** A/B assignment: variant B (first question embedded in the message) for `percentB` percent. */
export function pickVariant(percentB: number): 'A' | 'B' {
  return percentB > 0 && randomInt(100) < percentB ? 'B' : 'A';
}
