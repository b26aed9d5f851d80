import { allows, type Access, type Area, type Scope } from './scopes.js';

/** Who is calling: the key, its workspace and what it may do. */
export interface Viewer {
  workspaceId: string;
  apiKeyId: string;
  scopes: ReadonlySet<Scope>;
}

export function viewerCan(viewer: Viewer, access: Access | 'admin' | 'export', area?: Area): boolean {
  return allows(viewer.scopes, access, area);
}
