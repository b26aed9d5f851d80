import { randomUUID } from 'node:crypto';

/** The caller's X-Request-Id, cleaned (word characters, `.`, `:`, `-`; at most 100), or a new UUID. */
export function requestIdFrom(header: string | null | undefined): string {
  return (typeof header === 'string' ? header.replace(/[^\w.:-]/g, '').slice(0, 100) : '') || randomUUID();
}
