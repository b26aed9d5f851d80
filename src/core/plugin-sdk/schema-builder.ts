/// <reference types="@pothos/core" preserve="true" />
/// <reference types="@pothos/plugin-scope-auth" preserve="true" />
import type { Area } from '../auth/scopes.js';

/**
 * What a plugin's resolvers may read from the request: who is calling and a request-scoped log.
 * The server's own context holds more (a workspace-scoped database client, runtimes); plugins do
 * not reach the database through GraphQL resolvers.
 */
export interface PluginRequestContext {
  requestId: string;
  viewer: {
    workspaceId: string;
    /** Granted scopes, as API keys and roles name them (customers:read, admin ...). */
    scopes: ReadonlySet<string>;
    /** Whether names, e-mail and other personal fields may be shown to this caller. */
    personalData: boolean;
  };
  log: { info(object: object, message?: string): void; warn(object: object, message?: string): void; error(object: object, message?: string): void };
}

/** The type parameters of the Pothos builder as plugins see it. */
export interface CxSchemaTypes {
  Context: PluginRequestContext;
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
