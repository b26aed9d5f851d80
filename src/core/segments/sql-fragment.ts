import type { Sql } from '../../generated/prisma/internal/prismaNamespace.js';
import type { SqlParams } from '../metrics/queries/sql-params.js';

/** Renders a plugin's `sql` fragment into a statement being built, binding its values as parameters. */
export function renderSql(fragment: Sql, params: SqlParams): string {
  return fragment.strings.reduce((text, part, index) => text + part + (index < fragment.values.length ? params.add(fragment.values[index]) : ''), '');
}
