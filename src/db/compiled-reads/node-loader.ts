import DataLoader from 'dataloader';
import { isDataException } from '../database-errors.js';
import { run } from '../kysely.js';
import type { SqlRunner } from '../sql-runner.js';
import { compileFindMany, Unsupported } from './compile.js';
import { modelInfo } from './datamodel.js';
import { shapeRow } from './result.js';

type Args = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type FindUnique = (args: Args) => Promise<unknown>;

/**
 * A workspace-scoped Prisma client whose `findUnique({ where: { id }, select })` (what `node(id)`
 * and `nodes(ids)` load with) is answered by compiled statements, batched per request with
 * dataloader: every id of one model and one selection shape in the same tick becomes ONE
 * `WHERE id = ANY($ids)` statement. Everything else, and any lookup the compiler does not cover,
 * goes to the scoped client unchanged.
 */
export function nodeLoadingClient<Client extends object>(runner: SqlRunner, workspaceId: string, scoped: Client): Client {
  const delegates = new Map<string | symbol, unknown>();
  return new Proxy(scoped, {
    get(target, property) {
      const original = Reflect.get(target, property) as unknown;
      if (typeof original === 'function') return (original as (...args: unknown[]) => unknown).bind(target);
      if (typeof property !== 'string' || !original || typeof original !== 'object') return original;
      const model = property[0]!.toUpperCase() + property.slice(1);
      if (!modelInfo(model)?.fields.has('id')) return original;
      let wrapped = delegates.get(property);
      if (!wrapped) {
        wrapped = wrapDelegate(runner, workspaceId, model, original as { findUnique: FindUnique });
        delegates.set(property, wrapped);
      }
      return wrapped;
    },
  });
}

function wrapDelegate(runner: SqlRunner, workspaceId: string, model: string, delegate: { findUnique: FindUnique }): unknown {
  // One loader per selection shape; null for a shape outside the compiled subset (checked once).
  const loaders = new Map<string, DataLoader<string, unknown> | null>();
  const fallback: FindUnique = (args) => delegate.findUnique(args);
  const loaderFor = (shape: Args): DataLoader<string, unknown> | null => {
    const key = JSON.stringify(shape);
    let loader = loaders.get(key);
    if (loader === undefined) {
      try {
        compileFindMany(model, { ...shape, where: { id: { in: [] } } }, workspaceId);
      } catch (error) {
        if (!(error instanceof Unsupported)) throw error;
        loaders.set(key, null);
        return null;
      }
      const select = shape.select ? { ...(shape.select as Args), id: true } : undefined;
      loader = new DataLoader<string, unknown>(
        async (ids) => {
          const byId = new Map<string, unknown>();
          try {
            const compiled = compileFindMany(model, { ...shape, ...(select ? { select } : {}), where: { id: { in: [...ids] } } }, workspaceId);
            const rows = await runner.session((conn) => run(conn, compiled.query));
            for (const row of rows) byId.set(row.o.id as string, shapeRow(row.o, compiled.shape));
          } catch (error) {
            // Input the database rejects fails the whole batch: let Prisma answer each id on its own,
            // one after the other (Prisma would batch concurrent lookups into one failing query).
            if (!isDataException(error)) throw error;
            const results: unknown[] = [];
            for (const id of ids) results.push(await fallback({ ...shape, where: { id } }).catch((reason: unknown) => (reason instanceof Error ? reason : new Error(String(reason)))));
            return results;
          }
          return ids.map((id) => byId.get(id) ?? null);
        },
        // Batching only: a long-lived context (a subscription) must never see a cached row.
        { cache: false },
      );
      loaders.set(key, loader);
    }
    return loader;
  };
  const findUnique: FindUnique = (args) => {
    const { where, ...shape } = args;
    const id = (where as Args | undefined)?.id;
    // Every id column is a uuid: anything else is Prisma's to refuse, on its own, never in a batch.
    if (typeof id !== 'string' || !UUID.test(id) || Object.keys(where as Args).length !== 1 || 'rejectOnNotFound' in shape) return fallback(args);
    // Arguments outside the compiled subset go to Prisma, not into a batch.
    const loader = loaderFor(shape);
    return loader ? loader.load(id) : fallback(args);
  };
  return new Proxy(delegate, {
    get(target, property) {
      if (property === 'findUnique') return findUnique;
      const original = Reflect.get(target, property) as unknown;
      return typeof original === 'function' ? (original as (...args: unknown[]) => unknown).bind(target) : original;
    },
  });
}
