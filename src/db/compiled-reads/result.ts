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

function toDate(value: unknown): unknown {
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
