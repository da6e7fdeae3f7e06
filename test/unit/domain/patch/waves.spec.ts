import { expect } from 'chai';
import fc from 'fast-check';
import type { PatchedDecision } from '../../../../domain/patch/decision.js';
import type { Wave } from '../../../../domain/patch/plan-model.js';
import { autoScalingGroupOf, autoScalingGroupSizes, groupLimit, isProduction, planWaves } from '../../../../domain/patch/waves.js';
import type { WaveCandidate } from '../../../../domain/patch/waves.js';
import { anAsset } from '../../../builders.js';
import { aPolicy } from './plan-builders.js';

function candidate(instanceId: string, over: Partial<WaveCandidate> = {}): WaveCandidate {
  return { instanceId, decision: 'next-window', riskScore: 50, production: false, autoScalingGroup: null, ...over };
}

function group(name: string, size: number, over: Partial<WaveCandidate> = {}): WaveCandidate[] {
  return Array.from({ length: size }, (_, i) => candidate(`${name}-${i + 1}`, { autoScalingGroup: name, riskScore: 60 - i, ...over }));
}

function sizesOf(candidates: readonly WaveCandidate[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const c of candidates) if (c.autoScalingGroup) sizes.set(c.autoScalingGroup, (sizes.get(c.autoScalingGroup) ?? 0) + 1);
  return sizes;
}

function perGroupMax(waves: readonly Wave[], candidates: readonly WaveCandidate[], name: string): number {
  const inGroup = new Set(candidates.filter((c) => c.autoScalingGroup === name).map((c) => c.instanceId));
  return Math.max(0, ...waves.map((w) => w.instanceIds.filter((id) => inGroup.has(id)).length));
}

