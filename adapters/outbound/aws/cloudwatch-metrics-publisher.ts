import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchClient, MetricDatum, StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { Instant } from '../../../domain/time.js';
import type { FleetFigures, MetricsPublisher, TrendFigures } from '../../../ports/outbound/metrics-publisher.port.js';
import { callAws } from './aws-errors.js';

/** The namespace the infrastructure's alarms and dashboard read (infra/lib/monitoring-stack.ts). */
export const DEFAULT_METRICS_NAMESPACE = 'SRE/Operations';

/** CloudWatch metric name and unit of each figure; the alarms name the same metrics. */
export const FLEET_METRICS: Readonly<Record<keyof FleetFigures, { readonly name: string; readonly unit: StandardUnit }>> = {
  actNow: { name: 'ActNowCount', unit: 'Count' },
  overdue: { name: 'OverdueCount', unit: 'Count' },
  criticalFindings: { name: 'CriticalFindings', unit: 'Count' },
  patchCompliancePercent: { name: 'PatchCompliancePercent', unit: 'Percent' },
};

/**
 * The trend's metrics (docs/history.md): one series per decision (dimension Decision) and per SSVC
 * outcome (dimension SsvcOutcome); the mean time to remediate in hours (CloudWatch has no hour unit).
 */
export const TREND_METRICS = {
  byDecision: { name: 'InstancesByDecision', dimension: 'Decision', unit: 'Count' },
  bySsvc: { name: 'FindingsBySsvcOutcome', dimension: 'SsvcOutcome', unit: 'Count' },
  resolved: { name: 'ResolvedFindings', unit: 'Count' },
  meanHoursToRemediate: { name: 'MeanHoursToRemediate', dimension: 'SsvcOutcome', unit: 'None' },
} as const satisfies Record<keyof TrendFigures, { readonly name: string; readonly dimension?: string; readonly unit: StandardUnit }>;

export interface CloudWatchMetricsPublisherOptions {
  /** Default SRE/Operations. */
  readonly namespace?: string;
}

/**
 * CloudWatch PutMetricData: the four fleet figures in one call, without dimensions (one fleet per
 * account and region), at the instant they describe.
 */
export class CloudWatchMetricsPublisher implements MetricsPublisher {
  private readonly namespace: string;

  constructor(private readonly client: CloudWatchClient, options: CloudWatchMetricsPublisherOptions = {}) {
    this.namespace = options.namespace ?? DEFAULT_METRICS_NAMESPACE;
  }

  async publishFleetFigures(figures: FleetFigures, at: Instant): Promise<void> {
    const timestamp = new Date(at);
    const data: MetricDatum[] = [];
    for (const key of Object.keys(FLEET_METRICS) as (keyof FleetFigures)[]) {
      const value = figures[key];
      if (value === null) continue;
      if (!Number.isFinite(value)) throw new RangeError(`fleet figure ${key} must be a finite number, got ${value}`);
      data.push({ MetricName: FLEET_METRICS[key].name, Unit: FLEET_METRICS[key].unit, Value: value, Timestamp: timestamp });
    }
    await callAws('cloudwatch', 'PutMetricData', () => this.client.send(new PutMetricDataCommand({ Namespace: this.namespace, MetricData: data })));
  }

  async publishTrendFigures(figures: TrendFigures, at: Instant): Promise<void> {
    const Timestamp = new Date(at);
    const data: MetricDatum[] = [];
    const datum = (metric: { readonly name: string; readonly unit: StandardUnit }, label: string, value: number, dimension?: { name: string; value: string }): void => {
      if (!Number.isFinite(value)) throw new RangeError(`trend figure ${label} must be a finite number, got ${value}`);
      data.push({ MetricName: metric.name, Unit: metric.unit, Value: value, Timestamp, ...(dimension ? { Dimensions: [{ Name: dimension.name, Value: dimension.value }] } : {}) });
    };
    for (const [kind, n] of Object.entries(figures.byDecision)) datum(TREND_METRICS.byDecision, `byDecision.${kind}`, n, { name: TREND_METRICS.byDecision.dimension, value: kind });
    for (const [outcome, n] of Object.entries(figures.bySsvc)) datum(TREND_METRICS.bySsvc, `bySsvc.${outcome}`, n, { name: TREND_METRICS.bySsvc.dimension, value: outcome });
    datum(TREND_METRICS.resolved, 'resolved', figures.resolved);
    for (const [outcome, hours] of Object.entries(figures.meanHoursToRemediate)) {
      if (hours !== null) datum(TREND_METRICS.meanHoursToRemediate, `meanHoursToRemediate.${outcome}`, hours, { name: TREND_METRICS.meanHoursToRemediate.dimension, value: outcome });
    }
    // PutMetricData takes up to 1000 data in one call; this is at most 6 + 4 + 1 + 4.
    await callAws('cloudwatch', 'PutMetricData', () => this.client.send(new PutMetricDataCommand({ Namespace: this.namespace, MetricData: data })));
  }
}
