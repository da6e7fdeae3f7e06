import { ValidationError } from '../../../domain/errors.js';

/** The first `n` hex digits of a UUID (or any id). */
export function hex(id: string, n: number): string {
  const h = id.replace(/[^0-9a-f]/gi, '').toLowerCase();
  return (h.length >= n ? h : h.padEnd(n, '0')).slice(0, n);
}

/** Limit a list request to 1..max (default `fallback`). @throws ValidationError */
export function checkLimit(limit: number | undefined, fallback: number, max: number): number {
  const n = limit ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ValidationError('limit', `a whole number from 1 to ${max}`, `limit: expected a whole number from 1 to ${max}, got ${String(limit)}`);
  return n;
}
