/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { MetricsSummary } from '../../../domain/metrics/summary.js';
import type { MetricName } from '../../../domain/fleet-facts.js';
import type { LookBackReportHeader } from './look-back-report.port.js';

/** What a metrics report is asked for. */
export interface MetricsRequest {
  readonly instance: string;
  /** Look back this many hours (default 24). */
  readonly hours?: number;
  /** Also return the points themselves (`series`), for charts. Off by default: summaries only. */
  readonly series?: boolean;
}

/** One point of a series: ISO time and value. */
export interface SeriesPointReport {
  readonly t: string;
  readonly v: number;
}

export interface MetricsReport extends LookBackReportHeader {
  readonly periodSeconds: number;
  readonly metrics: MetricsSummary;
  readonly warnings: readonly string[];
  /** The points of every metric, oldest first; only when the request asked for `series`. */
  readonly series?: Readonly<Record<MetricName, readonly SeriesPointReport[]>>;
}
