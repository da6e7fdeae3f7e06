import { expect } from 'chai';
import fc from 'fast-check';
import type { MetricPoint } from '../../../../domain/fleet-facts.js';
import { DEFAULT_POLICY } from '../../../../domain/policy.js';
import { compareCpu, cpuThreshold, verifyInstance, type InstanceVerificationInput } from '../../../../domain/patch/run-verification.js';
import { aPatchState, T0 } from '../../../builders.js';

const RULE = DEFAULT_POLICY.verification;
const MIN = 60_000;

function series(...values: number[]): MetricPoint[] {
  return values.map((v, k) => ({ t: T0 + k * 5 * MIN, v }));
}

function input(over: Partial<InstanceVerificationInput> = {}): InstanceVerificationInput {
  return {
    instanceId: 'i-1',
    operation: 'Install',
    status: 'succeeded',
    detail: null,
    sentAt: T0,
    patchState: aPatchState({ instanceId: 'i-1', operation: 'Install', operationEndTime: T0 + 10 * MIN, operationStartTime: T0 + MIN }),
    before: { cpu: series(10, 10, 10) },
    after: { cpu: series(12, 12, 12), statusCheckFailed: series(0, 0, 0) },
    rule: RULE,
    ...over,
  };
}

describe('verification: the regression rule', () => {
  describe('CPU threshold: max(before, min(max(2 x before, before + 30), 95))', () => {
    // The pinned examples of the rule's documentation.
    const CASES: readonly [number, number][] = [[0, 30], [10, 40], [40, 80], [50, 95], [80, 95], [97, 97]];
    for (const [before, threshold] of CASES) {
      it(`mean before ${before}% → regression above ${threshold}%`, () => {
        expect(cpuThreshold(before, RULE)).to.equal(threshold);
      });
    }

    it('is strict: exactly at the threshold is not a regression, just above is', () => {
      expect(compareCpu(series(10, 10), series(40, 40), RULE).kind).to.equal('ok');
      expect(compareCpu(series(10, 10), series(40.2, 40.2), RULE).kind).to.equal('regressed');
      expect(compareCpu(series(40, 40), series(80, 80), RULE).kind).to.equal('ok');
      expect(compareCpu(series(40, 40), series(81, 81), RULE).kind).to.equal('regressed');
      expect(compareCpu(series(80, 80), series(96, 96), RULE).kind).to.equal('regressed');
    });

    it('says nothing with fewer than minPoints on either side', () => {
      const v = compareCpu(series(10), series(99, 99, 99), RULE);

      expect(v.kind).to.equal('unknown');
      expect(v.text).to.equal('CPU not compared (1 points before, 3 after; 2 needed on each side)');
    });

    const pct = fc.double({ min: 0, max: 100, noNaN: true });
    it('never flags CPU that did not rise', () => {
      fc.assert(fc.property(pct, fc.double({ min: 0, max: 1, noNaN: true }), (before, f) => {
        expect(compareCpu(series(before, before), series(before * f, before * f), RULE).kind).to.equal('ok');
      }));
    });

    it('is monotonic: more CPU after never turns a regression back into ok', () => {
      fc.assert(fc.property(pct, pct, pct, (before, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const low = compareCpu(series(before, before), series(lo, lo), RULE).kind;
        const high = compareCpu(series(before, before), series(hi, hi), RULE).kind;
        expect(low === 'regressed' && high !== 'regressed').to.equal(false);
      }));
    });

    it('the threshold never falls below the mean before, nor above the ceiling unless before is', () => {
      fc.assert(fc.property(pct, (before) => {
        const t = cpuThreshold(before, RULE);
        expect(t).to.be.at.least(before);
        expect(t).to.be.at.most(Math.max(RULE.cpuCeiling, before));
      }));
    });
  });

  describe('per instance', () => {
    it('a quiet, healthy instance passes, with what was checked', () => {
      const v = verifyInstance(input());

      expect(v.outcome).to.equal('succeeded');
      expect(v.detail).to.equal('patch state Install: 0 missing, 0 pending reboot; CPU 10.0% → 12.0%');
    });

    it('names its evidence: the command and its outcome, the patch compliance read after it, status checks and CPU', () => {
      const v = verifyInstance(input({ commandId: 'cmd-1', patchState: aPatchState({ operation: 'Install', installedCount: 41, missingCount: 0, failedCount: 0, installedPendingRebootCount: 1, operationEndTime: T0 + MIN }) }));

      expect(v.evidence).to.deep.equal([
        'command cmd-1: Success',
        'patch compliance (Install at 2026-11-01T00:01:00.000Z): 41 installed, 0 missing, 0 failed, 1 pending reboot',
        'status checks: none failed (3 points after patching)',
        'CPU 10.0% → 12.0%',
      ]);
      const failed = verifyInstance(input({ commandId: 'cmd-1', patchState: aPatchState({ operation: 'Install', failedCount: 2, operationEndTime: T0 + MIN }) }));
      expect(failed.evidence?.[1]).to.match(/^patch compliance \(Install at 2026-11-01T00:01:00.000Z\): \d+ installed, \d+ missing, 2 failed/);
      expect(failed.evidence, 'CloudWatch was not what decided it').to.have.length(2);
    });

    it('any failed status check after patching regresses it, whatever the CPU', () => {
      const v = verifyInstance(input({ after: { cpu: series(10, 10), statusCheckFailed: series(0, 1, 0) } }));

      expect(v.outcome).to.equal('regressed');
      expect(v.detail).to.match(/^status check failed at 2026-11-01T00:05:00.000Z after patching$/);
    });

    it('CPU above the rule regresses it, saying before, after and the threshold', () => {
      const v = verifyInstance(input({ after: { cpu: series(55, 60, 65) } }));

      expect(v).to.deep.include({ instanceId: 'i-1', outcome: 'regressed', detail: 'mean CPU rose from 10.0% to 60.0% (regression above 40.0%)' });
      expect(v.evidence?.at(-1)).to.equal('mean CPU rose from 10.0% to 60.0% (regression above 40.0%)');
    });

    it('a failed command fails the instance with its detail, before anything else is looked at', () => {
      const v = verifyInstance(input({ status: 'failed', detail: 'AWS-RunPatchBaseline failed with exit code 1', after: { statusCheckFailed: series(1) } }));

      expect(v).to.deep.include({ instanceId: 'i-1', outcome: 'failed', detail: 'AWS-RunPatchBaseline failed with exit code 1' });
      expect(verifyInstance(input({ status: 'failed', detail: 'AWS-RunPatchBaseline failed with exit code 1', commandId: 'cmd-1' })).evidence)
        .to.deep.equal(['command cmd-1: failed (AWS-RunPatchBaseline failed with exit code 1)']);
      expect(verifyInstance(input({ status: 'timed-out', detail: null })).outcome).to.equal('timed-out');
    });

    it('failed patches in a fresh patch state fail the instance', () => {
      const v = verifyInstance(input({ patchState: aPatchState({ failedCount: 2, operationEndTime: T0 + MIN }) }));

      expect(v.outcome).to.equal('failed');
      expect(v.detail).to.match(/^2 patches failed to install/);
    });

    it('a stale patch state (older than the send) is noted, not trusted', () => {
      const v = verifyInstance(input({ patchState: aPatchState({ failedCount: 2, operationEndTime: T0 - MIN }) }));

      expect(v.outcome).to.equal('succeeded');
      expect(v.detail).to.match(/^patch state not refreshed since 2026-10-31T23:59:00.000Z/);
    });

    it('unreadable sources are said, and do not halt the run', () => {
      const v = verifyInstance(input({ patchState: undefined, before: undefined, after: undefined }));

      expect(v).to.deep.include({ instanceId: 'i-1', outcome: 'succeeded', detail: 'patch state unreadable; CloudWatch unreadable: regression not checked' });
      expect(v.evidence?.slice(1)).to.deep.equal(['patch compliance: unreadable', 'CloudWatch: unreadable, regression not checked']);
    });

    it('a Scan is not compared against CloudWatch (it changes nothing)', () => {
      const v = verifyInstance(input({ operation: 'Scan', after: { cpu: series(99, 99), statusCheckFailed: series(1) } }));

      expect(v.outcome).to.equal('succeeded');
    });

    it('a simulated run says so instead of checking what did not happen', () => {
      expect(verifyInstance(input({ simulated: true }))).to.deep.equal({ instanceId: 'i-1', outcome: 'succeeded', detail: 'simulated: nothing was sent to AWS', evidence: ['simulated: nothing was sent to AWS'] });
    });
  });
});
