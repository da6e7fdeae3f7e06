import { expect } from 'chai';
import fc from 'fast-check';
import type { InstanceMetrics } from '../../../../domain/fleet-facts.js';
import { buildPatchPlan } from '../../../../domain/patch/plan.js';
import type { DecisionKind } from '../../../../domain/patch/decision.js';
import { DAY_MS, HOUR_MS } from '../../../../domain/time.js';
import { NEXT_SUNDAY, NOW, aPolicy, anAssessment, busyWeekWith, cpuWeeks, slot } from './plan-builders.js';

const quietCpu: InstanceMetrics = {
  cpu: cpuWeeks(NOW, 14, busyWeekWith({ [slot(2, 1)]: 2, [slot(2, 2)]: 2, [slot(2, 3)]: 2 })),
};

describe('buildPatchPlan', () => {
  const policy = aPolicy();

  it('gives patched decisions a window and a wave and lists the others without', () => {
    const fleet = [
      anAssessment({ id: 'i-now', kind: 'patch-now', risk: 95 }),
      anAssessment({ id: 'i-next', kind: 'next-window', risk: 70 }),
      anAssessment({ id: 'i-routine', kind: 'routine', risk: 30 }),
      anAssessment({ id: 'i-none', kind: 'none', risk: 0 }),
      anAssessment({ id: 'i-blocked', kind: 'blocked', risk: 80 }),
      anAssessment({ id: 'i-mitigate', kind: 'mitigate', risk: 85 }),
    ];

    const plan = buildPatchPlan(fleet, new Map([['i-next', quietCpu]]), NOW, policy);

    const byId = new Map(plan.instances.map((i) => [i.instanceId, i]));
    expect(byId.get('i-now')).to.deep.include({ wave: 1, canary: false });
    expect(byId.get('i-now')?.window?.source).to.equal('immediate');
    expect(byId.get('i-next')?.window?.source).to.equal('cpu-history');
    expect(byId.get('i-next')?.window?.start).to.equal(NEXT_SUNDAY + 2 * DAY_MS + HOUR_MS);
    expect(byId.get('i-routine')?.window?.source).to.equal('default');
    for (const id of ['i-none', 'i-blocked', 'i-mitigate']) expect(byId.get(id)).to.deep.include({ window: null, wave: null, canary: false });
    expect(plan.instances.map((i) => i.instanceId)).to.deep.equal(['i-now', 'i-next', 'i-routine', 'i-mitigate', 'i-blocked', 'i-none']);
    expect(plan.waves.map((w) => w.decision)).to.deep.equal(['patch-now', 'next-window', 'routine']);
    expect(plan.generatedAt).to.equal(NOW);
  });

  it('two accounts holding the same instance id: each instance gets its own wave (identity is account, region, id)', () => {
    const inAccount = (accountId: string, env: string) => {
      const a = anAssessment({ id: 'i-0123456789abcdef0', env });
      return { ...a, asset: { ...a.asset, accountId, region: 'us-east-1' } };
    };
    const plan = buildPatchPlan([inAccount('111111111111', 'dev'), inAccount('222222222222', 'prod')], new Map(), NOW, policy);

    const [dev, prod] = [plan.instances.find((i) => !i.production)!, plan.instances.find((i) => i.production)!];
    expect(dev.wave).to.be.a('number');
    expect(prod.wave).to.be.a('number');
    expect(prod.wave).to.be.greaterThan(dev.wave!);
    expect(plan.waves.flatMap((w) => w.instanceIds)).to.deep.equal(['i-0123456789abcdef0', 'i-0123456789abcdef0']);
    // Each planned instance says which account and region it is, so the two can be told apart.
    expect([dev, prod].map((i) => [i.accountId, i.region])).to.deep.equal([['111111111111', 'us-east-1'], ['222222222222', 'us-east-1']]);
  });

  it('sorts by wave, then risk descending', () => {
    const fleet = [
      anAssessment({ id: 'i-low', risk: 10 }),
      anAssessment({ id: 'i-high', risk: 90 }),
      anAssessment({ id: 'i-mid', risk: 50 }),
      anAssessment({ id: 'i-prod', risk: 99, env: 'prod' }),
    ];

    const plan = buildPatchPlan(fleet, new Map(), NOW, policy);

    expect(plan.instances.map((i) => [i.instanceId, i.wave, i.canary])).to.deep.equal([
      ['i-low', 1, true], ['i-high', 2, false], ['i-mid', 2, false], ['i-prod', 3, false],
    ]);
    expect(plan.instances.find((i) => i.instanceId === 'i-prod')?.production).to.equal(true);
  });

  it('sizes Auto Scaling groups over the whole fleet, unpatched members included', () => {
    const fleet = [
      ...['a', 'b', 'c'].map((s) => anAssessment({ id: `i-${s}`, group: 'web', risk: 40 })),
      ...['d', 'e', 'f'].map((s) => anAssessment({ id: `i-${s}`, group: 'web', kind: 'none' })),
    ];

    const plan = buildPatchPlan(fleet, new Map(), NOW, aPolicy({ rollout: { canary: false } }));

    expect(plan.waves.map((w) => w.instanceIds)).to.deep.equal([['i-a', 'i-b'], ['i-c']]);
  });

  it('takes rollout limits from the policy', () => {
    const plan = buildPatchPlan([], new Map(), NOW, aPolicy({ rollout: { maxConcurrency: '5', maxErrors: '2' } }));

    expect(plan.rollout).to.deep.equal({ maxConcurrency: '5', maxErrors: '2' });
    expect(plan.notes).to.deep.equal(['0 instances; 0 waves.']);
  });

  it('notes counts, fallbacks, unpatched instances, freezes and late windows', () => {
    const freeze = { start: '2026-11-04T00:00:00Z', end: '2026-11-05T00:00:00Z', reason: 'launch' };
    const fleet = [
      anAssessment({ id: 'i-now', kind: 'patch-now', dueBy: NOW - DAY_MS }),
      anAssessment({ id: 'i-next', kind: 'next-window' }),
      anAssessment({ id: 'i-blocked', kind: 'blocked' }),
    ];

    const plan = buildPatchPlan(fleet, new Map(), NOW, aPolicy({ freezeWindows: [freeze] }));

    expect(plan.notes).to.deep.equal([
      '3 instances: 1 patch-now, 1 next-window, 1 blocked; 2 waves.',
      'Not patched, SSM does not manage 1 instance: i-blocked.',
      'Policy default window (Sun 03:00–06:00 UTC) for 1 instance, no CPU history: i-next.',
      'patch-now overrides freeze "launch" (2026-11-04 00:00 UTC – 2026-11-05 00:00 UTC) for 1 instance: i-now.',
      '1 instance patched after the due date: i-now (27 h late).',
    ]);
    expect(plan.instances.find((i) => i.instanceId === 'i-now')?.lateBy).to.equal(27 * HOUR_MS);
  });

  it('notes the freeze a window was moved around', () => {
    const freeze = { start: '2026-11-10T00:00:00Z', end: '2026-11-10T12:00:00Z', reason: 'sale' };

    const plan = buildPatchPlan([anAssessment({ id: 'i-next' })], new Map([['i-next', quietCpu]]), NOW, aPolicy({ freezeWindows: [freeze] }));

    expect(plan.notes).to.include('Freeze "sale" (2026-11-10 00:00 UTC – 2026-11-10 12:00 UTC) moved the window of 1 instance: i-next.');
    expect(plan.instances[0]?.window?.source).to.equal('cpu-history');
    expect(plan.instances[0]?.window?.start).to.not.equal(NEXT_SUNDAY + 2 * DAY_MS + HOUR_MS);
  });

  it('puts every patched instance in exactly one wave and no other instance in any (property)', () => {
    const kinds: readonly DecisionKind[] = ['patch-now', 'next-window', 'routine', 'none', 'blocked', 'mitigate'];
    const arb = fc.array(
      fc.record({
        kind: fc.constantFrom(...kinds),
        risk: fc.integer({ min: 0, max: 100 }),
        env: fc.constantFrom('prod', 'dev', null),
        mission: fc.constantFrom('low' as const, 'medium' as const, 'high' as const),
        group: fc.option(fc.constantFrom('g1', 'g2')),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(arb, (specs) => {
        const fleet = specs.map((s, i) => anAssessment({ id: `i-${i}`, ...s }));

        const plan = buildPatchPlan(fleet, new Map(), NOW, policy);

        const placed = plan.waves.flatMap((w) => w.instanceIds);
        const patched = plan.instances.filter((i) => ['patch-now', 'next-window', 'routine'].includes(i.decision));
        expect([...placed].sort()).to.deep.equal(patched.map((i) => i.instanceId).sort());
        for (const i of plan.instances) {
          const wave = plan.waves.find((w) => w.instanceIds.includes(i.instanceId));
          expect(i.wave).to.equal(wave?.number ?? null);
          expect(i.window === null).to.equal(wave === undefined);
        }
        const waveKeys = plan.instances.map((i) => i.wave ?? Infinity);
        expect(waveKeys).to.deep.equal([...waveKeys].sort((a, b) => a - b));
      }),
      { numRuns: 200 },
    );
  });
});
