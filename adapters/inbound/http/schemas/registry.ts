/**
 * Named JSON shapes of the API. Responses and request bodies are zod schemas registered here
 * under a component name; the OpenAPI document is generated from these registries, and the
 * route code validates with the same schemas, so the document cannot drift from the code.
 */
import { z } from 'zod';

/** Answers (converted as the server writes them). */
export const responseSchemas = z.registry<{ id: string }>();
/** Request bodies (converted as clients may send them: defaults make fields optional). */
export const requestSchemas = z.registry<{ id: string }>();

/** A zod enum over one of the core's readonly value lists (DECISIONS, METRIC_NAMES ...). */
export function oneOf<T extends string>(values: readonly T[]): z.ZodEnum<{ [K in T]: K }> {
  return z.enum(values as [T, ...T[]]) as unknown as z.ZodEnum<{ [K in T]: K }>;
}

/** Deeply writable, so a zod output (mutable arrays) compares with a readonly contract type. */
export type Writable<T> = T extends string | number | boolean | bigint | symbol | null | undefined
  ? T // before `object`: an open enum (string & {}) must stay a string
  : T extends readonly (infer U)[] ? Writable<U>[] : T extends object ? { -readonly [K in keyof T]: Writable<T[K]> } : T;

/**
 * `true` only when a schema's output and a contract type are the same type (readonly aside).
 * Used as `const _x: SameShape<typeof S, T> = true`, it fails the build when a use case's report
 * gains, loses or changes a field, optional ones included, that the documented schema does not.
 * (Mutual assignability would miss an optional field on one side only; type identity does not.)
 */
export type SameShape<S extends z.ZodType, T> =
  (<G>() => G extends Writable<z.output<S>> ? 1 : 2) extends (<G>() => G extends Writable<T> ? 1 : 2) ? true : false;

/**
 * A string the core types as an open enum (`'HIGH' | ... | (string & {})`: AWS adds values over
 * time). Documented and validated as any string; typed as the enum so SameShape holds.
 */
export function openEnum<T extends string>(description: string): z.ZodType<T, string> {
  return z.string().describe(description) as unknown as z.ZodType<T, string>;
}

/** ISO 8601 instants, as every report writes them. */
export const isoInstant = z.string().describe('ISO 8601 instant, UTC (e.g. 2026-11-20T12:00:00.000Z)');
