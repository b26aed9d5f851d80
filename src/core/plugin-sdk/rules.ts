import type { Expression } from 'kysely';
import { z } from 'zod';
import type { SegmentationExpressionBuilder, SegmentationTables, SegmentCondition } from './segmentation-tables.js';

/**
 * The shared rule engine of the attribute models (demographic, geographic, technographic,
 * psychographic): rules over customer fields, combined in ALL/ANY groups, compiled to one SQL
 * condition with bound parameters. Each model brings its own vocabulary of fields.
 */
export type FieldType = 'text' | 'number' | 'date' | 'list';

export interface VocabularyField {
  /** The value, over the customer row: `customerColumn('country')`, `customerAttribute('lifestyle')` or any expression of the builder. */
  column: (eb: SegmentationExpressionBuilder) => Expression<unknown>;
  type: FieldType;
  description: string;
}

export type Vocabulary = Record<string, VocabularyField>;

export interface Rule {
  field: string;
  op: 'equals' | 'in' | 'range' | 'contains' | 'exists';
  value?: string | number;
  values?: Array<string | number>;
  min?: string | number;
  max?: string | number;
  /** Inverts the rule: not equal, not in, outside the range, does not contain, missing. */
  not?: boolean;
}

export interface RuleGroup {
  match: 'ALL' | 'ANY';
  rules: Array<Rule | RuleGroup>;
}

const scalar = z.union([z.string().max(200), z.number()]);

/** The zod schema of a rule group whose fields come from `vocabulary`. */
export function ruleGroupSchema(vocabulary: Vocabulary): z.ZodType<RuleGroup> {
  const fields = Object.keys(vocabulary) as [string, ...string[]];
  const rule = z
    .object({
      field: z.enum(fields),
      op: z.enum(['equals', 'in', 'range', 'contains', 'exists']),
      value: scalar.optional(),
      values: z.array(scalar).min(1).max(500).optional(),
      min: scalar.optional(),
      max: scalar.optional(),
      not: z.boolean().optional(),
    })
    .strict()
    .superRefine((r, ctx) => {
      if ((r.op === 'equals' || r.op === 'contains') && r.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `is required for ${r.op}` });
      if (r.op === 'in' && !r.values) ctx.addIssue({ code: 'custom', path: ['values'], message: 'is required for in' });
      if (r.op === 'range' && r.min === undefined && r.max === undefined) ctx.addIssue({ code: 'custom', path: ['min'], message: 'give min, max or both' });
      const type = vocabulary[r.field]?.type;
      if (r.op === 'range' && type === 'list') ctx.addIssue({ code: 'custom', path: ['op'], message: `${r.field} is a list: use contains or exists` });
    });
  const group: z.ZodType<RuleGroup> = z.lazy(() =>
    z
      .object({
        match: z.enum(['ALL', 'ANY']),
        rules: z
          .array(z.union([rule, group]))
          .min(1)
          .max(50),
      })
      .strict(),
  ) as z.ZodType<RuleGroup>;
  return group;
}

const isGroup = (entry: Rule | RuleGroup): entry is RuleGroup => 'match' in entry;

type CustomerColumn = keyof SegmentationTables['customer'];

/** A vocabulary column: one column of the customer row. */
export const customerColumn =
  (column: CustomerColumn) =>
  (eb: SegmentationExpressionBuilder): Expression<unknown> =>
    eb.ref(`customer.${column}`);

/** A vocabulary column: one key of the customer's free-form attributes, as text. */
export const customerAttribute =
  (key: string) =>
  (eb: SegmentationExpressionBuilder): Expression<unknown> =>
    eb.ref('customer.attributes', '->>').key(key as never);

function typed(eb: SegmentationExpressionBuilder, value: string | number, type: FieldType): Expression<unknown> {
  if (type === 'number') return eb.cast(eb.val(Number(value)), 'numeric');
  if (type === 'date') return eb.cast(eb.val(String(value)), 'timestamptz');
  return eb.val(String(value));
}

