import { describe, expect, it } from 'vitest';
import { allows, type Scope } from './scopes.js';

describe('allows', () => {
  it.each<[Scope[], 'read' | 'write' | 'admin', 'customers' | undefined, boolean]>([
    [['customers:read'], 'read', 'customers', true],
    [['customers:read'], 'write', 'customers', false],
    [['customers:write'], 'read', 'customers', true],
    [['customers:write'], 'write', 'customers', true],
    [['surveys:write'], 'read', 'customers', false],
    [['admin'], 'write', 'customers', true],
    [['admin'], 'admin', undefined, true],
    [['customers:write'], 'admin', undefined, false],
    [[], 'read', 'customers', false],
  ])('%j %s %s -> %s', (granted, access, area, expected) => {
    expect(allows(new Set(granted), access, area)).toBe(expected);
  });
});
