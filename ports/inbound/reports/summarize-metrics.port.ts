/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { MetricsSummary } from '../../../domain/metrics/summary.js';
import type { InstantBasis } from '../../outbound/source-info.port.js';

export interface MetricsReport {
  readonly generatedAt: string;
  readonly asOf: InstantBasis;
  readonly source: string;
  readonly instanceId: string;
  readonly name: string | null;
  readonly hours: number;
  readonly start: string;
  readonly end: string;
  readonly periodSeconds: number;
  readonly metrics: MetricsSummary;
  readonly warnings: readonly string[];
}
