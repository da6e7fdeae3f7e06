/**
 * Option values checked as typed. A yargs `number` option turns "abc" into NaN before anyone can
 * say what was wrong, so whole-number options arrive as text and are checked here; the message
 * names the option and quotes the value ("--limit: expected a whole number from 1 to 1000, got
 * "abc""). The use cases check ranges again for every other caller.
 */
import { UsageError } from './errors.js';

export interface WholeNumberOption {
  readonly type: 'string';
  readonly describe: string;
  readonly default?: string;
  readonly coerce: (raw: unknown) => number;
}

/** A whole-number option from `min` to `max`; `fallback` is its default when not given. */
export function wholeNumberOption(flag: string, min: number, max: number, describe: string, fallback?: number): WholeNumberOption {
  return {
    type: 'string',
    describe,
    ...(fallback !== undefined ? { default: String(fallback) } : {}),
    coerce: (raw: unknown): number => {
      // Given twice, yargs passes an array: the last one wins, as for other options.
      const text = String(Array.isArray(raw) ? raw[raw.length - 1] : raw).trim();
      const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${flag}: expected a whole number from ${min} to ${max}, got "${String(raw)}"`);
      return n;
    },
  };
}

/** A string option that must not be empty when given ("--instance" with nothing after it). */
export function nonEmpty(flag: string, expected: string): (raw: unknown) => string {
  return (raw: unknown): string => {
    const text = String(Array.isArray(raw) ? raw[raw.length - 1] : raw).trim();
    if (!text) throw new UsageError(`--${flag}: expected ${expected}, got nothing`);
    return text;
  };
}
