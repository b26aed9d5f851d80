/** Areas of the API a key can be granted. `admin` also manages keys and workspace settings. */
export const AREAS = ['customers', 'surveys', 'reviews', 'segments', 'metrics', 'events'] as const;
export type Area = (typeof AREAS)[number];
export type Access = 'read' | 'write';
/** Exporting everything held on one person (GDPR art. 15/20) is granted on its own, apart from reading. */
export const EXPORT_SCOPE = 'personal-data:export';
export type Scope = `${Area}:${Access}` | typeof EXPORT_SCOPE | 'admin';

export const ALL_SCOPES: readonly Scope[] = [
  ...AREAS.flatMap((area) => [`${area}:read`, `${area}:write`] as const),
  EXPORT_SCOPE,
  'admin',
];

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}

/** Whether granted scopes allow an access: admin allows all, write implies read. */
export function allows(granted: ReadonlySet<Scope>, access: Access | 'admin' | 'export', area?: Area): boolean {
  if (granted.has('admin')) return true;
  if (access === 'export') return granted.has(EXPORT_SCOPE);
  if (access === 'admin' || area === undefined) return false;
  if (access === 'read') return granted.has(`${area}:read`) || granted.has(`${area}:write`);
  return granted.has(`${area}:write`);
}
