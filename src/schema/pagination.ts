import { ValidationError } from '../core/errors.js';

export const MAX_PAGE_SIZE = 100;

/**
 * Rejects page sizes above the maximum from the argument the client actually sent, rather than
 * silently trimming the page (a client asking for 500 would otherwise think it has everything).
 */
export function assertPageSize(args: { first?: number | null; last?: number | null }) {
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw new ValidationError([{ path: [name], message: `must be between 0 and ${MAX_PAGE_SIZE}, got ${value}` }]);
    }
  }
}
