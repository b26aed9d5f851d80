/**
 * Strings PostgreSQL cannot store or that no client means to send: a NUL character, or half of a
 * UTF-16 surrogate pair (a lone surrogate from a `\ud800` escape). Returns the path of the first
 * such string in a JSON value, or null.
 */
export function findUnstorableString(value: unknown, path: string[] = []): { path: string[]; problem: string } | null {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { path, problem: 'contains a NUL character' };
    if (!value.isWellFormed()) return { path, problem: 'contains an unpaired UTF-16 surrogate' };
    return null;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const found = findUnstorableString(value[index], [...path, String(index)]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findUnstorableString(key, [...path, key]) ?? findUnstorableString(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}
