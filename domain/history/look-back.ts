/** How `changes --since` and `--between` name a point in the history. */
import { ValidationError } from '../errors.js';
import { DAY_MS, HOUR_MS, INSTANT_EXPECTED, parseInstant, type Instant } from '../time.js';

const DURATION = /^(\d{1,5})\s*(h|d)$/i;
export const SINCE_EXPECTED = `a duration such as 24h or 7d, or ${INSTANT_EXPECTED}`;

/**
 * A duration back from `now` (24h, 7d) or an instant (parseInstant's rules: a zone is required
 * on a date-time). Refused: a malformed value, a zero duration, an instant after `now`.
 * @throws ValidationError naming `field`.
 */
export function parseSince(text: string, now: Instant, field = 'since'): Instant {
  const s = typeof text === 'string' ? text.trim() : '';
  const d = DURATION.exec(s);
  let at: Instant;
  if (d) {
    const n = Number(d[1]);
    if (n === 0) throw new ValidationError(field, SINCE_EXPECTED, `${field}: expected a duration above zero such as 24h or 7d, got ${JSON.stringify(text)}`);
    at = now - n * ((d[2] ?? 'h').toLowerCase() === 'd' ? DAY_MS : HOUR_MS);
  } else if (/^\d{4}-/.test(s)) {
    at = parseInstant(s, field);
  } else {
    throw new ValidationError(field, SINCE_EXPECTED, `${field}: expected ${SINCE_EXPECTED}, got ${JSON.stringify(text)}`);
  }
  if (at > now) throw new ValidationError(field, 'an instant in the past', `${field}: ${new Date(at).toISOString()} is in the future (now is ${new Date(now).toISOString()})`);
  return at;
}
