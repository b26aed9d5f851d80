import { z } from 'zod';
import { empty, join, sqltag as sql, type Sql } from '@prisma/client/runtime/client';

/**
 * The shared rule engine of the attribute models (demographic, geographic, technographic,
 * psychographic): rules over customer fields, combined in ALL/ANY groups, compiled to one SQL
 * condition with bound parameters. Each model brings its own vocabulary of fields.
 */
export type FieldType = 'text' | 'number' | 'date' | 'list';

export interface VocabularyField {
  /** SQL for the value, over the customer row `c`, e.g. sql`c."country"` or sql`c.attributes->>'lifestyle'`. */
  column: Sql;
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

function typed(value: string | number, type: FieldType): Sql {
  if (type === 'number') return sql`${Number(value)}::numeric`;
  if (type === 'date') return sql`${String(value)}::timestamptz`;
  return sql`${String(value)}`;
}

function ruleSql(rule: Rule, vocabulary: Vocabulary): Sql {
  const field = vocabulary[rule.field]!;
  const column = field.type === 'number' ? sql`(${field.column})::numeric` : field.type === 'date' ? sql`(${field.column})::timestamptz` : field.column;
  let condition: Sql;
  switch (rule.op) {
    case 'equals':
      condition = field.type === 'list' ? sql`${String(rule.value)} = ANY (${column})` : sql`${column} = ${typed(rule.value!, field.type)}`;
      break;
    case 'in':
      condition = field.type === 'list' ? sql`${column} && ${rule.values!.map(String)}::text[]` : sql`${column} IN (${join(rule.values!.map((value) => typed(value, field.type)))})`;
      break;
    case 'range': {
      const parts = [rule.min !== undefined ? sql`${column} >= ${typed(rule.min, field.type)}` : empty, rule.max !== undefined ? sql`${column} <= ${typed(rule.max, field.type)}` : empty].filter(
        (part) => part !== empty,
      );
      condition = join(parts, ' AND ');
      break;
    }
    case 'contains': {
      const needle = `%${String(rule.value).replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      condition = field.type === 'list' ? sql`${String(rule.value)} = ANY (${column})` : sql`(${column})::text ILIKE ${needle}`;
      break;
    }
    case 'exists':
      condition = field.type === 'list' ? sql`cardinality(${column}) > 0` : sql`${column} IS NOT NULL`;
      break;
  }
  // A rule on a missing value is false, and so is its negation: "not in NL" does not match customers without a country.
  return rule.not ? (rule.op === 'exists' ? sql`NOT (${condition})` : sql`(${column} IS NOT NULL AND NOT (${condition}))`) : sql`(${condition})`;
}

/** The SQL condition of a rule group (over the customer row `c`). */
export function ruleGroupSql(group: RuleGroup, vocabulary: Vocabulary): Sql {
  const parts = group.rules.map((entry) => (isGroup(entry) ? ruleGroupSql(entry, vocabulary) : ruleSql(entry, vocabulary)));
  return sql`(${join(parts, group.match === 'ALL' ? ' AND ' : ' OR ')})`;
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
    membershipCondition: (parameters: z.output<typeof schema>) => ruleGroupSql(parameters.rules, options.vocabulary),
    explain: (parameters: z.output<typeof schema>) => [describeRuleGroup(parameters.rules)],
  };
}
