import type { InstanceMetrics, MetricName, MetricPoint } from '../../../domain/fleet-facts.js';
import type { Instant } from '../../../domain/time.js';
import type { MetricsQuery, MetricsSource } from '../../../ports/outbound/metrics-source.port.js';
import type { SnapshotDirectory } from './snapshot-directory.js';

/**
 * CloudWatch series from `cloudwatch/<instance-id>.json` (optional per instance: a missing file is
 * no data). Points are cut to the query's [start, end); the period is the capture's own, since a
 * snapshot cannot be re-aggregated finer and coarser is the caller's choice.
 */
export class SnapshotMetricsSource implements MetricsSource {
  constructor(private readonly snapshot: SnapshotDirectory) {}

  async getInstanceMetrics(query: MetricsQuery): Promise<ReadonlyMap<string, InstanceMetrics>> {
    const out = new Map<string, InstanceMetrics>();
    // A bounded number of files in flight: a fleet of thousands must not run out of descriptors.
    for (let i = 0; i < query.instanceIds.length; i += PARALLEL_READS) {
      const ids = query.instanceIds.slice(i, i + PARALLEL_READS);
      const all = await Promise.all(ids.map((id) => this.snapshot.metrics(id)));
      ids.forEach((id, j) => {
        const metrics = all[j];
        out.set(id, metrics ? window(metrics, query.start, query.end) : {});
      });
    }
    return out;
  }
}

const PARALLEL_READS = 32;

function window(metrics: InstanceMetrics, start: Instant, end: Instant): InstanceMetrics {
  const out: Partial<Record<MetricName, readonly MetricPoint[]>> = {};
  for (const key of Object.keys(metrics) as MetricName[]) {
    const points = metrics[key];
    if (points === undefined) continue;
    out[key] = points.slice(lowerBound(points, start), lowerBound(points, end));
  }
  return out;
}

/** First index whose time is at or after t (points are sorted ascending). */
function lowerBound(points: readonly MetricPoint[], t: Instant): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((points[mid] as MetricPoint).t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
