/**
 * SSM maintenance-window schedule expressions, checked locally with the rules of the Systems
 * Manager reference ("Cron and rate expressions for Systems Manager"), so a schedule SSM would
 * refuse is refused here, before any call, with the field at fault named:
 *
 * - `cron(minutes hours day-of-month month day-of-week year)`: six fields. Minutes 0-59 and
 *   hours 0-23 (`, - * /`); day-of-month 1-31 (`, - * ? / L W`); month 1-12 or JAN-DEC
 *   (`, - * /`); day-of-week 1-7 or SUN-SAT (`, - * ? L #`); year 1970-2199 (`, - * /`).
 *   Exactly one of day-of-month and day-of-week is `?`. A `#` (the Nth weekday of the month,
 *   N 1 to 5) stands alone in day-of-week.
 * - `rate(value unit)`: a positive whole value; the unit minute, hour or day, singular for 1 and
 *   plural otherwise (`rate(1 hour)`, `rate(7 days)`).
 * - `at(yyyy-mm-ddThh:mm:ss)`: one run at that UTC time.
 */
import { ValidationError } from '../errors.js';

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Wildcards beyond , - * allowed in the field. */
  readonly slash: boolean;
  readonly question: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59, slash: true, question: false },
  { name: 'hours', min: 0, max: 23, slash: true, question: false },
  { name: 'day-of-month', min: 1, max: 31, slash: true, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS, slash: true, question: false },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, slash: false, question: true },
  { name: 'year', min: 1970, max: 2199, slash: true, question: false },
];

const EXAMPLE = 'an SSM schedule such as "cron(0 3 ? * SUN *)", "rate(7 days)" or "at(2026-12-01T03:00:00)"';

/** @throws ValidationError (field "schedule") saying which part is wrong. */
export function checkScheduleExpression(expression: string): void {
  const text = expression.trim();
  const fail = (why: string): never => {
    throw new ValidationError('schedule', EXAMPLE, `schedule: ${JSON.stringify(expression)}: ${why}`);
  };
  const cron = /^cron\((.*)\)$/i.exec(text);
  if (cron) return checkCron(cron[1] ?? '', fail);
  const rate = /^rate\((.*)\)$/i.exec(text);
  if (rate) return checkRate(rate[1] ?? '', fail);
  const at = /^at\((.*)\)$/i.exec(text);
  if (at) return checkAt(at[1] ?? '', fail);
  fail(`expected ${EXAMPLE}`);
}

function checkRate(body: string, fail: (why: string) => never): void {
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(body);
  if (!m) return fail('rate(value unit) takes two parts, e.g. rate(7 days)');
  const [, value = '', unit = ''] = m;
  if (!/^[1-9]\d*$/.test(value)) return fail(`rate value "${value}" is not a positive whole number`);
  const base = unit.replace(/s$/, '');
  if (!['minute', 'hour', 'day'].includes(base)) return fail(`rate unit "${unit}" is not minute(s), hour(s) or day(s)`);
  const plural = unit.endsWith('s');
  if (value === '1' && plural) return fail(`rate(1 ${unit}) takes the singular: rate(1 ${base})`);
  if (value !== '1' && !plural) return fail(`rate(${value} ${unit}) takes the plural: rate(${value} ${base}s)`);
}

function checkAt(body: string, fail: (why: string) => never): void {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body.trim());
  if (!m) return fail('at(...) takes a UTC date-time yyyy-mm-ddThh:mm:ss');
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d || t.getUTCHours() !== h || t.getUTCMinutes() !== mi || t.getUTCSeconds() !== s) {
    return fail(`at(${body.trim()}) is not a real date and time`);
  }
}

function checkCron(body: string, fail: (why: string) => never): void {
  const parts = body.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== 6) {
    return fail(`cron takes six fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`);
  }
  parts.forEach((p, i) => checkField(p.toUpperCase(), FIELDS[i] as CronField, fail));
  const dom = parts[2] as string;
  const dow = parts[4] as string;
  if (dom === '?' && dow === '?') return fail('one of day-of-month and day-of-week must be given (both are "?")');
  if (dom !== '?' && dow !== '?') return fail(`day-of-month "${dom}" and day-of-week "${dow}" cannot both be set: put "?" in one of them`);
}

function checkField(text: string, f: CronField, fail: (why: string) => never): void {
  const bad = (why: string): never => fail(`${f.name} "${text}": ${why}`);
  if (text === '?') {
    if (!f.question) bad('"?" is allowed only in day-of-month and day-of-week');
    return;
  }
  if (text.includes('#')) {
    if (f.name !== 'day-of-week') bad('"#" is allowed only in day-of-week');
    const m = /^([^#,]+)#([^#,]+)$/.exec(text);
    if (!m) bad('"#" takes one weekday and its number in the month, e.g. TUE#3, alone in the field');
    value(m?.[1] ?? '', f, bad);
    if (!/^[1-5]$/.test(m?.[2] ?? '')) bad(`the weekday's number in the month is 1 to 5, got "${m?.[2] ?? ''}"`);
    return;
  }
  for (const item of text.split(',')) {
    if (!item) bad('an empty item in a list');
    if (f.name === 'day-of-month' && (item === 'L' || item === 'LW')) continue;
    if (f.name === 'day-of-month' && /^\d+W$/.test(item)) {
      value(item.slice(0, -1), f, bad);
      continue;
    }
    if (f.name === 'day-of-week' && item === 'L') continue;
    if (f.name === 'day-of-week' && /L$/.test(item)) {
      value(item.slice(0, -1), f, bad);
      continue;
    }
    if (/[LW]/.test(item) && !(f.names ?? []).some((n) => item.includes(n))) {
      bad(f.name === 'day-of-month' ? '"L" and "W" stand as L, LW or nW' : f.name === 'day-of-week' ? '"L" stands as L or nL' : '"L" and "W" are allowed only in day-of-month (and L in day-of-week)');
    }
    const [range = '', step, extra] = item.split('/');
    if (extra !== undefined) bad('one "/" at most');
    if (step !== undefined) {
      if (!f.slash) bad(`"/" is not allowed in ${f.name}`);
      if (!/^[1-9]\d*$/.test(step) || Number(step) > f.max) bad(`the increment after "/" must be a whole number from 1 to ${f.max}, got "${step}"`);
    }
    if (range === '*') continue;
    const ends = range.split('-');
    if (ends.length > 2) bad('a range takes two ends, e.g. 1-5');
    for (const end of ends) value(end, f, bad);
  }
}

function value(text: string, f: CronField, bad: (why: string) => never): number {
  const byName = f.names?.indexOf(text) ?? -1;
  if (byName >= 0) return byName + 1;
  if (!/^\d+$/.test(text)) bad(`"${text}" is not a value of ${f.name} (${f.min}-${f.max}${f.names ? ` or ${f.names[0]}-${f.names[f.names.length - 1]}` : ''})`);
  const n = Number(text);
  if (n < f.min || n > f.max) bad(`${n} is outside ${f.min}-${f.max}`);
  return n;
}
