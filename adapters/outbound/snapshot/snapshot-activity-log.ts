import type { ChangeEvent } from '../../../domain/fleet-facts.js';
import type { Instant } from '../../../domain/time.js';
import type { ActivityLog } from '../../../ports/outbound/activity-log.port.js';
import type { SnapshotDirectory } from './snapshot-directory.js';

/**
 * CloudTrail events from `cloudtrail/<instance-id>.json` (optional per instance: a missing file
 * is no events), between start and end inclusive (as LookupEvents), newest first.
 */
export class SnapshotActivityLog implements ActivityLog {
  constructor(private readonly snapshot: SnapshotDirectory) {}

  async lookupInstanceEvents(instanceId: string, start: Instant, end: Instant): Promise<readonly ChangeEvent[]> {
    const events = await this.snapshot.events(instanceId);
    if (events === null) return [];
    return events.filter((e) => e.eventTime >= start && e.eventTime <= end).sort((a, b) => b.eventTime - a.eventTime);
  }
}
