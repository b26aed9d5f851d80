import { Prisma } from '../../generated/prisma/client.js';
import type { FieldInfo } from './datamodel.js';

/**
 * Turns the JSON a compiled read returns into the values Prisma would have returned for the same
 * selection (Date for DateTime, Decimal for Decimal, bigint for BigInt), so the GraphQL types
 * resolve a compiled row exactly as they resolve a Prisma one.
 */
export type Convert = (value: unknown) => unknown;

export interface ShapeEntry {
  key: string;
  convert?: Convert | undefined;
  nested?: Shape;
  list?: boolean;
}

export type Shape = ShapeEntry[];

/** JSON renders timestamptz with its offset and timestamp without: the latter is UTC (how Prisma stores it). */
const HAS_ZONE = /(?:[zZ]|[+-]\d\d(?::?\d\d)?)$/;

export function toDate(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return new Date(value.length > 10 && !HAS_ZONE.test(value) ? `${value}Z` : value);
}

const CONVERTERS: Record<string, Convert> = {
  DateTime: toDate,
  Decimal: (value) => (value === null ? null : new Prisma.Decimal(value as string)),
  BigInt: (value) => (value === null ? null : BigInt(value as string)),
};

export function converterFor(field: FieldInfo): Convert | undefined {
  const convert = CONVERTERS[field.type];
  if (!convert) return undefined;
  if (!field.isList) return convert;
  return (value) => (Array.isArray(value) ? value.map(convert) : value);
}

/** Converts one row in place and returns it. */
export function shapeRow(row: Record<string, unknown>, shape: Shape): Record<string, unknown> {
  for (const entry of shape) {
    const value = row[entry.key];
    if (value === null || value === undefined) continue;
    if (entry.convert) row[entry.key] = entry.convert(value);
    else if (entry.nested && entry.nested.some((inner) => inner.convert || inner.nested)) {
      if (entry.list) for (const item of value as Array<Record<string, unknown>>) shapeRow(item, entry.nested);
      else shapeRow(value as Record<string, unknown>, entry.nested);
    }
  }
  return row;
}

/** Decimal.js writes plain notation while the exponent is between -7 and 21 (its toExpNeg and toExpPos). */
const PLAIN_DECIMAL = /^-?(\d{1,21})(?:\.(\d+))?$/;

/**
 * The text Prisma's Decimal gives for numeric text from PostgreSQL (`"129.90"` -> `"129.9"`),
 * without building the Decimal: trailing fraction zeros go. Anything outside plain notation (very
 * small or very large values) goes through Prisma.Decimal itself.
 */
export function decimalText(text: string): string {
  const match = PLAIN_DECIMAL.exec(text);
  const fraction = match?.[2]?.replace(/0+$/, '') ?? '';
  if (!match || (match[1] === '0' && /^0{6}/.test(fraction))) return new Prisma.Decimal(text).toString();
  if (match[1] === '0' && fraction === '') return '0';
  const sign = text.startsWith('-') ? '-' : '';
  return fraction ? `${sign}${match[1]}.${fraction}` : `${sign}${match[1]}`;
}

/**
 * For rows read raw (see RAW_ROWS): the value a field's GraphQL scalar serializes the same way it
 * serializes what Prisma returns (a Date for DateTime, the Decimal's text for Decimal). Values
 * that came through Prisma after all (a fallback) pass unchanged.
 */
export function plainConverterFor(field: FieldInfo): Convert | undefined {
  const one: Convert | undefined =
    field.type === 'DateTime'
      ? (value) => (typeof value === 'string' ? toDate(value) : value)
      : field.type === 'Decimal'
        ? (value) => (typeof value === 'string' ? decimalText(value) : value)
        : field.type === 'BigInt'
          ? (value) => (typeof value === 'string' ? BigInt(value) : value)
          : undefined;
  if (!one || !field.isList) return one;
  return (value) => (Array.isArray(value) ? value.map(one) : value);
}

/** PostgreSQL's JSON text of a timestamptz(3) in UTC: `2025-03-03T10:00:00.12+00:00`. */
const PG_UTC = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,3}))?(?:\+00(?::00)?|Z)$/;

/**
 * An instant as `Date.prototype.toISOString` writes it (what the DateTime scalar's Date becomes in
 * JSON), from the text a compiled read returns or from a Date. Text in UTC is rewritten without
 * parsing; anything else (another zone offset, a year outside 0000-9999) goes through Date.
 * Throws on an invalid instant.
 */
export function isoInstant(value: unknown): string {
  if (typeof value === 'string') {
    const match = PG_UTC.exec(value);
    if (match) return `${match[1]}.${(match[2] ?? '').padEnd(3, '0')}Z`;
  }
  return (value instanceof Date ? value : (toDate(value) as Date)).toISOString();
}
