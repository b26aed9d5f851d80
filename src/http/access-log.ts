import type { IncomingMessage } from 'node:http';

/** What a GraphQL request did, for its access-log line: the operation and who called (ids only). */
export interface OperationNote {
  operation: string | null;
  operationType: string | null;
  apiKeyId: string | null;
  memberId: string | null;
}

const notes = new WeakMap<object, OperationNote>();

/** Called by the GraphQL layer once the operation is known. */
export function noteOperation(req: object, note: OperationNote): void {
  notes.set(req, note);
}

/** The note for a request, if it was a GraphQL operation. */
export function operationNoteOf(req: IncomingMessage): OperationNote | undefined {
  return notes.get(req);
}
