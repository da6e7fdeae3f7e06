import { expect } from 'chai';
import fc from 'fast-check';
import type { MetricPoint } from '../../../../domain/fleet-facts.js';
import { DAY_MS, HOUR_MS } from '../../../../domain/time.js';
import { choosePatchWindow, nextOccurrence, slotOf, weeklyCpuProfile, WEEK_MS } from '../../../../domain/patch/window.js';
import { NEXT_SUNDAY, NOW, aPolicy, busyWeekWith, cpuWeeks, slot } from './plan-builders.js';

/** Sun 02:00–05:00 at 3% and Thu 01:00–04:00 at 10%: the quietest and the runner-up. */
const QUIET = busyWeekWith({
  [slot(0, 2)]: 3, [slot(0, 3)]: 3, [slot(0, 4)]: 3,
  [slot(4, 1)]: 10, [slot(4, 2)]: 10, [slot(4, 3)]: 10,
});
const cpu = cpuWeeks(NOW, 14, QUIET);
const SUN_0200 = NEXT_SUNDAY + 2 * HOUR_MS;
const THU_0100 = NEXT_SUNDAY - 3 * DAY_MS + HOUR_MS;

describe('slotOf / nextOccurrence', () => {
  it('counts hour-of-week slots from Sunday 00:00 UTC', () => {
    expect(slotOf(NEXT_SUNDAY)).to.equal(0);
    expect(slotOf(NOW)).to.equal(slot(3, 12));
    expect(slotOf(NEXT_SUNDAY - 1)).to.equal(167);
  });

  it('finds the next start of a slot at or after an instant', () => {
    expect(nextOccurrence(slot(0, 2), NOW)).to.equal(SUN_0200);
    expect(nextOccurrence(slot(3, 12), NOW)).to.equal(NOW);
    expect(nextOccurrence(slot(3, 11), NOW)).to.equal(NOW - HOUR_MS + WEEK_MS);
  });
});

describe('weeklyCpuProfile', () => {
  it('averages points per clock hour before averaging per slot', () => {
    const hourA = NEXT_SUNDAY - 7 * DAY_MS + 5 * HOUR_MS;
    const perMinute: MetricPoint[] = Array.from({ length: 60 }, (_, i) => ({ t: hourA + i * 60_000, v: 10 }));
    const points = [{ t: hourA - 7 * DAY_MS, v: 30 }, ...perMinute];

    const profile = weeklyCpuProfile(points, NOW, 14);

    expect(profile.slots[slot(0, 5)]).to.equal(20);
    expect(profile.hours).to.equal(2);
    expect(profile.slots[slot(0, 6)]).to.equal(null);
  });

  it('ignores points older than the history days and points from the future', () => {
    const points = [{ t: NOW - 15 * DAY_MS, v: 1 }, { t: NOW + HOUR_MS, v: 1 }, { t: NOW - HOUR_MS, v: 5 }];

    const profile = weeklyCpuProfile(points, NOW, 14);

    expect(profile.hours).to.equal(1);
    expect(profile.slots[slot(3, 11)]).to.equal(5);
  });
});

