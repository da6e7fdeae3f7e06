import { ValidationError } from '../../domain/errors.js';

/** CloudTrail keeps 90 days of management events; CloudWatch keeps hourly data for 455 days. */
export function checkHours(hours: number | undefined, fallback: number, max: number): number {
  const h = hours ?? fallback;
  if (!Number.isInteger(h) || h < 1 || h > max) {
    throw new ValidationError('hours', `a whole number of hours from 1 to ${max}`, `hours: expected a whole number from 1 to ${max}, got ${String(hours)}`);
  }
  return h;
}
