/**
 * Builds the two statements that write a batch of records as upserts keyed by
 * (workspaceId, externalId): an INSERT for new rows and an UPDATE for existing ones, both reading
 * the records as one jsonb parameter. The UPDATE touches only rows whose values differ. Values were validated and normalised before they get here.
 */
export type ColumnKind = 'text' | 'boolean' | 'timestamptz' | 'textArray' | 'jsonb' | 'numeric' | { enum: string };

export interface ColumnSpec {
  column: string;
  /** Key in the record; defaults to the column name. */
  key?: string;
  kind: ColumnKind;
  /** SQL used on insert when the record leaves the field out. */
  insertDefault?: string;
  /** Reference resolved by external id: the SQL returns the referenced id. */
  reference?: { table: string };
}

function ident(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`unsafe identifier ${name}`);
  return `"${name}"`;
}

function literal(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`unsafe key ${name}`);
  return `'${name}'`;
}

function valueExpr(spec: ColumnSpec): string {
  const key = literal(spec.key ?? spec.column);
  if (spec.reference) {
    return `(SELECT r.id FROM ${ident(spec.reference.table)} r WHERE r."workspaceId" = $1::uuid AND r."externalId" = d.doc->>${key})`;
  }
  const kind = spec.kind;
  if (typeof kind === 'object') return `(d.doc->>${key})::${ident(kind.enum)}`;
  switch (kind) {
    case 'text':
      return `(d.doc->>${key})`;
    case 'boolean':
      return `(d.doc->>${key})::boolean`;
    case 'timestamptz':
      return `(d.doc->>${key})::timestamptz`;
    case 'numeric':
      return `(d.doc->>${key})::numeric`;
    case 'jsonb':
      return `(d.doc->${key})`;
    case 'textArray':
      return `CASE WHEN jsonb_typeof(d.doc->${key}) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(d.doc->${key})) END`;
  }
}

export function buildUpsertSql(table: string, columns: ColumnSpec[]): { insert: string; update: string } {
  const names = columns.map((spec) => ident(spec.column)).join(', ');
  const inserts = columns.map((spec) => (spec.insertDefault ? `COALESCE(${valueExpr(spec)}, ${spec.insertDefault})` : valueExpr(spec))).join(',\n       ');
  const newValues = columns.map((spec) => `CASE WHEN d.doc ? ${literal(spec.key ?? spec.column)} THEN ${valueExpr(spec)} ELSE t.${ident(spec.column)} END`);
  const sets = columns.map((spec, index) => `${ident(spec.column)} = ${newValues[index]}`).join(',\n    ');
  const insert = `INSERT INTO ${ident(table)} ("workspaceId", "externalId", ${names}, "updatedAt")
SELECT $1::uuid, d.doc->>'externalId',
       ${inserts},
       now()
  FROM jsonb_array_elements($2::jsonb) AS d(doc)
ON CONFLICT ("workspaceId", "externalId") DO NOTHING
RETURNING "externalId"`;
  const update = `UPDATE ${ident(table)} AS t SET
    ${sets},
    "updatedAt" = now()
  FROM jsonb_array_elements($2::jsonb) AS d(doc)
 WHERE t."workspaceId" = $1::uuid
   AND t."externalId" = d.doc->>'externalId'
   AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text($3::jsonb) AS n(id) WHERE n.id = d.doc->>'externalId')
   -- Only rows whose values change: a record sent again as stored is left alone (and counted as unchanged).
   AND (${newValues.join(',\n        ')}) IS DISTINCT FROM (${columns.map((spec) => `t.${ident(spec.column)}`).join(', ')})
RETURNING 1`;
  return { insert, update };
}
