import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type Compilable, type RawBuilder } from 'kysely';
import type { DB } from '../generated/kysely/database.js';
import { countChanged, type QueryOptions, type SqlConnection } from './sql-runner.js';

/**
 * The typed seam for SQL the Prisma graph does not serve. Kysely builds and type-checks the
 * statement against the row types generated from prisma/schema.prisma (prisma-kysely, in the same
 * `prisma generate`), compiles it to SQL with numbered parameters, and the one runner that serves
 * PGlite and PostgreSQL executes it, inside whatever session or transaction the caller holds. The
 * builder never opens a connection of its own (a compile-only dialect).
 */
export const db = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

export type Database = DB;

/** A built statement or a `sql` template, compiled to text and parameters. */
function compile(query: Compilable<unknown> | RawBuilder<unknown>) {
  return 'isRawBuilder' in query ? query.compile(db) : query.compile();
}

/**
 * Runs a built statement on a connection of the runner (a session or a transaction) and returns its
 * rows. A `sql` template (Kysely's, values always parameters) is accepted too, for what the builder
 * cannot say (DISTINCT ON with a correlated count, FILTER clauses).
 */
export async function run<Row>(conn: SqlConnection, query: Compilable<Row> | RawBuilder<Row>, options?: QueryOptions): Promise<Row[]> {
  const compiled = compile(query);
  return (await conn.query(compiled.sql, compiled.parameters as unknown[], options)) as Row[];
}

const PARAMETER = Symbol('statement parameter');
type Placeholder = { readonly [PARAMETER]: string };

/**
 * A statement with named parameters, compiled once: `build` writes it with Kysely's `sql` template
 * (or the builder), using `p.name` wherever a value goes; a name may appear any number of times.
 * Each call passes the values by name, in whatever order; the text never depends on them, so the
 * runner prepares it once per connection. For the hot paths' long statements (data-modifying CTEs
 * that use the same workspace, time or input in several places).
 */
export function preparedStatement<Params extends Record<string, unknown>, Row>(
  names: ReadonlyArray<keyof Params & string>,
  build: (p: { readonly [K in keyof Params]: Params[K] }) => Compilable<Row> | RawBuilder<Row>,
): (conn: SqlConnection, params: Params) => Promise<Row[]> {
  const placeholders = Object.fromEntries(names.map((name) => [name, { [PARAMETER]: name } satisfies Placeholder])) as unknown as { readonly [K in keyof Params]: Params[K] };
  const query = build(placeholders);
  const compiled = compile(query);
  const order = compiled.parameters.map((parameter) => {
    const name = (parameter as Placeholder | null)?.[PARAMETER];
    if (name === undefined) throw new Error('preparedStatement: every value must be a named parameter');
    return name;
  });
  return async (conn, params) =>
    (await conn.query(
      compiled.sql,
      order.map((name) => params[name]),
    )) as Row[];
}

/** Runs a built data-changing statement that returns a row per row it changed, and answers how many it changed (counted in the database). */
export async function runCounted(conn: SqlConnection, query: Compilable<unknown> | RawBuilder<unknown>): Promise<number> {
  const compiled = compile(query);
  return countChanged(conn, compiled.sql, compiled.parameters as unknown[]);
}
