import { MAX_LOOKBACK_HOURS } from '../../../domain/vocabulary.js';
import { reviewActivity } from '../../../domain/activity/review.js';
import type { ChangeEvent } from '../../../domain/fleet-facts.js';
import { toIso } from '../../../domain/time.js';
import type { CoreDependencies } from '../shared/core-dependencies.js';
import { lookBack } from './look-back.js';
import { addSourceWarnings, secondary } from '../shared/warnings.js';
import type { ActivityReport } from '../../inbound/reports/report-activity.port.js';

/** Who did what to one instance, with the events worth a look flagged and explained. */
export class ReportActivity {
  constructor(private readonly deps: CoreDependencies) {}

  async execute(request: { instance: string; hours?: number }): Promise<ActivityReport> {
    const { asset, start, end, header, warnings } = await lookBack(this.deps, request, MAX_LOOKBACK_HOURS);
    const events = await secondary<readonly ChangeEvent[]>(warnings, 'cloudtrail', 'LookupEvents', () => this.deps.activity.lookupInstanceEvents(asset.instanceId, start, end), []);
    const review = reviewActivity(events, this.deps.policy);
    return {
      ...header,
      total: review.total,
      flagged: review.flagged,
      events: review.events.map(({ event: e, flags }) => ({
        eventTime: toIso(e.eventTime) as string,
        eventName: e.eventName,
        eventSource: e.eventSource,
        username: e.username,
        userIdentityType: e.userIdentityType,
        sourceIpAddress: e.sourceIpAddress,
        userAgent: e.userAgent,
        errorCode: e.errorCode,
        flags,
      })),
      warnings: addSourceWarnings(warnings, this.deps.source),
    };
  }
}