describe('choosePatchWindow', () => {
  const policy = aPolicy();

  it('takes the next occurrence of the quietest 3 h of a synthetic CPU week', () => {
    const choice = choosePatchWindow({ decision: 'next-window', dueBy: null, cpu }, NOW, policy);

    expect(choice.window.source).to.equal('cpu-history');
    expect(choice.window.start).to.equal(SUN_0200);
    expect(choice.window.end).to.equal(SUN_0200 + 3 * HOUR_MS);
    expect(choice.window.why).to.equal('quietest 3 h of the week: Sun 02:00–05:00 UTC, mean CPU 3.0% over 14 days');
    expect(choice.lateBy).to.equal(null);
    expect(choice.fallback).to.equal(null);
  });

  it('finds a quiet window that wraps from Saturday into Sunday', () => {
    const wrap = cpuWeeks(NOW, 14, busyWeekWith({ [slot(6, 23)]: 1, [slot(0, 0)]: 1, [slot(0, 1)]: 1 }));

    const choice = choosePatchWindow({ decision: 'routine', dueBy: null, cpu: wrap }, NOW, policy);

    expect(choice.window.start).to.equal(NEXT_SUNDAY - HOUR_MS);
    expect(choice.window.why).to.contain('Sat 23:00–02:00 UTC');
  });

  it('only considers runs of hours the history has seen', () => {
    const fourDays = cpuWeeks(NOW, 4, () => 50);

    const choice = choosePatchWindow({ decision: 'routine', dueBy: null, cpu: fourDays }, NOW, policy);

    expect(choice.window.start).to.equal(NEXT_SUNDAY - 12 * HOUR_MS);
    expect(choice.window.why).to.equal('quietest 3 h of the week: Sat 12:00–15:00 UTC, mean CPU 50.0% over 4 days');
  });

  it('takes another quiet slot when the quietest starts after the due date', () => {
    const choice = choosePatchWindow({ decision: 'next-window', dueBy: NEXT_SUNDAY, cpu }, NOW, policy);

    expect(choice.window.source).to.equal('cpu-history');
    expect(choice.window.start).to.equal(THU_0100);
    expect(choice.window.why).to.contain('that fits: Thu 01:00–04:00 UTC, mean CPU 10.0%');
    expect(choice.window.why).to.contain('Sun 02:00–05:00 UTC at 3.0%, starts after the due date 2026-11-08 00:00 UTC');
  });

  it('prefers a window that ends by the due date to a quieter one that would end after it', () => {
    const dueBy = SUN_0200 + 2 * HOUR_MS;

    const choice = choosePatchWindow({ decision: 'next-window', dueBy, cpu }, NOW, policy);

    expect(choice.window.start).to.equal(THU_0100);
    expect(choice.window.why).to.contain('ends after the due date');
    expect(choice.lateBy).to.equal(null);
  });

  it('starts before a due date too close for any window to end in time, and says how late it ends', () => {
    const dueBy = NOW + 2 * HOUR_MS;

    const choice = choosePatchWindow({ decision: 'next-window', dueBy, cpu }, NOW, policy);

    expect(choice.window.source).to.equal('cpu-history');
    expect(choice.window.start).to.be.below(dueBy);
    expect(choice.lateBy).to.equal(choice.window.end - dueBy);
    expect(choice.window.why).to.contain('after the due date 2026-11-04 14:00 UTC');
  });

  it('falls back to the default window, marked late, when the due date has passed', () => {
    const dueBy = NOW - DAY_MS;

    const choice = choosePatchWindow({ decision: 'next-window', dueBy, cpu }, NOW, policy);

    expect(choice.window.source).to.equal('default');
    expect(choice.fallback).to.equal('nothing-fits');
    expect(choice.window.start).to.equal(NEXT_SUNDAY + 3 * HOUR_MS);
    expect(choice.lateBy).to.equal(NEXT_SUNDAY + 6 * HOUR_MS - dueBy);
    expect(choice.window.why).to.contain('the due date 2026-11-03 12:00 UTC has passed');
  });

  it('skips the quietest slot when a freeze overlaps it and takes the next best', () => {
    const freeze = { start: '2026-11-07T22:00:00Z', end: '2026-11-08T06:00:00Z', reason: 'release' };

    const choice = choosePatchWindow({ decision: 'routine', dueBy: null, cpu }, NOW, aPolicy({ freezeWindows: [freeze] }));

    expect(choice.window.start).to.equal(THU_0100);
    expect(choice.avoidedFreezes).to.deep.equal([freeze]);
    expect(choice.window.why).to.contain('overlaps freeze "release"');
  });

  it('reads a freeze written without an offset as UTC, whatever the host time zone', () => {
    const saved = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
    try {
      const freeze = { start: '2026-11-08T01:00:00', end: '2026-11-08T03:00:00', reason: 'release' };

      const choice = choosePatchWindow({ decision: 'routine', dueBy: null, cpu }, NOW, aPolicy({ freezeWindows: [freeze] }));

      expect(choice.window.start).to.equal(THU_0100);
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });

  it('falls back to the default window without CPU history, saying so', () => {
    const choice = choosePatchWindow({ decision: 'next-window', dueBy: null, cpu: undefined }, NOW, policy);

    expect(choice.window.source).to.equal('default');
    expect(choice.fallback).to.equal('no-history');
    expect(choice.window.start).to.equal(NEXT_SUNDAY + 3 * HOUR_MS);
    expect(choice.window.end).to.equal(NEXT_SUNDAY + 6 * HOUR_MS);
    expect(choice.window.why).to.equal('policy default window Sun 03:00–06:00 UTC, because no CPU history in the last 14 days');
  });

  it('falls back to the default window with under three days of CPU history', () => {
    const choice = choosePatchWindow({ decision: 'next-window', dueBy: null, cpu: cpuWeeks(NOW, 2, QUIET) }, NOW, policy);

    expect(choice.fallback).to.equal('little-history');
    expect(choice.window.why).to.contain('only 48 h of CPU history in the last 14 days (72 h needed)');
  });

  it('moves the default window past a freeze and marks it late after the due date', () => {
    const freeze = { start: '2026-11-08T00:00:00Z', end: '2026-11-08T12:00:00Z', reason: 'migration' };
    const dueBy = NEXT_SUNDAY + 2 * DAY_MS;

    const choice = choosePatchWindow({ decision: 'next-window', dueBy, cpu: [] }, NOW, aPolicy({ freezeWindows: [freeze] }));

    expect(choice.window.start).to.equal(NEXT_SUNDAY + WEEK_MS + 3 * HOUR_MS);
    expect(choice.window.why).to.contain('moved past freeze "migration"');
    expect(choice.lateBy).to.equal(choice.window.end - dueBy);
    expect(choice.avoidedFreezes).to.deep.equal([freeze]);
  });

  it('falls back when a freeze covers the whole coming week', () => {
    const freeze = { start: '2026-11-04T00:00:00Z', end: '2026-11-12T12:00:00Z', reason: 'year-end' };

    const choice = choosePatchWindow({ decision: 'routine', dueBy: null, cpu }, NOW, aPolicy({ freezeWindows: [freeze] }));

    expect(choice.fallback).to.equal('nothing-fits');
    expect(choice.window.start).to.equal(NEXT_SUNDAY + WEEK_MS + 3 * HOUR_MS);
    expect(choice.window.why).to.contain('overlap a freeze');
  });

  it('patches patch-now at once', () => {
    const choice = choosePatchWindow({ decision: 'patch-now', dueBy: NOW + DAY_MS, cpu }, NOW, policy);

    expect(choice.window.source).to.equal('immediate');
    expect(choice.window.start).to.equal(NOW);
    expect(choice.window.end).to.equal(NOW + 3 * HOUR_MS);
    expect(choice.lateBy).to.equal(null);
  });

  it('patches patch-now at once inside a freeze, saying the emergency overrides it', () => {
    const freeze = { start: '2026-11-04T00:00:00Z', end: '2026-11-05T00:00:00Z', reason: 'launch' };

    const choice = choosePatchWindow({ decision: 'patch-now', dueBy: null, cpu }, NOW, aPolicy({ freezeWindows: [freeze] }));

    expect(choice.window.start).to.equal(NOW);
    expect(choice.window.why).to.contain('the emergency overrides freeze "launch"');
    expect(choice.overriddenFreeze).to.equal(freeze);
  });

  it('never overlaps a freeze, never starts before now, and marks lateBy exactly (property)', () => {
    const freezeArb = fc.record({ from: fc.integer({ min: -24, max: 240 }), hours: fc.integer({ min: 1, max: 72 }) });
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 168, maxLength: 168 }),
        fc.array(freezeArb, { maxLength: 3 }),
        fc.option(fc.integer({ min: -48, max: 240 })),
        fc.constantFrom('patch-now' as const, 'next-window' as const, 'routine' as const),
        (week, freezes, dueHours, decision) => {
          const freezeWindows = freezes.map((f, i) => ({
            start: new Date(NOW + f.from * HOUR_MS).toISOString(),
            end: new Date(NOW + (f.from + f.hours) * HOUR_MS).toISOString(),
            reason: `f${i}`,
          }));
          const dueBy = dueHours === null ? null : NOW + dueHours * HOUR_MS;

          const { window, lateBy } = choosePatchWindow(
            { decision, dueBy, cpu: cpuWeeks(NOW, 14, (s) => week[s] ?? 0) }, NOW, aPolicy({ freezeWindows }));

          expect(window.start).to.be.at.least(NOW);
          expect(lateBy).to.equal(dueBy !== null && window.end > dueBy ? window.end - dueBy : null);
          if (window.source === 'immediate') return;
          for (const f of freezeWindows) {
            expect(window.start >= Date.parse(f.end) || window.end <= Date.parse(f.start), `overlaps ${f.start}–${f.end}`).to.equal(true);
          }
          if (window.source === 'cpu-history' && dueBy !== null) expect(window.start).to.be.below(dueBy);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('picks the window of least mean CPU when nothing constrains it (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 168, maxLength: 168 }), (week) => {
        const means = week.map((_, s) => ((week[s] ?? 0) + (week[(s + 1) % 168] ?? 0) + (week[(s + 2) % 168] ?? 0)) / 3);

        const { window } = choosePatchWindow({ decision: 'routine', dueBy: null, cpu: cpuWeeks(NOW, 14, (s) => week[s] ?? 0) }, NOW, policy);

        expect(means[slotOf(window.start)]).to.be.closeTo(Math.min(...means), 1e-9);
      }),
      { numRuns: 100 },
    );
  });
});

