import type { z } from 'zod';

/** Every expected failure the API reports as a typed result. One closed list of codes. */
export const DOMAIN_ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'CONFLICT',
  'IN_USE',
  'BULK_IMPORT_REJECTED',
  'UNKNOWN_CONTRIBUTION',
  'PLATFORM_FAILED',
  'SELECTIVE_INVITATION_REFUSED',
  'IDEMPOTENCY_KEY_REUSED',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
}

const CODES = new Set<string>(DOMAIN_ERROR_CODES);

/**
 * The domain code an error carries. Read from the value, not by `instanceof`: the errors plugin
 * hands resolvers error objects whose prototype chain may come from another copy of this module.
 */
export function domainCodeOf(error: unknown): DomainErrorCode | null {
  const code = error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && CODES.has(code) ? (code as DomainErrorCode) : null;
}

/**
 * An idempotency key was sent again with a different input (Stripe's rule): the first request's
 * result belongs to the first input, so the second is refused rather than taken as a repeat.
 */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor(readonly field: string) {
    super('This idempotency key was already used with a different input; use a new key for a new request.');
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** One problem with one input field; `path` names the field, e.g. ["input", "email"]. */
export interface FieldIssue {
  path: string[];
  message: string;
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly issues: FieldIssue[]) {
    super(`Invalid input: ${issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`);
    this.name = 'ValidationError';
  }

  static fromZod(error: z.ZodError, prefix: string[] = []): ValidationError {
    return new ValidationError(issuesFromZod(error.issues, prefix));
  }
}

export function issuesFromZod(issues: readonly z.core.$ZodIssue[], prefix: string[] = []): FieldIssue[] {
  return issues.map((issue) => ({
    path: [...prefix, ...issue.path.map((part) => String(part))],
    message: issue.message,
  }));
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} was not found`);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

export class InUseError extends DomainError {
  readonly code = 'IN_USE';
  constructor(
    readonly entity: string,
    message: string,
  ) {
    super(message);
    this.name = 'InUseError';
  }
}

/** One rejected record of a bulk import: its position (0-based), the field and why. */
export interface RecordIssue {
  collection: string;
  index: number;
  /** 1-based line in the source file, when the records came from a CSV file. */
  line?: number;
  field: string;
  message: string;
}

export class BulkImportRejectedError extends DomainError {
  readonly code = 'BULK_IMPORT_REJECTED';
  constructor(readonly issues: RecordIssue[]) {
    super(`Import rejected, nothing was written: ${issues.length} problem(s) in the records`);
    this.name = 'BulkImportRejectedError';
  }
}

export class UnknownContributionError extends DomainError {
  readonly code = 'UNKNOWN_CONTRIBUTION';
  constructor(
    readonly kind: string,
    readonly contributionCode: string,
  ) {
    super(`No ${kind} with code "${contributionCode}" is registered`);
    this.name = 'UnknownContributionError';
  }
}

/** A review platform refused or failed a call made for the client (publishing a reply, an invitation). */
export class PlatformFailedError extends DomainError {
  readonly code = 'PLATFORM_FAILED';
  constructor(
    readonly platform: string,
    /** auth, rate-limited, unavailable, malformed, not-found, rejected or redirect. */
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'PlatformFailedError';
  }
}

/**
 * The platform forbids inviting only selected customers (review gating). `alternative` says what
 * the platform does allow.
 */
export class SelectiveInvitationRefusedError extends DomainError {
  readonly code = 'SELECTIVE_INVITATION_REFUSED';
  constructor(
    readonly field: string,
    readonly platform: string,
    readonly alternative: string,
  ) {
    super(`${platform} does not allow inviting only selected customers (review gating). ${alternative}`);
    this.name = 'SelectiveInvitationRefusedError';
  }
}

/** Authentication failed: reported as a GraphQL error with HTTP status 401. */
export class UnauthenticatedError extends Error {
  /** UNAUTHENTICATED, or what exactly is wrong with a token (TOKEN_EXPIRED, TOKEN_AUDIENCE_MISMATCH ...). */
  readonly code: string;
  constructor(message: string, code = 'UNAUTHENTICATED') {
    super(message);
    this.code = code;
    this.name = 'UnauthenticatedError';
  }
}

/** The key is valid but lacks a scope: reported as a GraphQL error with code FORBIDDEN. */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}
