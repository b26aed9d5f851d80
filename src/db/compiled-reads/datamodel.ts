import { getDatamodel } from '../../generated/pothos-types.js';
import { GLOBAL_MODELS } from '../workspace-scope.js';

/** What the read compiler knows of one field: its kind, type and, for relations, how to join. */
export interface FieldInfo {
  name: string;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  isList: boolean;
  relationName?: string;
  relationFromFields?: string[];
}

export interface ModelInfo {
  name: string;
  fields: Map<string, FieldInfo>;
  /** Scalar and enum fields, in schema order: what `true` or an include selects. */
  scalars: FieldInfo[];
  /** Workspace-owned: every row read carries the workspace predicate. */
  tenant: boolean;
}

/** One column pair of a join: `target.<targetColumn> = source.<sourceColumn>`. */
export interface JoinPair {
  targetColumn: string;
  sourceColumn: string;
}

export interface RelationInfo {
  target: ModelInfo;
  toMany: boolean;
  pairs: JoinPair[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function load(): Map<string, ModelInfo> {
  const models = new Map<string, ModelInfo>();
  for (const [name, model] of Object.entries(getDatamodel().datamodel.models)) {
    const fields = new Map<string, FieldInfo>();
    for (const field of model.fields as unknown as FieldInfo[]) {
      if (!IDENTIFIER.test(field.name)) throw new Error(`Unexpected field name ${name}.${field.name}`);
      fields.set(field.name, field);
    }
    const scalars = [...fields.values()].filter((field) => field.kind !== 'object');
    models.set(name, { name, fields, scalars, tenant: !GLOBAL_MODELS.has(name) && (name === 'Workspace' || fields.has('workspaceId')) });
  }
  return models;
}

const MODELS = load();

export function modelInfo(name: string): ModelInfo | undefined {
  return MODELS.get(name);
}

/**
 * The referenced columns of a relation's foreign key. Every relation in the schema references the
 * target's id (a one-column key), or (workspaceId, id) for a workspace-scoped key; test/compiled-reads.spec.ts checks
 * this rule against prisma/schema.prisma, so a relation that breaks it fails there.
 */
export function referencedColumns(fromFields: string[]): string[] {
  if (fromFields.length === 1) return ['id'];
  return fromFields.map((field) => (field === 'workspaceId' ? 'workspaceId' : 'id'));
}

const relations = new Map<string, RelationInfo | null>();

/** How `model.field` joins its target, or null when the field is not a relation the compiler can join. */
export function relationInfo(model: ModelInfo, field: FieldInfo): RelationInfo | null {
  const key = `${model.name}.${field.name}`;
  const cached = relations.get(key);
  if (cached !== undefined) return cached;
  let result: RelationInfo | null = null;
  const target = MODELS.get(field.type);
  if (target && field.kind === 'object') {
    if (field.relationFromFields?.length) {
      const to = referencedColumns(field.relationFromFields);
      result = { target, toMany: false, pairs: field.relationFromFields.map((from, i) => ({ targetColumn: to[i]!, sourceColumn: from })) };
    } else {
      const back = [...target.fields.values()].find((other) => other.kind === 'object' && other.relationName === field.relationName && other.type === model.name && other.relationFromFields?.length);
      if (back) {
        const to = referencedColumns(back.relationFromFields!);
        result = { target, toMany: field.isList, pairs: back.relationFromFields!.map((from, i) => ({ targetColumn: from, sourceColumn: to[i]! })) };
      }
    }
  }
  relations.set(key, result);
  return result;
}
