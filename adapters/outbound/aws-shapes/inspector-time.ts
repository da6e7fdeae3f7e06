/**
 * The timestamp format of Inspector2's EventBridge events and findings reports:
 * `Wed Sep 04 16:59:44.356 UTC 2024` (Java's Date.toString with milliseconds). Read exactly:
 * the weekday must be the date's own, the date must exist, the zone must be UTC (or GMT, the
 * same instant); anything else is not this format.
 */
import type { Instant } from '../../../domain/time.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

// Weekday, month, day (2 digits), time with optional fraction (1 to 9 digits), zone, year (4 digits).
const EVENT_TIME = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? (UTC|GMT) (\d{4})$/;

/**
 * `Wed Sep 04 16:59:44.356 UTC 2024` as epoch milliseconds (a fraction finer than a millisecond
 * is truncated), or null when the text is not exactly that format or names a day that does not
 * exist (Feb 30, a weekday that is not the date's, second 60).
 */
export function parseInspectorTime(text: string): Instant | null {
  const m = EVENT_TIME.exec(text);
  if (m === null) return null;
  const [, weekday, monthName, dd, hh, mi, ss, fraction, , yyyy] = m as unknown as [string, string, string, string, string, string, string, string | undefined, string, string];
  const month = (MONTHS as readonly string[]).indexOf(monthName);
  if (month < 0) return null;
  const day = Number(dd);
  const hour = Number(hh);
  const minute = Number(mi);
  const second = Number(ss);
  const year = Number(yyyy);
  if (day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  const d = new Date(Date.UTC(year, month, day, hour, minute, second, ms));
  // Date.UTC maps years 0..99 onto 1900..1999; setUTCFullYear keeps the year as written.
  d.setUTCFullYear(year);
  // A day past the month's end rolls into the next month: refused.
  if (d.getUTCMonth() !== month || d.getUTCDate() !== day) return null;
  if (DAYS[d.getUTCDay()] !== weekday) return null;
  return d.getTime();
}
