import type { Scope } from './scopes.js';

/** A member's role in a workspace, highest first. */
export const ROLES = ['OWNER', 'ADMIN', 'ANALYST', 'AGENT', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export interface RoleGrant {
  scopes: readonly Scope[];
  /** Whether names, e-mail, phone, open-text answers and review authors are shown (else null with FORBIDDEN). */
  personalData: boolean;
  description: string;
}

const READ_ALL: readonly Scope[] = ['customers:read', 'surveys:read', 'reviews:read', 'segments:read', 'metrics:read', 'events:read'];

/** What each role may do, as the scopes API keys use. The one place roles are defined. */
export const ROLE_GRANTS: Record<Role, RoleGrant> = {
  OWNER: { scopes: ['admin'], personalData: true, description: 'Everything, including making or removing owners.' },
  ADMIN: { scopes: ['admin'], personalData: true, description: 'Everything except making or removing owners: settings, keys, members, identity provider, erasure and export.' },
  ANALYST: { scopes: [...READ_ALL, 'segments:write'], personalData: true, description: 'Reads everything and manages segments.' },
  AGENT: {
    scopes: ['customers:read', 'surveys:read', 'reviews:read', 'segments:read', 'metrics:read', 'follow-ups:write', 'responses:write', 'replies:write'],
    personalData: true,
    description: 'Works follow-ups and improvement actions, replies to reviews and records phone surveys; sees customers.',
  },
  VIEWER: {
    // The event feed too, for live dashboards: its payloads and subjects are personal fields (withheld).
    scopes: ['customers:read', 'surveys:read', 'reviews:read', 'segments:read', 'metrics:read', 'events:read'],
    personalData: false,
    description: 'Reads metrics and anonymised data: personal fields are null with a FORBIDDEN error.',
  },
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Only an owner may make someone an owner, or change or remove an owner. */
export function mayManageRole(actor: Role, target: Role): boolean {
  if (target === 'OWNER') return actor === 'OWNER';
  return actor === 'OWNER' || actor === 'ADMIN';
}
