import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type PothosOutputFieldType, type SchemaTypes } from '@pothos/core';
import { PERSONAL_FIELDS } from '../personal-fields.js';

interface DatamodelField {
  name: string;
  kind: string;
  isRequired: boolean;
}
interface Datamodel {
  datamodel: { models: Record<string, { fields: DatamodelField[] }> };
}

function nonNull<Types extends SchemaTypes>(type: PothosOutputFieldType<Types>): PothosOutputFieldType<Types> {
  return { ...type, nullable: false };
}

/**
 * Makes a field non-null when the value always exists: a field that exposes a required column of
 * its Prisma model (ids, createdAt, statuses, scores, list columns). A field stays as declared when
 * its options say `nullable`, when it has its own auth scopes (a refused field resolves to null),
 * or when it is personal (withheld as null from roles without personal-data access).
 */
export class RequiredColumnsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    const options = fieldConfig.pothosOptions as { nullable?: unknown; authScopes?: unknown };
    const column = fieldConfig.extensions?.pothosExposedField;
    if (typeof column !== 'string' || options.nullable !== undefined || options.authScopes !== undefined) return fieldConfig;
    if (PERSONAL_FIELDS[fieldConfig.parentType]?.includes(fieldConfig.name)) return fieldConfig;
    const model = this.buildCache.getTypeConfig(fieldConfig.parentType).extensions?.pothosPrismaModel;
    if (typeof model !== 'string') return fieldConfig;
    const dmmf = (this.builder.options as { prisma?: { dmmf?: Datamodel } }).prisma?.dmmf;
    const field = dmmf?.datamodel.models[model]?.fields.find((candidate) => candidate.name === column);
    if (!field || field.kind === 'object' || !field.isRequired) return fieldConfig;
    return { ...fieldConfig, type: nonNull(fieldConfig.type) };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      requiredColumns: RequiredColumnsPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin('requiredColumns', RequiredColumnsPlugin);
