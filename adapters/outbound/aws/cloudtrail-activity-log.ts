import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient, Event } from '@aws-sdk/client-cloudtrail';
import type { ChangeEvent } from '../../../domain/fleet-facts.js';
import type { Instant } from '../../../domain/time.js';
import type { ActivityLog } from '../../../ports/outbound/activity-log.port.js';
import { mapCloudTrailEvent } from '../aws-shapes/index.js';
import { callAws } from './aws-errors.js';
import type { ThrottleRetryOptions } from './resilience.js';
import { RequestPacer, retryOnThrottling } from './resilience.js';

/** LookupEvents' largest page. */
export const MAX_EVENTS_PAGE = 50;
/** LookupEvents' documented rate: 2 calls a second per account and region. */
export const LOOKUP_EVENTS_PER_SECOND = 2;

/** Options of CloudTrailActivityLog. */
export interface CloudTrailActivityLogOptions {
  /**
   * Paces every LookupEvents call, retries included. Pass the same pacer to every user of the
   * account and region (the capture too): the limit is the account's, not this object's.
   * Default: a pacer of its own at 2 calls a second.
   */
  readonly pacer?: RequestPacer;
  /** Backoff on throttling, on top of the SDK's retries; default 6 retries from 1 s. */
  readonly retry?: ThrottleRetryOptions;
}

/**
 * CloudTrail LookupEvents by ResourceName (the instance id): management events of the last 90
 * days, every page, paced to the API's low rate, throttling retried with backoff.
 */
export class CloudTrailActivityLog implements ActivityLog {
  private readonly pacer: RequestPacer;
  private readonly retry: ThrottleRetryOptions;

  constructor(
    private readonly client: CloudTrailClient,
    options: CloudTrailActivityLogOptions = {},
  ) {
    this.pacer = options.pacer ?? new RequestPacer({ perSecond: LOOKUP_EVENTS_PER_SECOND });
    this.retry = options.retry ?? {};
  }

  /**
   * Events about the instance between start and end, newest first.
   * @throws SourceError (cloudtrail, LookupEvents, AWS code); the use case makes it a warning.
   */
  async lookupInstanceEvents(instanceId: string, start: Instant, end: Instant): Promise<readonly ChangeEvent[]> {
    const raw = await this.events(instanceId, start, end);
    const events = raw.map((e, i) => mapCloudTrailEvent(e, `$.Events[${i}]`));
    // LookupEvents returns newest first; sorting keeps the port's promise across pages all the same.
    return events.sort((a, b) => b.eventTime - a.eventTime);
  }

  /** The raw events of every page (for the capture). */
  async events(instanceId: string, start: Instant, end: Instant): Promise<Event[]> {
    const out: Event[] = [];
    let nextToken: string | undefined;
    do {
      const response = await callAws('cloudtrail', 'LookupEvents', () =>
        retryOnThrottling(async () => {
          await this.pacer.acquire();
          return this.client.send(
            new LookupEventsCommand({
              LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: instanceId }],
              StartTime: new Date(start),
              EndTime: new Date(end),
              MaxResults: MAX_EVENTS_PAGE,
              NextToken: nextToken,
            }),
          );
        }, this.retry),
      );
      out.push(...(response.Events ?? []));
      nextToken = response.NextToken;
    } while (nextToken);
    return out;
  }
}
