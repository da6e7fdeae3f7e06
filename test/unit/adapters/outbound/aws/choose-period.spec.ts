import { expect } from 'chai';
import { choosePeriodSeconds, MAX_POINTS_PER_QUERY } from '../../../../../adapters/outbound/aws/cloudwatch-metrics-source.js';
import { DAY_MS, HOUR_MS } from '../../../../../domain/time.js';

const NOW = Date.parse('2026-11-20T00:00:00Z');

describe('choosePeriodSeconds', () => {
  it('keeps a requested period that fits', () => {
    expect(choosePeriodSeconds(NOW - 14 * DAY_MS, NOW, 3600, NOW)).to.equal(3600);
  });

  it('rounds up to a multiple of 60 and to at least 60', () => {
    expect(choosePeriodSeconds(NOW - HOUR_MS, NOW, 1, NOW)).to.equal(60);
    expect(choosePeriodSeconds(NOW - HOUR_MS, NOW, 90, NOW)).to.equal(120);
  });

  it('widens the period until the window holds at most 1,440 points', () => {
    const start = NOW - 14 * DAY_MS;

    const period = choosePeriodSeconds(start, NOW, 300, NOW);

    expect(period).to.equal(840);
    expect((NOW - start) / 1000 / period).to.be.at.most(MAX_POINTS_PER_QUERY);
  });

  it("respects CloudWatch's retention of fine points for old windows", () => {
    expect(choosePeriodSeconds(NOW - 20 * DAY_MS, NOW - 19 * DAY_MS, 60, NOW)).to.equal(300);
    expect(choosePeriodSeconds(NOW - 70 * DAY_MS, NOW - 69 * DAY_MS, 60, NOW)).to.equal(3600);
  });
});
