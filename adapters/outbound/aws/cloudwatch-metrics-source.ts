import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchClient, MetricDataQuery, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { InstanceMetrics, MetricName } from '../../../domain/fleet-facts.js';
import { METRIC_NAMES } from '../../../domain/fleet-facts.js';
import { DAY_MS } from '../../../domain/time.js';
import type { Instant } from '../../../domain/time.js';
import type { MetricsQuery, MetricsSource } from '../../../ports/outbound/metrics-source.port.js';
import { mapMetricDataResults } from '../aws-shapes/index.js';
import { callAws } from './aws-errors.js';
import type { Limiter } from './resilience.js';
import { chunk, createLimiter, mapLimited } from './resilience.js';

/** GetMetricData takes at most 500 queries a call. */
export const MAX_QUERIES_PER_CALL = 500;
/** Points one query may return for its window; the period is widened until the window fits. */
export const MAX_POINTS_PER_QUERY = 1440;

/**
 * The CloudWatch metric and statistic behind each domain metric. CPU is averaged; network bytes
 * are summed over the period (bytes moved in it); a status check failure is the period's maximum,
 * so a single failed check shows.
 */
export const METRIC_SPECS: Readonly<Record<MetricName, { readonly metricName: string; readonly stat: string }>> = {
  cpu: { metricName: 'CPUUtilization', stat: 'Average' },
  networkIn: { metricName: 'NetworkIn', stat: 'Sum' },
  networkOut: { metricName: 'NetworkOut', stat: 'Sum' },
  statusCheckFailed: { metricName: 'StatusCheckFailed', stat: 'Maximum' },
};

/**
 * The period for a window, in seconds:
 * - at least the requested period and 60 s, rounded up to a multiple of 60 (CloudWatch's rule
 *   for standard-resolution metrics);
 * - at least window / 1,440, rounded up to a multiple of 60, so no query returns more than
 *   1,440 points (14 days hourly is 336 points; 14 days at 5 minutes would be 4,032, so 840 s);
 * - at least what CloudWatch still keeps for the window's start: 60 s points live 15 days,
 *   300 s points 63 days, 3,600 s points 455 days. A finer period there returns nothing.
 */
export function choosePeriodSeconds(start: Instant, end: Instant, requested: number, now: Instant): number {
  const roundUp60 = (s: number): number => Math.max(60, Math.ceil(s / 60) * 60);
  let period = roundUp60(requested);
  period = Math.max(period, roundUp60((end - start) / 1000 / MAX_POINTS_PER_QUERY));
  const age = now - start;
  if (age > 63 * DAY_MS) period = Math.max(period, 3600);
  else if (age > 15 * DAY_MS) period = Math.max(period, 300);
  return period;
}

/** Options of CloudWatchMetricsSource. */
export interface CloudWatchMetricsOptions {
  /** Caps the GetMetricData calls in flight; share one limiter across adapters. Default 4 at once. */
  readonly limiter?: Limiter;
  /** The clock for the retention rule of choosePeriodSeconds; default Date.now. */
  readonly now?: () => Instant;
}

/**
 * CloudWatch GetMetricData: CPUUtilization, NetworkIn, NetworkOut and StatusCheckFailed of many
 * instances, 4 queries an instance and up to 500 queries (125 instances) a call, every page.
 */
export class CloudWatchMetricsSource implements MetricsSource {
  private readonly limiter: Limiter;
  private readonly now: () => Instant;

  constructor(
    private readonly client: CloudWatchClient,
    options: CloudWatchMetricsOptions = {},
  ) {
    this.limiter = options.limiter ?? createLimiter(4);
    this.now = options.now ?? Date.now;
  }

  /** @throws SourceError (cloudwatch, GetMetricData, AWS code); the use case makes it a warning. */
  async getInstanceMetrics(query: MetricsQuery): Promise<ReadonlyMap<string, InstanceMetrics>> {
    const out = new Map<string, InstanceMetrics>();
    for (const [instanceId, results] of await this.metricDataResults(query)) {
      out.set(instanceId, mapMetricDataResults(results, `$.MetricDataResults`));
    }
    return out;
  }

  /**
   * Raw results by instance, with the query ids renamed to cpu, networkIn, networkOut and
   * statusCheckFailed and the pages of one query merged: the snapshot's cloudwatch/<id>.json.
   */
  async metricDataResults(query: MetricsQuery): Promise<Map<string, MetricDataResult[]>> {
    const instanceIds = [...new Set(query.instanceIds)];
    const period = choosePeriodSeconds(query.start, query.end, query.periodSeconds, this.now());
    // Query ids must start with a lower-case letter; "<metric>_<n>" maps back through this table.
    const owner = new Map<string, { instanceId: string; metric: MetricName }>();
    const queries: MetricDataQuery[] = [];
    instanceIds.forEach((instanceId, n) => {
      for (const metric of METRIC_NAMES) {
        const id = `${metric}_${n}`;
        owner.set(id, { instanceId, metric });
        const spec = METRIC_SPECS[metric];
        queries.push({
          Id: id,
          MetricStat: {
            Metric: { Namespace: 'AWS/EC2', MetricName: spec.metricName, Dimensions: [{ Name: 'InstanceId', Value: instanceId }] },
            Period: period,
            Stat: spec.stat,
          },
          ReturnData: true,
        });
      }
    });

    const merged = new Map<string, MetricDataResult>();
    await mapLimited(chunk(queries, MAX_QUERIES_PER_CALL), this.limiter, async (batch) => {
      let nextToken: string | undefined;
      // A call returns at most 100,800 points; past that CloudWatch pages with NextToken.
      do {
        const response = await callAws('cloudwatch', 'GetMetricData', () =>
          this.client.send(
            new GetMetricDataCommand({
              MetricDataQueries: batch,
              StartTime: new Date(query.start),
              EndTime: new Date(query.end),
              ScanBy: 'TimestampAscending',
              NextToken: nextToken,
            }),
          ),
        );
        for (const result of response.MetricDataResults ?? []) {
          if (result.Id === undefined || !owner.has(result.Id)) continue;
          const seen = merged.get(result.Id);
          if (seen === undefined) {
            merged.set(result.Id, { ...result, Timestamps: [...(result.Timestamps ?? [])], Values: [...(result.Values ?? [])] });
          } else {
            seen.Timestamps?.push(...(result.Timestamps ?? []));
            seen.Values?.push(...(result.Values ?? []));
            seen.StatusCode = result.StatusCode;
          }
        }
        nextToken = response.NextToken;
      } while (nextToken);
    });

    // Results in a fixed order (the instance's metrics as METRIC_NAMES lists them), whatever
    // order the pages came in, so a capture is byte-for-byte reproducible.
    const byInstance = new Map<string, MetricDataResult[]>();
    instanceIds.forEach((instanceId, n) => {
      const results: MetricDataResult[] = [];
      for (const metric of METRIC_NAMES) {
        const result = merged.get(`${metric}_${n}`);
        if (result !== undefined) results.push({ ...result, Id: metric, Label: METRIC_SPECS[metric].metricName });
      }
      byInstance.set(instanceId, results);
    });
    return byInstance;
  }
}
