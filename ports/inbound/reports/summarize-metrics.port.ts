/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { MetricsSummary } from '../../../domain/metrics/summary.js';
import type { LookBackReportHeader } from './look-back-report.port.js';

export interface MetricsReport extends LookBackReportHeader {
  readonly periodSeconds: number;
  readonly metrics: MetricsSummary;
  readonly warnings: readonly string[];
}
