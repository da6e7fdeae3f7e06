/**
 * Path-aware readers for AWS JSON, shared by the mappers. Each reads one field of an object and
 * either returns it typed or throws a ShapeError naming the path. Paths are only built when a
 * read fails, so the happy path costs a property access and a typeof.
 */
import type { Instant } from '../../../domain/time.js';
import { parseInspectorTime } from './inspector-time.js';
import { describeValue, ShapeError } from './shape-error.js';

/** A JSON object as parsed (or an SDK output object). */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Which API a mapper reads, for the ShapeError it throws. */
export interface ShapeContext {
  readonly service: string;
  readonly operation: string | null;
}

export const EMPTY: readonly unknown[] = Object.freeze([]);

export const TIMESTAMP = 'a timestamp (ISO 8601 string, epoch seconds or Date)';

export function fail(ctx: ShapeContext, path: string, expected: string, found: unknown): never {
  throw new ShapeError(ctx.service, ctx.operation, path, expected, describeValue(found));
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function asObject(ctx: ShapeContext, v: unknown, path: string): JsonObject {
  if (isObject(v)) return v;
  return fail(ctx, path, 'an object', v);
}

export function reqString(ctx: ShapeContext, o: JsonObject, key: string, path: string): string {
  const v = o[key];
  if (typeof v === 'string') return v;
  return fail(ctx, `${path}.${key}`, 'a string', v);
}

/** A string, or null when the field is absent or null. */
export function optString(ctx: ShapeContext, o: JsonObject, key: string, path: string): string | null {
  const v = o[key];
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return null;
  return fail(ctx, `${path}.${key}`, 'a string', v);
}

/** A finite number, or null when the field is absent or null. */
export function optNumber(ctx: ShapeContext, o: JsonObject, key: string, path: string): number | null {
  const v = o[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v === undefined || v === null) return null;
  return fail(ctx, `${path}.${key}`, 'a number', v);
}

/** A count: absent means zero (SSM omits zero counts in some SDK versions). */
export function optCount(ctx: ShapeContext, o: JsonObject, key: string, path: string): number {
  const v = o[key];
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (v === undefined || v === null) return 0;
  return fail(ctx, `${path}.${key}`, 'a non-negative integer', v);
}

/** A boolean; also "true"/"false" strings, as CloudTrail's LookupEvents ReadOnly field has them. */
export function optBoolean(ctx: ShapeContext, o: JsonObject, key: string, path: string): boolean | null {
  const v = o[key];
  if (typeof v === 'boolean') return v;
  if (v === undefined || v === null) return null;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return fail(ctx, `${path}.${key}`, 'a boolean', v);
}

/** An array, or the shared empty array when the field is absent or null. */
export function optArray(ctx: ShapeContext, o: JsonObject, key: string, path: string): readonly unknown[] {
  const v = o[key];
  if (Array.isArray(v)) return v;
  if (v === undefined || v === null) return EMPTY;
  return fail(ctx, `${path}.${key}`, 'an array', v);
}

export function reqArray(ctx: ShapeContext, o: JsonObject, key: string, path: string): readonly unknown[] {
  const v = o[key];
  if (Array.isArray(v)) return v;
  return fail(ctx, `${path}.${key}`, 'an array', v);
}

/** An object, or null when the field is absent or null. */
export function optObject(ctx: ShapeContext, o: JsonObject, key: string, path: string): JsonObject | null {
  const v = o[key];
  if (isObject(v)) return v;
  if (v === undefined || v === null) return null;
  return fail(ctx, `${path}.${key}`, 'an object', v);
}

export function reqTimestamp(ctx: ShapeContext, o: JsonObject, key: string, path: string): Instant {
  const v = o[key];
  const t = parseTimestamp(v);
  if (t !== null) return t;
  return fail(ctx, `${path}.${key}`, TIMESTAMP, v);
}

/** A timestamp, or null when the field is absent or null. */
export function optTimestamp(ctx: ShapeContext, o: JsonObject, key: string, path: string): Instant | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  const t = parseTimestamp(v);
  if (t !== null) return t;
  return fail(ctx, `${path}.${key}`, TIMESTAMP, v);
}

// Date-only or date-time, optional fraction of any length, optional zone (Z, +hh:mm, +hhmm).
const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Reads a timestamp as AWS delivers one: an ISO 8601 string (the CLI), epoch seconds (the wire
 * format of the JSON APIs), or a Date (the SDK). A date-time without a zone is UTC: AWS never
 * means local time, and reading it as local would make results depend on the machine.
 * @returns epoch milliseconds, or null when the value is not a timestamp.
 */
export function parseTimestamp(v: unknown): Instant | null {
  if (typeof v === 'string') {
    const m = ISO.exec(v);
    // Inspector2's EventBridge events and findings reports: "Wed Sep 04 16:59:44.356 UTC 2024".
    if (m === null) return parseInspectorTime(v);
    let t: number;
    if (m[2] === undefined) {
      t = Date.parse(`${m[1]}T00:00:00Z`);
    } else {
      const zone = m[3] === undefined ? 'Z' : m[3].length === 5 ? `${m[3].slice(0, 3)}:${m[3].slice(3)}` : m[3];
      t = Date.parse(`${m[1]}T${m[2]}${zone}`);
    }
    return Number.isNaN(t) ? null : t;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v * 1000) : null;
  if (v instanceof Date) {
    const t = v.getTime();
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/** `[{Key, Value}]` as EC2 and Inspector2 return tags, as a record; a missing Value is "". */
export function readTagList(ctx: ShapeContext, list: readonly unknown[], path: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isObject(item)) fail(ctx, `${path}[${i}]`, 'an object {Key, Value}', item);
    const key = item.Key;
    if (typeof key !== 'string') fail(ctx, `${path}[${i}].Key`, 'a string', key);
    const value = item.Value;
    if (typeof value === 'string') tags[key] = value;
    else if (value === undefined || value === null) tags[key] = '';
    else fail(ctx, `${path}[${i}].Value`, 'a string', value);
  }
  return tags;
}

/** A string-to-string record (Inspector2's resources[].tags is a map, not a tag list). */
export function readTagMap(ctx: ShapeContext, o: JsonObject, path: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const key in o) {
    const value = o[key];
    if (typeof value === 'string') tags[key] = value;
    else if (value !== undefined && value !== null) fail(ctx, `${path}.${key}`, 'a string', value);
  }
  return tags;
}
