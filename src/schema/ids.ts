import { decodeGlobalID } from '@pothos/plugin-relay';
import { NotFoundError, ValidationError } from '../core/errors.js';

function decode(globalId: string): { typename: string; id: string } | null {
  try {
    return decodeGlobalID(globalId);
  } catch {
    return null;
  }
}

/** Global id of an object being acted on; a wrong or foreign id reads as not found. */
export function idOfOrThrow(globalId: string, typename: string): string {
  const decoded = decode(globalId);
  if (!decoded || decoded.typename !== typename) throw new NotFoundError(typename, globalId);
  return decoded.id;
}

/** Global id given in an input field; a malformed one is a validation error naming the field. */
export function inputIdOrThrow(globalId: string | null | undefined, typename: string, field: string): string | null | undefined {
  if (globalId === null || globalId === undefined) return globalId;
  const decoded = decode(globalId);
  if (!decoded || decoded.typename !== typename) {
    throw new ValidationError([{ path: ['input', field], message: `must be the id of a ${typename}` }]);
  }
  return decoded.id;
}

type IdInput = string | number | null | undefined;

/**
 * Replaces the global ids in an input's reference fields with row ids (`null` kept, absent kept
 * absent), e.g. `decodeInputIds(input, { customerId: 'Customer' })`.
 */
export function decodeInputIds<T extends Record<string, unknown>>(input: T, fields: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  for (const [field, typename] of Object.entries(fields)) {
    const value = input[field] as IdInput;
    if (value === undefined) continue;
    out[field] = inputIdOrThrow(value === null ? null : String(value), typename, field);
  }
  return out;
}
