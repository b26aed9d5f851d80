import { PothosValidationError } from '@pothos/core';
import { DomainError, ForbiddenError, UnauthenticatedError } from '../core/errors.js';

/** The extensions.code clients see for a known failure; null for anything else (masked). */
export function knownErrorCode(error: unknown): string | null {
  if (error instanceof UnauthenticatedError) return error.code;
  if (error instanceof ForbiddenError) return 'FORBIDDEN';
  if (error instanceof DomainError) return error.code;
  if (error instanceof PothosValidationError) return 'VALIDATION_FAILED';
  return null;
}
