import type { Instant } from '../../../domain/time.js';
import type { Clock } from '../../../ports/outbound/clock.port.js';
import type { SnapshotDirectory } from './snapshot-directory.js';

/**
 * The time of a snapshot that has no snapshot.json: the newest lastObservedAt among its findings.
 * It is learnt from the report's own read of the findings file (an assessment asks for the time
 * after reading the findings), so the file is read once. A time asked for before any read (a
 * compliance summary, a look-back report) reads the file for it, once. A file without findings
 * gives the fallback clock's time.
 */
export class SnapshotCaptureClock implements Clock {
  constructor(private readonly snapshot: SnapshotDirectory, private readonly fallback: Clock) {}

  now(): Instant {
    return this.observation() ?? this.fallback.now();
  }

  /** Whether the time is the newest observation (false: the file holds no findings, the fallback's). */
  isObservation(): boolean {
    return this.observation() !== null;
  }

  private observation(): Instant | null {
    const known = this.snapshot.newestObservation();
    return known !== undefined ? known : this.snapshot.newestObservationSync();
  }
}
