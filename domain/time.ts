import { ValidationError } from './errors.js';

/** Epoch milliseconds (UTC). The core never reads a clock: the current instant is always passed in. */
export type Instant = number;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** ISO 8601 rendering of an instant, or null. */
export function toIso(t: Instant | null | undefined): string | null {
  return t === null || t === undefined ? null : new Date(t).toISOString();
}

export interface ParseInstantOptions {
  /** What a plain date (no time) stands for: the first (default) or the last millisecond of that day, UTC. */
  readonly date?: 'start-of-day' | 'end-of-day';
  /**
   * A date-time without a zone: refused (default, every option a person types), or read as UTC
   * (policy files only, whose freeze windows were documented that way).
   */
  readonly zoneless?: 'refuse' | 'utc';
}

// A date, or a date and a time with an optional zone (the zone is checked after the match, so a
// missing one gets its own message). Fractions of any length; T or a space between date and time.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The example every refusal shows. */
export const INSTANT_EXPECTED = 'an ISO 8601 date (2026-11-20, UTC) or date-time with a zone (2026-11-20T12:00:00Z or +02:00)';

/**
 * The one reader of instants a person types (--now, --until, --since, freeze windows, HTTP and
 * MCP parameters): an ISO 8601 date, read as UTC, or a date-time that carries its zone (Z or an
 * offset). A date-time without a zone is refused rather than read in the host's zone, and a date
 * that does not exist (2026-02-30, 25:00) is refused rather than rolled over.
 * @param field the option or field named in the error, e.g. "now".
 * @throws ValidationError naming `field`.
 */
export function parseInstant(text: string, field: string, options: ParseInstantOptions = {}): Instant {
  const s = typeof text === 'string' ? text.trim() : '';
  const m = INSTANT.exec(s);
  if (m === null) {
    throw new ValidationError(field, INSTANT_EXPECTED, `${field}: expected ${INSTANT_EXPECTED}, got ${JSON.stringify(text)}`);
  }
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new ValidationError(field, INSTANT_EXPECTED, `${field}: ${y}-${mo}-${d} is not a date (${month < 1 || month > 12 ? `there is no month ${mo}` : `${monthName(month)} ${y} has ${daysInMonth(year, month)} days`})`);
  }
  const midnight = Date.UTC(year, month - 1, day);
  if (h === undefined) return options.date === 'end-of-day' ? midnight + DAY_MS - 1 : midnight;
  if (zone === undefined && options.zoneless !== 'utc') {
    throw new ValidationError(field, INSTANT_EXPECTED, `${field}: "${s}" has no time zone; add Z for UTC or an offset such as +02:00 (e.g. ${s}Z)`);
  }
  const hour = Number(h);
  const minute = Number(mi);
  const second = sec === undefined ? 0 : Number(sec);
  if (hour > 23 || minute > 59 || second > 59) {
    throw new ValidationError(field, INSTANT_EXPECTED, `${field}: ${h}:${mi}${sec === undefined ? '' : `:${sec}`} is not a time of day`);
  }
  let offset = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(-2));
    if (oh > 18 || om > 59) throw new ValidationError(field, INSTANT_EXPECTED, `${field}: ${zone} is not a time zone offset`);
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  return midnight + hour * HOUR_MS + minute * 60_000 + second * 1000 + ms - offset;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function monthName(month: number): string {
  return MONTHS[month - 1] ?? String(month);
}
