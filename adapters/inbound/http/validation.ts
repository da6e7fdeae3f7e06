/**
 * Turns zod failures on params, query and body into one 400 that names the offending field
 * ("query.hours", "body.instances[0]") and what was expected.
 */
import type { z } from 'zod';
import { HttpError } from './http-errors.js';

export type InputPart = 'params' | 'query' | 'body';

function fieldOf(part: InputPart, path: readonly PropertyKey[]): string {
  return path.reduce<string>((f, p) => (typeof p === 'number' ? `${f}[${p}]` : `${f}.${String(p)}`), part);
}

function shown(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input);
  if (typeof input === 'number' || typeof input === 'boolean' || input === null) return String(input);
  return Array.isArray(input) ? 'an array' : typeof input === 'object' ? 'an object' : typeof input;
}

/** The value at `path` in what the client sent (zod reports the coerced value: NaN for "abc"). */
function rawAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

function issueText(part: InputPart, issue: z.core.$ZodIssue, data: unknown): { field: string; message: string } {
  if (issue.code === 'unrecognized_keys') {
    const field = fieldOf(part, [...issue.path, issue.keys[0] ?? '?']);
    const noun = part === 'query' ? 'query parameter' : 'field';
    return { field, message: `unknown ${noun}${issue.keys.length > 1 ? `s ${issue.keys.map((k) => `"${k}"`).join(', ')}` : ''}` };
  }
  const field = fieldOf(part, issue.path);
  const input = rawAt(data, issue.path);
  if (issue.code === 'invalid_type' && input === undefined) return { field, message: 'required' };
  const message = issue.message.replace(/^Invalid input: /, '');
  return { field, message: input === undefined || typeof input === 'object' ? message : `${message}, got ${shown(input)}` };
}

/** Parses `data` with `schema`, or throws a 400 naming the first bad field (all of them in details.issues). */
export function parseInput<S extends z.ZodType>(schema: S, part: InputPart, data: unknown): z.output<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => issueText(part, i, data));
  const first = issues[0] ?? { field: part, message: 'invalid' };
  throw new HttpError(400, 'VALIDATION_FAILED', `${first.field}: ${first.message}`, { field: first.field, issues });
}

function isArraySchema(s: unknown): boolean {
  let def = (s as { _zod?: { def?: { type?: string; innerType?: unknown } } })._zod?.def;
  // Unwrap optional / default / nullable to see what the value itself is.
  while (def && (def.type === 'optional' || def.type === 'default' || def.type === 'nullable')) {
    def = (def.innerType as { _zod?: { def?: { type?: string; innerType?: unknown } } })._zod?.def;
  }
  return def?.type === 'array';
}

/**
 * Query strings arrive as `string | string[]`. A list parameter may be repeated or
 * comma-separated (`?decision=a&decision=b`, `?decision=a,b`); any other parameter given twice
 * is ambiguous and refused rather than silently taking one.
 */
export function normalizeQuery(schema: z.ZodObject, query: Readonly<Record<string, string | string[] | undefined>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    const shape = schema.shape[k];
    if (shape !== undefined && isArraySchema(shape)) {
      out[k] = (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
    } else if (Array.isArray(v)) {
      throw new HttpError(400, 'VALIDATION_FAILED', `query.${k}: given more than once; give it once`, { field: `query.${k}`, issues: [{ field: `query.${k}`, message: 'given more than once' }] });
    } else {
      out[k] = v;
    }
  }
  return out;
}
