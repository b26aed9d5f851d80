import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { defineConfig } from 'prisma/config';

type AdapterFactory = Awaited<ReturnType<Extract<Parameters<typeof defineConfig>[0], { engine: 'js' }>['adapter']>>;

// Prisma's CLI runs offline on the WebAssembly engine against a scratch PGlite directory.
// The server applies migrations itself (src/db/migrate.ts); this config is for `generate`
// and for writing new migrations with `prisma migrate diff`.
process.env.DATABASE_URL ??= 'postgresql://localhost/unused';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  async adapter() {
    // The adapter bundles its own copy of Prisma's adapter types; the runtime contract is the same.
    const adapter: unknown = new PrismaPGlite(new PGlite(process.env.CX_PRISMA_CLI_DATA_DIR ?? 'memory://'));
    return adapter as AdapterFactory;
  },
});
