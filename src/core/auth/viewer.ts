import { ROLE_GRANTS, type Role } from './roles.js';
import { allows, type Access, type Area, type Scope } from './scopes.js';

/** The person behind a viewer that signed in through the identity provider. */
export interface ViewerMember {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

/** Who is calling: a machine's API key or a member, the workspace, and what they may do. */
export interface Viewer {
  workspaceId: string;
  /** Set for API keys. */
  apiKeyId: string | null;
  /** Set for members signed in with a token. */
  member: ViewerMember | null;
  scopes: ReadonlySet<Scope>;
  /** Whether personal fields are shown (API keys: always; members: by role). */
  personalData: boolean;
}

export function viewerCan(viewer: Viewer, access: Access | 'admin' | 'export', area?: Area): boolean {
  return allows(viewer.scopes, access, area);
}

/** One rate-limit bucket per key and per member. */
export function viewerBucket(viewer: Viewer): string {
  return viewer.member ? `member:${viewer.member.id}` : (viewer.apiKeyId ?? viewer.workspaceId);
}

/** What the audit log and receipts record as the actor. */
export function actorOf(viewer: Viewer): { apiKeyId: string | null; memberId: string | null } {
  return { apiKeyId: viewer.apiKeyId, memberId: viewer.member?.id ?? null };
}

/** The name recorded for what the caller wrote (notes, replies): the member's name or e-mail; null for keys. */
export function actorName(viewer: Viewer): string | null {
  return viewer.member ? (viewer.member.name ?? viewer.member.email) : null;
}

export function apiKeyViewer(workspaceId: string, apiKeyId: string, scopes: Iterable<Scope>): Viewer {
  return { workspaceId, apiKeyId, member: null, scopes: new Set(scopes), personalData: true };
}

export function memberViewer(workspaceId: string, member: ViewerMember): Viewer {
  const grant = ROLE_GRANTS[member.role];
  return { workspaceId, apiKeyId: null, member, scopes: new Set(grant.scopes), personalData: grant.personalData };
}
