import { sql, type RawBuilder } from 'kysely';
import { preparedStatement } from '../../db/kysely.js';
import type { DB } from '../../generated/kysely/database.js';

/**
 * The bulk import's statements: for each collection, the two that write a batch of records as
 * upserts keyed by (workspaceId, externalId), an INSERT for new rows and an UPDATE for existing
 * ones, both reading the records as one jsonb parameter. The UPDATE touches only rows whose values
 * differ. Built with the typed seam from a column list (names quoted by Kysely, JSON keys as
 * literals checked here), compiled once; values were validated and normalised before they get here.
 */
export type ColumnKind = 'text' | 'boolean' | 'timestamptz' | 'textArray' | 'jsonb' | 'numeric' | { enum: string };

type Table = keyof DB & string;

export interface ColumnSpec {
  column: string;
  /** Key in the record; defaults to the column name. */
  key?: string;
  kind: ColumnKind;
  /** SQL used on insert when the record leaves the field out (a constant expression). */
  insertDefault?: string;
  /** Reference resolved by external id: the SQL returns the referenced id. */
  reference?: { table: Table };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function key(spec: ColumnSpec): RawBuilder<string> {
  const name = spec.key ?? spec.column;
  if (!NAME.test(name)) throw new Error(`unsafe key ${name}`);
  return sql.lit(name);
}

function column(spec: ColumnSpec, alias?: string) {
  if (!NAME.test(spec.column)) throw new Error(`unsafe identifier ${spec.column}`);
  return sql.ref(alias ? `${alias}.${spec.column}` : spec.column);
}

type Params = { workspaceId: string; records: string; insertedIds: string };

function valueExpr(spec: ColumnSpec, workspaceId: unknown): RawBuilder<unknown> {
  const field = key(spec);
  if (spec.reference) return sql`(SELECT r.id FROM ${sql.table(spec.reference.table)} r WHERE r."workspaceId" = ${workspaceId}::uuid AND r."externalId" = d.doc->>${field})`;
  const kind = spec.kind;
  if (typeof kind === 'object') return sql`(d.doc->>${field})::${sql.id(kind.enum)}`;
  switch (kind) {
    case 'text':
      return sql`(d.doc->>${field})`;
    case 'boolean':
      return sql`(d.doc->>${field})::boolean`;
    case 'timestamptz':
      return sql`(d.doc->>${field})::timestamptz`;
    case 'numeric':
      return sql`(d.doc->>${field})::numeric`;
    case 'jsonb':
      return sql`(d.doc->${field})`;
    case 'textArray':
      return sql`CASE WHEN jsonb_typeof(d.doc->${field}) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(d.doc->${field})) END`;
  }
}

/** The INSERT (returns the external ids it created) and the UPDATE (returns a row per row it changed) of one collection. */
export function upsertStatements(table: Table, columns: ColumnSpec[]) {
  const names = sql.join(columns.map((spec) => column(spec)));
  const insert = preparedStatement<Omit<Params, 'insertedIds'>, { externalId: string }>(['workspaceId', 'records'], (p) => {
    const values = columns.map((spec) => (spec.insertDefault ? sql`COALESCE(${valueExpr(spec, p.workspaceId)}, ${sql.raw(spec.insertDefault)})` : valueExpr(spec, p.workspaceId)));
    return sql`
      INSERT INTO ${sql.table(table)} ("workspaceId", "externalId", ${names}, "updatedAt")
      SELECT ${p.workspaceId}::uuid, d.doc->>'externalId', ${sql.join(values)}, now()
        FROM jsonb_array_elements(${p.records}::jsonb) AS d(doc)
      ON CONFLICT ("workspaceId", "externalId") DO NOTHING
      RETURNING "externalId"`;
  });
  const update = preparedStatement<Params, { n: number }>(['workspaceId', 'records', 'insertedIds'], (p) => {
    const newValues = columns.map((spec) => sql`CASE WHEN d.doc ? ${key(spec)} THEN ${valueExpr(spec, p.workspaceId)} ELSE ${column(spec, 't')} END`);
    const sets = columns.map((spec, index) => sql`${column(spec)} = ${newValues[index]}`);
    return sql`
      WITH changed AS (
        UPDATE ${sql.table(table)} AS t SET ${sql.join(sets)}, "updatedAt" = now()
          FROM jsonb_array_elements(${p.records}::jsonb) AS d(doc)
         WHERE t."workspaceId" = ${p.workspaceId}::uuid
           AND t."externalId" = d.doc->>'externalId'
           AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(${p.insertedIds}::jsonb) AS n(id) WHERE n.id = d.doc->>'externalId')
           -- Only rows whose values change: a record sent again as stored is left alone (and counted as unchanged).
           AND (${sql.join(newValues)}) IS DISTINCT FROM (${sql.join(columns.map((spec) => column(spec, 't')))})
        RETURNING 1)
      SELECT count(*)::int AS n FROM changed`;
  });
  return { insert, update };
}