function ruleCondition(eb: SegmentationExpressionBuilder, rule: Rule, vocabulary: Vocabulary): SegmentCondition {
  const field = vocabulary[rule.field]!;
  const raw = field.column(eb);
  const column: Expression<any> = field.type === 'number' ? eb.cast(raw, 'numeric') : field.type === 'date' ? eb.cast(raw, 'timestamptz') : raw;
  let condition: SegmentCondition;
  switch (rule.op) {
    case 'equals':
      condition = field.type === 'list' ? eb(eb.val(String(rule.value)), '=', eb.fn.any<string>(column as Expression<string[]>)) : eb(column, '=', typed(eb, rule.value!, field.type));
      break;
    case 'in':
      condition =
        field.type === 'list'
          ? eb(column, '&&', eb.val(rule.values!.map(String)))
          : eb(
              column,
              'in',
              rule.values!.map((value) => typed(eb, value, field.type)),
            );
      break;
    case 'range': {
      const parts: SegmentCondition[] = [];
      if (rule.min !== undefined) parts.push(eb(column, '>=', typed(eb, rule.min, field.type)));
      if (rule.max !== undefined) parts.push(eb(column, '<=', typed(eb, rule.max, field.type)));
      condition = eb.and(parts);
      break;
    }
    case 'contains': {
      const needle = `%${String(rule.value).replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      condition = field.type === 'list' ? eb(eb.val(String(rule.value)), '=', eb.fn.any<string>(column as Expression<string[]>)) : eb(eb.cast(column, 'text'), 'ilike', needle);
      break;
    }
    case 'exists':
      condition = field.type === 'list' ? eb(eb.fn('cardinality', [column]), '>', 0) : eb(column, 'is not', null);
      break;
  }
  // A rule on a missing value is false, and so is its negation: "not in NL" does not match customers without a country.
  return rule.not ? (rule.op === 'exists' ? eb.not(condition) : eb.and([eb(column, 'is not', null), eb.not(condition)])) : condition;
}

/** The condition of a rule group over the customer row, built with the segmentation builder. */
export function ruleGroupCondition(eb: SegmentationExpressionBuilder, group: RuleGroup, vocabulary: Vocabulary): SegmentCondition {
  const parts = group.rules.map((entry) => (isGroup(entry) ? ruleGroupCondition(eb, entry, vocabulary) : ruleCondition(eb, entry, vocabulary)));
  return group.match === 'ALL' ? eb.and(parts) : eb.or(parts);
}

/** The rules in words, for explanations: "country equals NL and (city in Utrecht, Zeist)". */
export function describeRuleGroup(group: RuleGroup): string {
  const words = group.rules.map((entry) => {
    if (isGroup(entry)) return `(${describeRuleGroup(entry)})`;
    const not = entry.not ? 'not ' : '';
    switch (entry.op) {
      case 'equals':
        return `${entry.field} ${not}equals ${entry.value}`;
      case 'in':
        return `${entry.field} ${not}in ${entry.values!.join(', ')}`;
      case 'range':
        return `${entry.field} ${not}between ${entry.min ?? '-'} and ${entry.max ?? '-'}`;
      case 'contains':
        return `${entry.field} ${not}contains ${entry.value}`;
      case 'exists':
        return `${entry.field} ${entry.not ? 'is missing' : 'is known'}`;
    }
  });
  return words.join(group.match === 'ALL' ? ' and ' : ' or ');
}

/** A segmentation model over customer attributes: the rule engine with a vocabulary. */
export function ruleModel(options: { code: string; description: string; vocabulary: Vocabulary }) {
  const schema = z.object({ rules: ruleGroupSchema(options.vocabulary) }).strict();
  return {
    code: options.code,
    description: `${options.description} Fields: ${Object.entries(options.vocabulary)
      .map(([name, field]) => `${name} (${field.description})`)
      .join('; ')}.`,
    settingsSchema: schema,
    capabilities: ['explain'] as const,
    membership: (parameters: z.output<typeof schema>, { eb }: { eb: SegmentationExpressionBuilder }) => ruleGroupCondition(eb, parameters.rules, options.vocabulary),
    explain: (parameters: z.output<typeof schema>) => [describeRuleGroup(parameters.rules)],
  };
}
