/** Areas of the API a key can be granted. `admin` also manages keys, members and workspace settings. */
export const AREAS = ['customers', 'surveys', 'reviews', 'segments', 'metrics', 'events', 'follow-ups', 'responses', 'replies'] as const;
export type Area = (typeof AREAS)[number];
export type Access = 'read' | 'write';
/** Exporting everything held on one person (GDPR art. 15/20) is granted on its own, apart from reading. */
export const EXPORT_SCOPE = 'personal-data:export';
export type Scope = `${Area}:${Access}` | typeof EXPORT_SCOPE | 'admin';

/**
 * Narrow areas carved out of a wider one, so that a person can work follow-ups without editing
 * surveys: working follow-ups and improvement actions, recording answers (phone surveys), and
 * replying to reviews. The wider area's scope still grants them, as it did before they existed.
 */
export const PARENT_AREA: Partial<Record<Area, Area>> = { 'follow-ups': 'surveys', responses: 'surveys', replies: 'reviews' };

export const ALL_SCOPES: readonly Scope[] = [...AREAS.flatMap((area) => [`${area}:read`, `${area}:write`] as const), EXPORT_SCOPE, 'admin'];

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}

/** Whether granted scopes allow an access: admin allows all, write implies read, a parent area's scope its narrow areas. */
export function allows(granted: ReadonlySet<Scope>, access: Access | 'admin' | 'export', area?: Area): boolean {
  if (granted.has('admin')) return true;
  if (access === 'export') return granted.has(EXPORT_SCOPE);
  if (access === 'admin' || area === undefined) return false;
  const parent = PARENT_AREA[area];
  if (parent && allows(granted, access, parent)) return true;
  if (access === 'read') return granted.has(`${area}:read`) || granted.has(`${area}:write`);
  return granted.has(`${area}:write`);
}
