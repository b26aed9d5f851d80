import type { InvitationStatus } from '../../generated/prisma/enums.js';

/** A set of invitation statuses with the SQL list it stands for, so code and SQL share one definition. */
export interface StatusSet {
  readonly values: readonly InvitationStatus[];
  /** `('SENT', 'DELIVERED', ...)`, for `status IN ${set.sql}`: built from the values, never from input. */
  readonly sql: string;
  has(status: string): boolean;
}

function statusSet(values: readonly InvitationStatus[]): StatusSet {
  for (const value of values) if (!/^[A-Z_]+$/.test(value)) throw new Error(`not a status: ${value}`);
  const members = new Set<string>(values);
  return { values, sql: `(${values.map((value) => `'${value}'`).join(', ')})`, has: (status) => members.has(status) };
}

/** Every status, in the order the lifecycle goes. */
export const INVITATION_STATUSES = [
  'SCHEDULED',
  'SKIPPED',
  'SENDING',
  'SENT',
  'DELIVERED',
  'OPENED',
  'STARTED',
  'COMPLETED',
  'REMINDED',
  'BOUNCED',
  'FAILED',
  'EXPIRED',
] as const satisfies readonly InvitationStatus[];

/** The respondent may still answer (and the link still works). */
export const ANSWERABLE = statusSet(['SENT', 'DELIVERED', 'OPENED', 'STARTED', 'REMINDED']);

/** The one reminder may still go out: answerable, and not reminded yet. */
export const REMINDABLE = statusSet(['SENT', 'DELIVERED', 'OPENED', 'STARTED']);

/** A reminder moves these to REMINDED (a started response keeps STARTED). */
export const MARKED_REMINDED = statusSet(['SENT', 'DELIVERED', 'OPENED']);

/** The first visit of the page moves these to OPENED. */
export const MARKED_OPENED = statusSet(['SENT', 'DELIVERED', 'REMINDED']);

/** The invitation reached (or was handed to) the customer: it counts against the contact-pressure cap. */
/** Sent but not (or not yet) with the customer: a sent invitation outside these was delivered. */
export const NOT_DELIVERED = statusSet(['SENDING', 'BOUNCED', 'FAILED']);
export const COUNTS_AGAINST_CAP = statusSet(['SENDING', 'SENT', 'DELIVERED', 'OPENED', 'STARTED', 'COMPLETED', 'REMINDED', 'EXPIRED']);
