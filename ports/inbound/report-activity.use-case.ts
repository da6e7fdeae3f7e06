import { MAX_LOOKBACK_HOURS } from '../../domain/vocabulary.js';
import { reviewActivity } from '../../domain/activity/review.js';
import type { ActivityFlag } from '../../domain/activity/types.js';
import type { ChangeEvent } from '../../domain/inputs.js';
import { toIso } from '../../domain/time.js';
import type { CoreDependencies } from './dependencies.js';
import { lookBack } from './look-back.js';
import { addSourceWarnings, secondary } from './warnings.js';
import type { InstantBasis } from '../outbound/source-info.port.js';

export interface ActivityEventReport {
  readonly eventTime: string;
  readonly eventName: string;
  readonly eventSource: string | null;
  readonly username: string | null;
  readonly userIdentityType: string | null;
  readonly sourceIpAddress: string | null;
  readonly userAgent: string | null;
  readonly errorCode: string | null;
  readonly flags: readonly ActivityFlag[];
}

export interface ActivityReport {
  readonly generatedAt: string;
  readonly asOf: InstantBasis;
  readonly source: string;
  readonly instanceId: string;
  readonly name: string | null;
  readonly hours: number;
  readonly start: string;
  readonly end: string;
  readonly total: number;
  readonly flagged: number;
  readonly events: readonly ActivityEventReport[];
  readonly warnings: readonly string[];
}


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
