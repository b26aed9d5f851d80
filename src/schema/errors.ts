import {
  BulkImportRejectedError,
  ConflictError,
  domainCodeOf,
  IdempotencyKeyReusedError,
  InUseError,
  NotFoundError,
  PlatformFailedError,
  SelectiveInvitationRefusedError,
  UnknownContributionError,
  ValidationError,
  type FieldIssue,
  type RecordIssue,
} from '../core/errors.js';
import { builder } from './builder.js';

/** Domain errors exposed as GraphQL types. Every mutation returns these as typed results. */
export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'An expected failure, returned as data. `code` is stable; `message` is for people.',
  fields: (t) => ({
    message: t.exposeString('message', { nullable: false }),
    code: t.string({ nullable: false, description: 'The domain code, for example VALIDATION_FAILED or NOT_FOUND.', resolve: (error) => domainCodeOf(error) ?? 'ERROR' }),
  }),
});

const FieldIssueRef = builder.objectRef<FieldIssue>('FieldIssue').implement({
  description: 'One problem with one input field.',
  fields: (t) => ({
    path: t.exposeStringList('path', { nullable: false, description: 'The field, for example ["input", "email"].' }),
    message: t.exposeString('message', { nullable: false }),
  }),
});

const RecordIssueRef = builder.objectRef<RecordIssue>('RecordIssue').implement({
  description: 'One problem with one record of a bulk import.',
  fields: (t) => ({
    collection: t.exposeString('collection', { nullable: false, description: 'customers, orders or touchpoints.' }),
    index: t.exposeInt('index', { nullable: false, description: '0-based position of the record in its list (-1 for the batch itself).' }),
    line: t.exposeInt('line', { nullable: true, description: 'Line in the source file, for CSV imports.' }),
    field: t.exposeString('field', { nullable: false }),
    message: t.exposeString('message', { nullable: false }),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input was rejected; nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ issues: t.field({ type: [FieldIssueRef], nullable: false, resolve: (error) => error.issues }) }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'No object with this id exists in this workspace.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ entity: t.exposeString('entity', { nullable: false }) }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'Another object already holds a value that must be unique.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString('field', { nullable: false }) }),
});

builder.objectType(InUseError, {
  name: 'InUseError',
  description: 'The object is still referred to and cannot be deleted.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ entity: t.exposeString('entity', { nullable: false }) }),
});

builder.objectType(BulkImportRejectedError, {
  name: 'BulkImportRejectedError',
  description: 'At least one record was bad; nothing was written. Every bad record is listed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ issues: t.field({ type: [RecordIssueRef], nullable: false, resolve: (error) => error.issues }) }),
});

builder.objectType(UnknownContributionError, {
  name: 'UnknownContributionError',
  description: 'No plugin provides a platform, channel or model with this code.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ kind: t.exposeString('kind', { nullable: false }), contributionCode: t.exposeString('contributionCode', { nullable: false }) }),
});

builder.objectType(PlatformFailedError, {
  name: 'PlatformFailedError',
  description: 'The review platform refused or failed the call; the state is recorded (for a reply: FAILED with the reason).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    platform: t.exposeString('platform', { nullable: false }),
    kind: t.exposeString('kind', { nullable: false, description: 'auth, rate-limited, unavailable, malformed, not-found, rejected or redirect.' }),
  }),
});

builder.objectType(SelectiveInvitationRefusedError, {
  name: 'SelectiveInvitationRefusedError',
  description: 'The platform forbids inviting only selected (for example happy) customers. `alternative` is what it allows.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString('field', { nullable: false }), platform: t.exposeString('platform', { nullable: false }), alternative: t.exposeString('alternative', { nullable: false }) }),
});

builder.objectType(IdempotencyKeyReusedError, {
  name: 'IdempotencyKeyReusedError',
  description: 'The idempotency key was already used with a different input. Use a new key for a new request.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString('field', { nullable: false }) }),
});

/** The error types every write can return. */
export const WRITE_ERRORS = [ValidationError, NotFoundError, ConflictError, InUseError];
