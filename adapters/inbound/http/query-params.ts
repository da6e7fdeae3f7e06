/** Query parameter schemas shared by the routes, with messages a person can act on. */
import { z } from 'zod';

/** A whole number in a query string ("?limit=50"), documented as an integer. */
export function wholeNumber(min: number, max?: number) {
  const expected = max === undefined ? `expected a whole number, ${min} or more` : `expected a whole number from ${min} to ${max}`;
  const n = z.coerce.number({ error: expected }).int(expected).min(min, expected);
  return max === undefined ? n : n.max(max, expected);
}

/** "true" or "false", nothing looser (no "1", "yes"): a typo should be an error, not a silent false. */
export function booleanParam() {
  return z.enum(['true', 'false'], { error: 'expected true or false' }).transform((v) => v === 'true');
}
