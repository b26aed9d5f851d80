import { describe, expect, it } from 'vitest';
import { coalescingLoader } from './coalescing-loader.js';

/** A load whose batches finish when the test says so. */
function controlledLoad() {
  const batches: string[][] = [];
  const finishers: Array<(fail?: Error) => void> = [];
  const load = (keys: readonly string[]) =>
    new Promise<Array<string | Error>>((resolve, reject) => {
      batches.push([...keys]);
      finishers.push((fail) => (fail ? reject(fail) : resolve(keys.map((key) => (key === 'missing' ? new Error('no such key') : key.toUpperCase())))));
    });
  const settle = async (index: number, fail?: Error) => {
    // Let dispatches scheduled as microtasks run before finishing a batch.
    await new Promise((resolve) => setImmediate(resolve));
    finishers[index]!(fail);
  };
  return { batches, load, settle };
}

describe('coalescingLoader', () => {
  it('sends a lone key at once and gathers keys asked while all slots are busy', async () => {
    const { batches, load, settle } = controlledLoad();
    const loader = coalescingLoader(load, { maxInFlight: 1 });
    const first = loader.load('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([['a']]);
    const later = [loader.load('b'), loader.load('c'), loader.load('missing')];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toHaveLength(1);
    await settle(0);
    expect(await first).toBe('A');
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([['a'], ['b', 'c', 'missing']]);
    await settle(1);
    const results = await Promise.allSettled(later);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).message))).toEqual(['B', 'C', 'no such key']);
  });

  it('a failed batch rejects its keys only and frees its slot', async () => {
    const { batches, load, settle } = controlledLoad();
    const loader = coalescingLoader(load, { maxInFlight: 1 });
    const failing = loader.load('x');
    const queued = (await new Promise((resolve) => setImmediate(resolve)), loader.load('y'));
    await settle(0, new Error('connection lost'));
    await expect(failing).rejects.toThrow('connection lost');
    await settle(1);
    expect(await queued).toBe('Y');
    expect(batches).toEqual([['x'], ['y']]);
    expect(
      await (async () => {
        const again = loader.load('z');
        await settle(2);
        return again;
      })(),
    ).toBe('Z');
  });

  it('runs up to maxInFlight batches side by side', async () => {
    const { batches, load, settle } = controlledLoad();
    const loader = coalescingLoader(load, { maxInFlight: 2 });
    const a = loader.load('a');
    await new Promise((resolve) => setImmediate(resolve));
    const b = loader.load('b');
    await new Promise((resolve) => setImmediate(resolve));
    const c = loader.load('c');
    const d = loader.load('d');
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([['a'], ['b']]);
    await settle(1);
    await settle(2);
    await settle(0);
    expect(await Promise.all([a, b, c, d])).toEqual(['A', 'B', 'C', 'D']);
    expect(batches).toEqual([['a'], ['b'], ['c', 'd']]);
  });
});
