import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchClient, MetricDatum, StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { Instant } from '../../../domain/time.js';
import type { FleetFigures, MetricsPublisher } from '../../../ports/outbound/metrics-publisher.port.js';
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
}
