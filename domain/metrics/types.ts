import type { MetricName, MetricPoint } from '../inputs.js';

export interface Anomaly extends MetricPoint {
  /** Robust z-score: 0.6745 * (v - median) / MAD. */
  readonly score: number;
}

export interface SeriesSummary {
  readonly metric: MetricName;
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

export type MetricsSummary = Readonly<Record<MetricName, SeriesSummary>>;
