import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import './plugins/required-columns.js';
import { DateTimeResolver, EmailAddressResolver, JSONObjectResolver, JSONResolver, LocalDateResolver } from 'graphql-scalars';
import { GraphQLScalarType, Kind } from 'graphql';
import { ForbiddenError, ValidationError } from '../core/errors.js';
import { viewerCan } from '../core/auth/viewer.js';
import type { CxSchemaTypes } from '../core/plugin-sdk/schema-builder.js';
import type { RequestContext } from '../core/request-context.js';
import type PrismaTypes from '../generated/pothos-types.js';

/** The server's builder: the plugins' types plus the full request context and the Prisma graph. */
export interface CoreSchemaTypes extends Omit<CxSchemaTypes, 'Context'> {
  Context: RequestContext;
  PrismaTypes: PrismaTypes;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
}
import type { PrismaClient } from '../generated/prisma/client.js';
import { getDatamodel } from '../generated/pothos-types.js';
import { MAX_PAGE_SIZE } from './pagination.js';
import { nodeClient } from './compiled-reads.js';

/** The builder with its plugins and scalars. It defines no types: see schema/index.ts. */
export const builder = new SchemaBuilder<CoreSchemaTypes>({
  plugins: ['requiredColumns', ScopeAuthPlugin, ErrorsPlugin, ValidationPlugin, PrismaPlugin, RelayPlugin],
  scopeAuth: {
    authScopes: (ctx) => ({
      authenticated: true,
      admin: viewerCan(ctx.viewer, 'admin'),
      exportPersonalData: viewerCan(ctx.viewer, 'export'),
      read: (area) => viewerCan(ctx.viewer, 'read', area),
      write: (area) => viewerCan(ctx.viewer, 'write', area),
    }),
    unauthorizedError: (_parent, _ctx, info) => new ForbiddenError(`This API key may not access ${info.parentType.name}.${info.fieldName}`),
  },
  prisma: {
    // The per-request client scoped to the caller's workspace: Pothos' own loading goes through it,
    // with node lookups by id compiled and batched (src/schema/compiled-reads.ts).
    client: (ctx) => nodeClient(ctx) as unknown as PrismaClient,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    maxConnectionSize: MAX_PAGE_SIZE,
    defaultConnectionSize: 20,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    // A page's edges and their nodes always exist; only the connection itself may be refused.
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
    cursorType: 'String',
    nodeQueryOptions: { description: 'Fetches any object by its global id. Ids of other workspaces resolve to null, like missing ones.' },
    nodesQueryOptions: { description: 'Fetches objects by global ids, in order; unknown ids resolve to null.' },
  },
  errors: { defaultTypes: [], unsafelyHandleInputErrors: true },
  validation: {
    validationError: (failure) =>
      new ValidationError(
        failure.issues.map((issue) => ({
          path: (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part)),
          message: issue.message,
        })),
      ),
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('LocalDate', LocalDateResolver);
builder.addScalarType('JSON', JSONResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);
builder.addScalarType('EmailAddress', EmailAddressResolver);
builder.addScalarType(
  'Decimal',
  new GraphQLScalarType({
    name: 'Decimal',
    description: 'An exact decimal number as a string, for example "129.95". Inputs also accept numbers.',
    serialize: (value) => String(value),
    parseValue: (value) => {
      if (typeof value === 'number' || typeof value === 'string') return String(value);
      throw new TypeError('Decimal must be a string or number');
    },
    parseLiteral: (ast) => {
      if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return ast.value;
      throw new TypeError('Decimal must be a string or number');
    },
  }),
);

export type Builder = typeof builder;
export type SchemaTypes = PothosSchemaTypes.ExtendDefaultTypes<CoreSchemaTypes>;
/** For input types that share fields (create, update and upsert inputs). */
export type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<SchemaTypes, 'InputObject'>;
