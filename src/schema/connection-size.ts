import { assertPageSize, MAX_PAGE_SIZE } from './pagination.js';

/** `maxSize` for every connection: validates the client's first/last, then allows up to 100. */
export function checkedMaxSize(args: { first?: number | null; last?: number | null }): number {
  assertPageSize(args);
  return MAX_PAGE_SIZE;
}
