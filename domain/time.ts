/** Epoch milliseconds (UTC). The core never reads a clock: the current instant is always passed in. */
export type Instant = number;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** ISO 8601 rendering of an instant, or null. */
export function toIso(t: Instant | null | undefined): string | null {
  return t === null || t === undefined ? null : new Date(t).toISOString();
}
