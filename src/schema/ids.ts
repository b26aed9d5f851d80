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
