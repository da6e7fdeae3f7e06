import type { ChangeEvent } from '../../domain/fleet-facts.js';
import type { Instant } from '../../domain/time.js';

/**
 * CloudTrail management events about one instance (LookupEvents by ResourceName).
 * A secondary source: a failure becomes a warning.
 */
export interface ActivityLog {
  /** Events between start and end, newest first. */
  lookupInstanceEvents(instanceId: string, start: Instant, end: Instant): Promise<readonly ChangeEvent[]>;
}
