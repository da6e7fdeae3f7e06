import { expect } from 'chai';
import fc from 'fast-check';
import type { MetricPoint } from '../../../../domain/fleet-facts.js';
import { summarizeMetrics, summarizeSeries } from '../../../../domain/metrics/summary.js';
import { HOUR_MS } from '../../../../domain/time.js';
import { T0 } from '../../../builders.js';

/** Hourly points from T0 with the values given. */
function hourly(values: readonly number[]): MetricPoint[] {
  return values.map((v, i) => ({ t: T0 + i * HOUR_MS, v }));
}

/** Deterministic uniform noise in [-1, 1) (a linear congruential generator), so the test is stable. */
function noise(n: number, seed = 42): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

describe('summarizeSeries', () => {
  it('computes mean, min, max and p95 by linear interpolation between closest ranks', () => {
    const values = Array.from({ length: 20 }, (_, i) => 20 - i);

    const s = summarizeSeries('cpu', hourly(values), 3.5);

    expect(s).to.deep.include({ metric: 'cpu', count: 20, mean: 10.5, min: 1, max: 20 });
    expect(s.p95).to.be.closeTo(19.05, 1e-9);
  });

  it('gives the least-squares slope per hour', () => {
    const s = summarizeSeries('networkIn', hourly(Array.from({ length: 48 }, (_, i) => 5 + 2 * i)), 3.5);

    expect(s.trendPerHour).to.be.closeTo(2, 1e-9);
  });

  it('measures the trend in hours whatever the sampling period', () => {
    const points = Array.from({ length: 12 }, (_, i) => ({ t: T0 + i * 5 * 60_000, v: i }));

    expect(summarizeSeries('cpu', points, 3.5).trendPerHour).to.be.closeTo(12, 1e-9);
  });

  it('flags an obvious spike with its robust z-score', () => {
    const values = noise(100).map((n) => 30 + 5 * n);
    values[60] = 95;

    const s = summarizeSeries('cpu', hourly(values), 3.5);

    expect(s.anomalies.map((a) => a.t)).to.deep.equal([T0 + 60 * HOUR_MS]);
    expect(s.anomalies[0]?.v).to.equal(95);
    expect(s.anomalies[0]?.score).to.be.above(3.5);
  });

  it('flags a drop as well as a spike', () => {
    const values = noise(100).map((n) => 50 + 5 * n);
    values[10] = 0;

    const s = summarizeSeries('cpu', hourly(values), 3.5);

    expect(s.anomalies.map((a) => a.v)).to.deep.equal([0]);
    expect(s.anomalies[0]?.score).to.be.below(-3.5);
  });

  it('flags the outlier of a constant series through the mean absolute deviation when MAD is 0', () => {
    const values = new Array<number>(30).fill(0);
    values[12] = 1;

    const s = summarizeSeries('statusCheckFailed', hourly(values), 3.5);

    expect(s.anomalies).to.have.length(1);
    expect(s.anomalies[0]).to.deep.include({ t: T0 + 12 * HOUR_MS, v: 1 });
    expect(s.anomalies[0]?.score).to.be.closeTo(30 / 1.253314, 1e-6);
  });

  it('flags nothing in a constant series', () => {
    expect(summarizeSeries('cpu', hourly(new Array<number>(50).fill(7)), 3.5).anomalies).to.deep.equal([]);
  });

  it('flags nothing in ordinary bounded noise around a daily cycle', () => {
    const values = noise(24 * 14).map((n, i) => 40 + 15 * Math.sin((2 * Math.PI * i) / 24) + 4 * n);

    expect(summarizeSeries('cpu', hourly(values), 3.5).anomalies).to.deep.equal([]);
  });

  it('respects the threshold given', () => {
    const values = noise(100).map((n) => 30 + 5 * n);
    values[60] = 50;

    expect(summarizeSeries('cpu', hourly(values), 3.5).anomalies).to.have.length(1);
    expect(summarizeSeries('cpu', hourly(values), 10).anomalies).to.have.length(0);
  });

  it('summarizes an empty series as count 0 and nulls', () => {
    expect(summarizeSeries('networkOut', [], 3.5)).to.deep.equal({
      metric: 'networkOut', unit: 'Bytes', count: 0, mean: null, min: null, max: null, p95: null, trendPerHour: null, anomalies: [],
    });
  });

  it('has no trend for a single point', () => {
    expect(summarizeSeries('cpu', hourly([3]), 3.5)).to.deep.include({ count: 1, mean: 3, p95: 3, trendPerHour: null });
  });

  it('keeps its statistics in range and its anomalies beyond the threshold (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }), (values) => {
        const s = summarizeSeries('cpu', hourly(values), 3.5);

        const [min, max] = [Math.min(...values), Math.max(...values)];
        const eps = 1e-9 * Math.max(1, Math.abs(min), Math.abs(max));
        expect(s.min).to.equal(min);
        expect(s.max).to.equal(max);
        expect(s.mean).to.be.within(min - eps, max + eps);
        expect(s.p95).to.be.within(min, max);
        for (const a of s.anomalies) expect(Math.abs(a.score)).to.be.above(3.5);
      }),
    );
  });
});

describe('summarizeMetrics', () => {
  it('summarizes all four metrics, an absent one as empty', () => {
    const summary = summarizeMetrics({ cpu: hourly([1, 2, 3]) }, 3.5);

    expect(Object.keys(summary)).to.have.members(['cpu', 'networkIn', 'networkOut', 'statusCheckFailed']);
    expect(summary.cpu.mean).to.equal(2);
    expect(summary.statusCheckFailed).to.deep.include({ metric: 'statusCheckFailed', count: 0, mean: null });
  });
});
