/** Summaries of CloudWatch series: location, spread, trend and robust anomalies. */
import { METRIC_NAMES } from '../fleet-facts.js';
import type { InstanceMetrics, MetricName, MetricPoint } from '../fleet-facts.js';
import { HOUR_MS } from '../time.js';

/** 0.6745 is the 0.75 quantile of the standard normal: it scales MAD to a standard deviation. */
const MAD_SCALE = 0.6745;
/** sqrt(pi / 2): scales a mean absolute deviation to a standard deviation under normality. */
const MEAN_AD_SCALE = 1.253314;

/**
 * Summarizes one series. Points with a non-finite time or value are ignored.
 *
 * - p95: linear interpolation between the closest ranks (Hyndman–Fan type 7, as NumPy's and
 *   Excel's PERCENTILE.INC default): rank h = 0.95 (n - 1) over the sorted values.
 * - trendPerHour: least-squares slope of value over time in hours; null under two distinct times.
 * - anomalies (Iglewicz–Hoaglin): modified z-score 0.6745 (x - median) / MAD, flagged when its
 *   absolute value exceeds `anomalyThreshold` (3.5 by convention). When MAD is 0 (over half the
 *   points equal), z = (x - median) / (1.253314 * mean absolute deviation from the median); when
 *   that is 0 as well the series is constant and nothing is anomalous. Sorted by time.
 *
 * An empty series has count 0, null statistics and no anomalies.
 */
export function summarizeSeries(metric: MetricName, points: readonly MetricPoint[], anomalyThreshold: number): SeriesSummary {
  const data = points.filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v)).sort((a, b) => a.t - b.t);
  const n = data.length;
  const unit = METRIC_UNITS[metric];
  if (n === 0) return { metric, unit, count: 0, mean: null, min: null, max: null, p95: null, trendPerHour: null, anomalies: [] };
  const values = data.map((p) => p.v);
  const sorted = [...values].sort((a, b) => a - b);
  return {
    metric,
    unit,
    count: n,
    mean: mean(values),
    min: sorted[0] ?? null,
    max: sorted[n - 1] ?? null,
    p95: quantile(sorted, 0.95),
    trendPerHour: slopePerHour(data),
    anomalies: anomalies(data, sorted, anomalyThreshold),
  };
}

/** Summarizes every metric of `METRIC_NAMES`; an absent metric summarizes as empty. */
export function summarizeMetrics(metrics: InstanceMetrics, anomalyThreshold: number): MetricsSummary {
  const out = {} as Record<MetricName, SeriesSummary>;
  for (const name of METRIC_NAMES) out[name] = summarizeSeries(name, metrics[name] ?? [], anomalyThreshold);
  return out;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Type 7 quantile of ascending, non-empty `sorted`. */
function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const below = sorted[lo] ?? 0;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)] ?? below;
  return below + (h - lo) * (above - below);
}

function slopePerHour(data: readonly MetricPoint[]): number | null {
  // Hours since the first point keep the sums small, so the slope does not lose precision to
  // epoch-sized times.
  const t0 = data[0]?.t ?? 0;
  const xs = data.map((p) => (p.t - t0) / HOUR_MS);
  const ys = data.map((p) => p.v);
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * ((ys[i] ?? 0) - my);
    sxx += (x - mx) ** 2;
  });
  return sxx === 0 ? null : sxy / sxx;
}

function anomalies(data: readonly MetricPoint[], sorted: readonly number[], threshold: number): Anomaly[] {
  const median = quantile(sorted, 0.5);
  const deviations = sorted.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
  const mad = quantile(deviations, 0.5);
  const meanAd = mean(deviations);
  let score: (v: number) => number;
  if (mad > 0) score = (v) => (MAD_SCALE * (v - median)) / mad;
  else if (meanAd > 0) score = (v) => (v - median) / (MEAN_AD_SCALE * meanAd);
  else return [];
  return data.flatMap((p) => {
    const z = score(p.v);
    return Math.abs(z) > threshold ? [{ t: p.t, v: p.v, score: z }] : [];
  });
}

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
