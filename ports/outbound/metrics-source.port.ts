import type { InstanceMetrics } from '../../domain/fleet-facts.js';
import type { Instant } from '../../domain/time.js';

export interface MetricsQuery {
  readonly instanceIds: readonly string[];
  readonly start: Instant;
  readonly end: Instant;
  /** Seconds per data point; the adapter may widen it to fit the service's limits. */
  readonly periodSeconds: number;
}

/**
 * CloudWatch EC2 metrics (CPUUtilization, NetworkIn, NetworkOut, StatusCheckFailed) per instance.
 * A secondary source: a failure becomes a warning.
 */
export interface MetricsSource {
  /** Series by instance id; an instance with no data maps to an empty object or is absent. */
  getInstanceMetrics(query: MetricsQuery): Promise<ReadonlyMap<string, InstanceMetrics>>;
}
