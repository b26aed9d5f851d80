import { describe, expect, it } from 'vitest';
import { scopeArgs, TenancyViolation } from './workspace-scope.js';

const W = 'ws-1';

describe('scopeArgs', () => {
  it.each([
    ['Customer', 'findMany', { where: { city: 'Delft' } }, { where: { city: 'Delft', workspaceId: W } }],
    ['Customer', 'findMany', {}, { where: { workspaceId: W } }],
    ['Customer', 'findMany', { where: { workspaceId: 'other' } }, { where: { workspaceId: W } }],
    ['Order', 'count', { where: { id: 'o' } }, { where: { id: 'o', workspaceId: W } }],
    ['Order', 'update', { where: { id: 'o' }, data: { channel: 'x' } }, { where: { id: 'o', workspaceId: W }, data: { channel: 'x' } }],
    ['Touchpoint', 'deleteMany', { where: {} }, { where: { workspaceId: W } }],
    ['Customer', 'create', { data: { lastName: 'A', workspaceId: 'other' } }, { data: { lastName: 'A', workspaceId: W } }],
    ['Customer', 'createMany', { data: [{ lastName: 'A' }] }, { data: [{ lastName: 'A', workspaceId: W }] }],
    [
      'Customer',
      'upsert',
      { where: { workspaceId_externalId: { workspaceId: 'x', externalId: 'e' } }, create: { externalId: 'e' }, update: {} },
      { where: { workspaceId_externalId: { workspaceId: W, externalId: 'e' }, workspaceId: W }, create: { externalId: 'e', workspaceId: W }, update: {} },
    ],
    ['Workspace', 'findUnique', { where: { id: 'other' } }, { where: { id: W } }],
    ['PluginContribution', 'findMany', { where: {} }, { where: {} }],
  ])('%s.%s %j', (model, operation, args, expected) => {
    expect(scopeArgs(model, operation, args, W)).toEqual(expected);
  });

  it.each([
    ['Workspace', 'findMany'],
    ['Workspace', 'delete'],
    ['Customer', 'someFutureOperation'],
  ])('refuses %s.%s', (model, operation) => {
    expect(() => scopeArgs(model, operation, {}, W)).toThrow(TenancyViolation);
  });
});