describe('planWaves', () => {
  const noCanary = aPolicy({ rollout: { canary: false } });

  it('never puts more than 2 of a group of 6 in one wave at a fraction of 1/3', () => {
    const fleet = group('asg-web', 6);

    const waves = planWaves(fleet, sizesOf(fleet), noCanary);

    expect(waves.map((w) => w.instanceIds)).to.deep.equal([
      ['asg-web-1', 'asg-web-2'], ['asg-web-3', 'asg-web-4'], ['asg-web-5', 'asg-web-6'],
    ]);
  });

  it('keeps the group limit after a canary drawn from the group', () => {
    const fleet = group('asg-web', 6);

    const waves = planWaves(fleet, sizesOf(fleet), aPolicy());

    expect(waves[0]).to.deep.include({ canary: true, instanceIds: ['asg-web-6'] });
    expect(perGroupMax(waves, fleet, 'asg-web')).to.equal(2);
    expect(waves.flatMap((w) => w.instanceIds)).to.have.length(6);
  });

  it('patches a group of 3 one instance a wave', () => {
    const fleet = group('asg-api', 3);

    const waves = planWaves(fleet, sizesOf(fleet), noCanary);

    expect(waves.map((w) => w.instanceIds)).to.deep.equal([['asg-api-1'], ['asg-api-2'], ['asg-api-3']]);
  });

  it('sizes a group by the whole fleet, not by the members to patch', () => {
    const toPatch = group('asg-web', 2);

    const waves = planWaves(toPatch, new Map([['asg-web', 6]]), noCanary);

    expect(waves.map((w) => w.instanceIds)).to.deep.equal([['asg-web-1', 'asg-web-2']]);
  });

  it('puts every instance outside a group in one wave', () => {
    const fleet = [candidate('i-a'), candidate('i-b'), candidate('i-c'), ...group('asg', 3)];

    const waves = planWaves(fleet, sizesOf(fleet), noCanary);

    expect(waves[0]?.instanceIds).to.include.members(['i-a', 'i-b', 'i-c']);
    expect(waves).to.have.length(3);
  });

  it('starts each stage with a canary of one: the lowest-risk instance outside any group', () => {
    const fleet = [
      candidate('i-risky', { riskScore: 90 }),
      candidate('i-calm', { riskScore: 20 }),
      candidate('i-asg-calmest', { riskScore: 5, autoScalingGroup: 'asg' }),
      candidate('i-asg-2', { riskScore: 70, autoScalingGroup: 'asg' }),
    ];

    const waves = planWaves(fleet, sizesOf(fleet), aPolicy());

    expect(waves[0]).to.deep.equal({ number: 1, decision: 'next-window', stage: 'non-production', canary: true, instanceIds: ['i-calm'] });
    expect(waves.slice(1).every((w) => !w.canary)).to.equal(true);
  });

  it('takes no canary for a stage of one instance, nor when the policy turns canaries off', () => {
    const one = planWaves([candidate('i-only')], new Map(), aPolicy());
    const off = planWaves([candidate('i-a'), candidate('i-b')], new Map(), noCanary);

    expect(one).to.deep.equal([{ number: 1, decision: 'next-window', stage: 'non-production', canary: false, instanceIds: ['i-only'] }]);
    expect(off.map((w) => w.instanceIds)).to.deep.equal([['i-a', 'i-b']]);
  });

  it('patches non-production before production', () => {
    const fleet = [candidate('i-prod-1', { production: true }), candidate('i-dev-1'), candidate('i-prod-2', { production: true }), candidate('i-dev-2')];

    const waves = planWaves(fleet, new Map(), aPolicy());

    expect(waves.map((w) => [w.stage, w.canary, w.instanceIds.length])).to.deep.equal([
      ['non-production', true, 1], ['non-production', false, 1], ['production', true, 1], ['production', false, 1],
    ]);
  });

  it('rolls out patch-now, then next-window, then routine, numbering waves across the plan', () => {
    const fleet = [
      candidate('i-routine', { decision: 'routine' }),
      candidate('i-next', { decision: 'next-window' }),
      candidate('i-now-prod', { decision: 'patch-now', production: true }),
      candidate('i-now-dev', { decision: 'patch-now' }),
    ];

    const waves = planWaves(fleet, new Map(), aPolicy());

    expect(waves.map((w) => [w.number, w.decision, w.instanceIds])).to.deep.equal([
      [1, 'patch-now', ['i-now-dev']], [2, 'patch-now', ['i-now-prod']], [3, 'next-window', ['i-next']], [4, 'routine', ['i-routine']],
    ]);
  });

  it('stage-first (a patch run): every non-production wave before any production wave, urgency within a stage', () => {
    const fleet = [
      candidate('i-next-prod', { decision: 'next-window', production: true }),
      candidate('i-now-prod', { decision: 'patch-now', production: true }),
      candidate('i-next-dev', { decision: 'next-window' }),
      candidate('i-now-dev', { decision: 'patch-now' }),
    ];

    const waves = planWaves(fleet, new Map(), aPolicy(), 'stage-first');

    expect(waves.map((w) => [w.number, w.stage, w.decision, w.instanceIds])).to.deep.equal([
      [1, 'non-production', 'patch-now', ['i-now-dev']],
      [2, 'non-production', 'next-window', ['i-next-dev']],
      [3, 'production', 'patch-now', ['i-now-prod']],
      [4, 'production', 'next-window', ['i-next-prod']],
    ]);
  });

  it('holds the group limit, places every instance once and keeps the order for random fleets (property)', () => {
    const decisions: readonly PatchedDecision[] = ['patch-now', 'next-window', 'routine'];
    const arb = fc.record({
      fleet: fc.array(
        fc.record({
          decision: fc.constantFrom(...decisions),
          riskScore: fc.integer({ min: 0, max: 100 }),
          production: fc.boolean(),
          group: fc.option(fc.constantFrom('a', 'b', 'c')),
        }),
        { maxLength: 40 },
      ),
      extra: fc.record({ a: fc.nat(6), b: fc.nat(6), c: fc.nat(6) }),
      fraction: fc.constantFrom(0.1, 0.25, 1 / 3, 0.5, 1),
      canary: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ fleet, extra, fraction, canary }) => {
        const candidates = fleet.map((f, i) =>
          candidate(`i-${i}`, { decision: f.decision, riskScore: f.riskScore, production: f.production, autoScalingGroup: f.group }));
        const sizes = sizesOf(candidates);
        for (const [g, n] of Object.entries(extra)) sizes.set(g, (sizes.get(g) ?? 0) + n);

        const waves = planWaves(candidates, sizes, aPolicy({ rollout: { canary, maxAutoScalingGroupFraction: fraction } }));

        const placed = waves.flatMap((w) => w.instanceIds);
        expect([...placed].sort()).to.deep.equal(candidates.map((c) => c.instanceId).sort());
        expect(waves.map((w) => w.number)).to.deep.equal(waves.map((_, i) => i + 1));
        for (const g of ['a', 'b', 'c']) {
          expect(perGroupMax(waves, candidates, g)).to.be.at.most(groupLimit(sizes.get(g) ?? 0, fraction));
        }
        const rank = (w: Wave): number => decisions.indexOf(w.decision) * 2 + (w.stage === 'production' ? 1 : 0);
        waves.forEach((w, i) => {
          expect(w.instanceIds.length).to.be.above(0);
          if (i > 0) expect(rank(w)).to.be.at.least(rank(waves[i - 1] as Wave));
          if (w.canary) expect(w.instanceIds).to.have.length(1);
        });
        const byId = new Map(candidates.map((c) => [c.instanceId, c]));
        for (const w of waves) {
          for (const id of w.instanceIds) expect([byId.get(id)?.decision, byId.get(id)?.production]).to.deep.equal([w.decision, w.stage === 'production']);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('groupLimit', () => {
  it('is a floor of the share, at least one', () => {
    expect(groupLimit(6, 1 / 3)).to.equal(2);
    expect(groupLimit(3, 1 / 3)).to.equal(1);
    expect(groupLimit(2, 1 / 3)).to.equal(1);
    expect(groupLimit(10, 1 / 3)).to.equal(3);
  });
});

describe('isProduction', () => {
  const policy = aPolicy();

  it('reads the environment tag without regard to case of key or value', () => {
    expect(isProduction(anAsset({ tags: { Environment: 'Production' } }), 'low', policy)).to.equal(true);
    expect(isProduction(anAsset({ tags: { ENV: 'PROD' } }), 'low', policy)).to.equal(true);
    expect(isProduction(anAsset({ tags: { env: 'staging' } }), 'high', policy)).to.equal(false);
  });

  it('treats an untagged mission-high instance as production, others not', () => {
    expect(isProduction(anAsset({ tags: {} }), 'high', policy)).to.equal(true);
    expect(isProduction(anAsset({ tags: {} }), 'medium', policy)).to.equal(false);
  });
});

describe('autoScalingGroupSizes', () => {
  it('counts members per group, from the policy tag or the EC2 field', () => {
    const policy = aPolicy();
    const assets = [
      anAsset({ instanceId: 'i-1', autoScalingGroup: 'web' }),
      anAsset({ instanceId: 'i-2', tags: { 'aws:autoscaling:groupName': 'web' } }),
      anAsset({ instanceId: 'i-3', autoScalingGroup: 'api' }),
      anAsset({ instanceId: 'i-4' }),
    ];

    const sizes = autoScalingGroupSizes(assets, policy);

    expect([...sizes]).to.deep.equal([['web', 2], ['api', 1]]);
    expect(autoScalingGroupOf(assets[3]!, policy)).to.equal(null);
  });
});
