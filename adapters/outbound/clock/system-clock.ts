import type { Instant } from '../../../domain/time.js';
import type { Clock } from '../../../ports/outbound/clock.port.js';

/** The machine's clock. */
export class SystemClock implements Clock {
  now(): Instant {
    return Date.now();
  }
}

/** A clock stopped at one instant: `--now`, the demo fleet's capture time, tests. */
export class FixedClock implements Clock {
  constructor(private readonly at: Instant) {}
  now(): Instant {
    return this.at;
  }
}
