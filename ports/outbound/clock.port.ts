import type { Instant } from '../../domain/time.js';

/** The current time. The core never reads a clock; tests and `--now` pass a fixed one. */
export interface Clock {
  now(): Instant;
}