describe('choosePatchWindow: overdue escalation (issue 12)', () => {
  const policy = aPolicy();

  it('an instance patch-now only because it is overdue gets the quietest window within 72 hours, not the weekly one', () => {
    const dueBy = NOW - 5 * DAY_MS;

    const choice = choosePatchWindow({ decision: 'patch-now', dueBy, cpu, escalated: true }, NOW, policy);

    // Sun 02:00 (3%) is 86 h away; Thu 01:00 (10%) is the quietest within 72 h.
    expect(choice.window.start).to.equal(THU_0100);
    expect(choice.window.start - NOW).to.be.below(72 * HOUR_MS);
    expect(choice.window.why).to.equal('overdue: quietest 3 h within the next 72 h: Thu 01:00–04:00 UTC, mean CPU 10.0%');
    expect(choice.lateBy).to.equal(THU_0100 + 3 * HOUR_MS - dueBy);
  });

  it('without CPU history it goes at once', () => {
    const choice = choosePatchWindow({ decision: 'patch-now', dueBy: NOW - DAY_MS, cpu: undefined, escalated: true }, NOW, policy);

    expect(choice.window).to.include({ source: 'immediate', start: NOW });
  });

  it('property: an escalated instance always starts within 72 hours', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 167 }), fc.integer({ min: 0, max: 200 }), (quiet, hoursFromNow) => {
      const history = cpuWeeks(NOW, 14, busyWeekWith({ [quiet]: 1, [(quiet + 1) % 168]: 1, [(quiet + 2) % 168]: 1 }));
      const now = NOW + hoursFromNow * HOUR_MS;
      const choice = choosePatchWindow({ decision: 'patch-now', dueBy: now - DAY_MS, cpu: history, escalated: true }, now, policy);
      expect(choice.window.start - now).to.be.within(0, 72 * HOUR_MS - 1);
    }), { numRuns: 50 });
  });
});
