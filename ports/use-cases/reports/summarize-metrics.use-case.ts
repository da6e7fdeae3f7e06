import { MAX_LOOKBACK_HOURS } from '../../../domain/vocabulary.js';
import { summarizeMetrics } from '../../../domain/metrics/summary.js';
import { METRIC_NAMES, type InstanceMetrics, type MetricName } from '../../../domain/fleet-facts.js';
import type { CoreDependencies } from '../shared/core-dependencies.js';
import { lookBack } from './look-back.js';
import { addSourceWarnings, secondary } from '../shared/warnings.js';
import type { MetricsReport, MetricsRequest, SeriesPointReport } from '../../inbound/reports/summarize-metrics.port.js';

/** CPU, network and status-check summaries for one instance, with robust anomalies. */
export class SummarizeMetrics {
  constructor(private readonly deps: CoreDependencies) {}

  async execute(request: MetricsRequest): Promise<MetricsReport> {
    const { asset, hours, start, end, header, warnings } = await lookBack(this.deps, request, MAX_LOOKBACK_HOURS);
    // Five-minute points over a day (basic monitoring), hourly beyond: enough points for a
    // robust median without exceeding CloudWatch's per-series limits.
    const periodSeconds = hours <= 24 ? 300 : 3600;
    const series = await secondary(
      warnings, 'cloudwatch', 'GetMetricData',
      () => this.deps.metrics.getInstanceMetrics({ instanceIds: [asset.instanceId], start, end, periodSeconds }),
      new Map<string, InstanceMetrics>(),
    );
    const data = series.get(asset.instanceId) ?? {};
    const metrics = summarizeMetrics(data, this.deps.policy.metrics.anomalyThreshold);
    if (Object.values(metrics).every((m) => m.count === 0)) warnings.push(`no metric data for ${asset.instanceId} in the last ${hours} h`);
    // The period of the points themselves: a snapshot (or a source that keeps coarser data) may
    // hold hourly points where five-minute ones were asked for.
    return {
      ...header,
      periodSeconds: observedPeriodSeconds(data) ?? periodSeconds,
      metrics,
      warnings: addSourceWarnings(warnings, this.deps.source),
      ...(request.series === true ? { series: seriesOf(data) } : {}),
    };
  }
}

/** The most common spacing between consecutive points, in seconds; null with fewer than two points. */
export function observedPeriodSeconds(data: InstanceMetrics): number | null {
  const gaps = new Map<number, number>();
  for (const points of Object.values(data)) {
    const ts = (points ?? []).map((p) => p.t).filter(Number.isFinite).sort((a, b) => a - b);
    for (let i = 1; i < ts.length; i++) {
      const gap = Math.round(((ts[i] as number) - (ts[i - 1] as number)) / 1000);
      if (gap > 0) gaps.set(gap, (gaps.get(gap) ?? 0) + 1);
    }
  }
  let best: number | null = null;
  let most = 0;
  for (const [gap, n] of gaps) if (n > most || (n === most && best !== null && gap < best)) [best, most] = [gap, n];
  return best;
}

/** Every metric's finite points, oldest first, with ISO times (the chart's input). */
export function seriesOf(data: InstanceMetrics): Record<MetricName, SeriesPointReport[]> {
  const out = {} as Record<MetricName, SeriesPointReport[]>;
  for (const name of METRIC_NAMES) {
    out[name] = (data[name] ?? [])
      .filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v))
      .sort((a, b) => a.t - b.t)
      .map((p) => ({ t: new Date(p.t).toISOString(), v: p.v }));
  }
  return out;
}
