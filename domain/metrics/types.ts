/** Summaries of CloudWatch series (docs/decision-model.md "Metrics"). */
import type { MetricName, MetricPoint } from '../inputs.js';

/** A point whose robust z-score is beyond the threshold, in either direction. */
export interface Anomaly extends MetricPoint {
  /**
   * Signed robust z-score: 0.6745 * (v - median) / MAD, or (v - median) / (1.253314 * mean
   * absolute deviation) when MAD is 0.
   */
  readonly score: number;
}

/** One metric over the window given. */
/** The unit of each metric's values (CloudWatch's own: NetworkIn/Out are bytes per period). */
export type MetricUnit = 'Percent' | 'Bytes' | 'Count';
export const METRIC_UNITS: Readonly<Record<MetricName, MetricUnit>> = { cpu: 'Percent', networkIn: 'Bytes', networkOut: 'Bytes', statusCheckFailed: 'Count' };

export interface SeriesSummary {
  readonly metric: MetricName;
  /** The unit of mean, min, max, p95 and the anomalies' values (trendPerHour: this unit per hour). */
  readonly unit: MetricUnit;
  readonly count: number;
  /** null when there are no points. */
  readonly mean: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly p95: number | null;
  /** Least-squares slope, units per hour. */
  readonly trendPerHour: number | null;
  readonly anomalies: readonly Anomaly[];
}

/** Every metric, absent ones as empty summaries. */
export type MetricsSummary = Readonly<Record<MetricName, SeriesSummary>>;
