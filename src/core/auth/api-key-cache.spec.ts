import { describe, expect, it } from 'vitest';
import { cachedKeyLookup, type KeyLookup } from './api-key.service.js';

type Row = { id: string; workspaceId: string; name: string; prefix: string; secretHash: string; scopes: string[]; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

function store(rows: Row[]) {
  let lookups = 0;
  const lookup: KeyLookup = {
    apiKey: {
      findUnique: (async ({ where }: { where: { prefix: string } }) => {
        lookups += 1;
        const found = rows.find((row) => row.prefix === where.prefix);
        return found ? { ...found } : null;
      }) as never,
      update: (async ({ where, data }: { where: { id: string }; data: Partial<Row> }) => {
        const row = rows.find((candidate) => candidate.id === where.id)!;
        Object.assign(row, data);
        return { ...row };
      }) as never,
    },
  };
  return { lookup, lookups: () => lookups };
}

const key = (id: string, workspaceId = 'w1'): Row => ({ id, workspaceId, name: id, prefix: `p-${id}`, secretHash: 'h', scopes: ['admin'], createdAt: new Date(0), lastUsedAt: null, revokedAt: null });

describe('cached API key lookup', () => {
  it('serves a found key from memory until the TTL passes, then looks again (a revocation elsewhere shows)', async () => {
    const rows = [key('a')];
    const db = store(rows);
    let now = 1_000;
    const cache = cachedKeyLookup(db.lookup, { ttlMs: 5_000, now: () => now });
    const find = () => cache.apiKey.findUnique({ where: { prefix: 'p-a' } });
    expect((await find())!.id).toBe('a');
    await find();
    expect(db.lookups()).toBe(1);
    rows[0]!.revokedAt = new Date(); // revoked by another instance
    now += 4_999;
    expect((await find())!.revokedAt).toBeNull();
    now += 1;
    expect((await find())!.revokedAt).not.toBeNull();
    expect(db.lookups()).toBe(2);
  });

  it('never caches an unknown prefix, and forgets a key revoked here or a deleted workspace at once', async () => {
    const rows = [key('a'), key('b'), key('c', 'w2')];
    const db = store(rows);
    const cache = cachedKeyLookup(db.lookup, { ttlMs: 60_000 });
    expect(await cache.apiKey.findUnique({ where: { prefix: 'p-x' } })).toBeNull();
    expect(await cache.apiKey.findUnique({ where: { prefix: 'p-x' } })).toBeNull();
    expect(db.lookups()).toBe(2);
    for (const prefix of ['p-a', 'p-b', 'p-c']) await cache.apiKey.findUnique({ where: { prefix } });
    cache.forget('a');
    cache.forgetWorkspace('w2');
    for (const prefix of ['p-a', 'p-b', 'p-c']) await cache.apiKey.findUnique({ where: { prefix } });
    expect(db.lookups()).toBe(2 + 3 + 2);
  });

  it('keeps the noted last use, and at most maxEntries keys (oldest out first)', async () => {
    const rows = [key('a'), key('b'), key('c')];
    const db = store(rows);
    const cache = cachedKeyLookup(db.lookup, { ttlMs: 60_000, maxEntries: 2 });
    await cache.apiKey.findUnique({ where: { prefix: 'p-a' } });
    const used = new Date('2026-11-30T12:00:00Z');
    await cache.apiKey.update({ where: { id: 'a' }, data: { lastUsedAt: used } });
    expect((await cache.apiKey.findUnique({ where: { prefix: 'p-a' } }))!.lastUsedAt).toEqual(used);
    await cache.apiKey.findUnique({ where: { prefix: 'p-b' } });
    await cache.apiKey.findUnique({ where: { prefix: 'p-c' } });
    const before = db.lookups();
    await cache.apiKey.findUnique({ where: { prefix: 'p-a' } });
    expect(db.lookups()).toBe(before + 1);
  });
});
