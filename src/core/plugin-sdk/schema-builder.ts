import type PrismaTypes from '../../generated/pothos-types.js';
import type { Area } from '../auth/scopes.js';
import type { RequestContext } from '../request-context.js';

/** The type parameters of cx-graph's Pothos builder, shared with plugins that extend the schema. */
export interface CxSchemaTypes {
  Context: RequestContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: { authenticated: boolean; admin: boolean; exportPersonalData: boolean; read: Area; write: Area };
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    /** A calendar day, YYYY-MM-DD. */
    LocalDate: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
    JSONObject: { Input: Record<string, unknown>; Output: unknown };
    EmailAddress: { Input: string; Output: string };
    Decimal: { Input: string; Output: string | { toString(): string } };
    ID: { Input: string; Output: string | number };
  };
}

/** The schema builder handed to `registerSchema(builder)`. */
export type CxSchemaBuilder = PothosSchemaTypes.SchemaBuilder<PothosSchemaTypes.ExtendDefaultTypes<CxSchemaTypes>>;
