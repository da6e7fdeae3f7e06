/** CloudWatch GetMetricData output to domain metric series. */
import type { InstanceMetrics, MetricName, MetricPoint } from '../../../domain/fleet-facts.js';
import type { ShapeContext } from './read.js';
import { asObject, fail, optArray, optString, parseTimestamp, TIMESTAMP } from './read.js';

const CTX: ShapeContext = { service: 'cloudwatch', operation: 'GetMetricData' };

/** The GetMetricData query id of each metric, as the snapshot contract names them. */
export const METRIC_QUERY_IDS: Readonly<Record<string, MetricName>> = {
  cpu: 'cpu',
  networkIn: 'networkIn',
  networkOut: 'networkOut',
  statusCheckFailed: 'statusCheckFailed',
};

/** Resolves a query id to the metric it carries; undefined or null skips the result. */
export type MetricOfQueryId = (id: string) => MetricName | null | undefined;

const byContractId: MetricOfQueryId = (id) => (Object.hasOwn(METRIC_QUERY_IDS, id) ? METRIC_QUERY_IDS[id] : null);

/**
 * Maps `MetricDataResults[]` to series per metric, each sorted by time ascending (CloudWatch
 * returns newest first by default). Results whose id is unknown are skipped; results with the
 * same id (successive pages) are merged.
 * @param path JSON path of `results`, for errors, e.g. `$.MetricDataResults`.
 * @param metricOf resolves query ids; by default the ids cpu, networkIn, networkOut and
 *   statusCheckFailed. A live adapter that batches several instances in one call passes its own.
 * @throws ShapeError when Timestamps and Values are not arrays of equal length, or hold a non-timestamp / non-number.
 */
export function mapMetricDataResults(results: unknown, path: string, metricOf: MetricOfQueryId = byContractId): InstanceMetrics {
  if (!Array.isArray(results)) fail(CTX, path, 'an array', results);
  const out: Partial<Record<MetricName, MetricPoint[]>> = {};
  for (let r = 0; r < results.length; r++) {
    const rPath = `${path}[${r}]`;
    const o = asObject(CTX, results[r], rPath);
    const id = optString(CTX, o, 'Id', rPath);
    const metric = id === null ? null : metricOf(id);
    if (metric === null || metric === undefined) continue;
    const ts = optArray(CTX, o, 'Timestamps', rPath);
    const vs = optArray(CTX, o, 'Values', rPath);
    if (ts.length !== vs.length) fail(CTX, `${rPath}.Values`, `an array as long as Timestamps (${ts.length})`, vs);
    const points = out[metric] ?? (out[metric] = []);
    for (let i = 0; i < ts.length; i++) {
      const t = parseTimestamp(ts[i]);
      if (t === null) fail(CTX, `${rPath}.Timestamps[${i}]`, TIMESTAMP, ts[i]);
      const v = vs[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(CTX, `${rPath}.Values[${i}]`, 'a number', v);
      points.push({ t, v });
    }
  }
  for (const key in out) sortAscending(out[key as MetricName] as MetricPoint[]);
  return out;
}

// The common cases (already ascending, or strictly newest first) cost one pass and no sort.
function sortAscending(points: MetricPoint[]): void {
  let ascending = true;
  let descending = true;
  for (let i = 1; i < points.length && (ascending || descending); i++) {
    const d = (points[i] as MetricPoint).t - (points[i - 1] as MetricPoint).t;
    if (d < 0) ascending = false;
    if (d > 0) descending = false;
  }
  if (ascending) return;
  if (descending) points.reverse();
  else points.sort((a, b) => a.t - b.t);
}
