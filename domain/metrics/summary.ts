import type { InstanceMetrics, MetricName, MetricPoint } from '../inputs.js';
import type { MetricsSummary, SeriesSummary } from './types.js';

export function summarizeSeries(metric: MetricName, points: readonly MetricPoint[], anomalyThreshold: number): SeriesSummary {
  void metric; void points; void anomalyThreshold;
  throw new Error('TODO');
}

export function summarizeMetrics(metrics: InstanceMetrics, anomalyThreshold: number): MetricsSummary {
  void metrics; void anomalyThreshold;
  throw new Error('TODO');
}
