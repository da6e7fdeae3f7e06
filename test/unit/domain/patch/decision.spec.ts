import { expect } from 'chai';
import type { Finding } from '../../../../domain/fleet-facts.js';
import { decidePatch, isKernelPackage, urgencyOf } from '../../../../domain/patch/decision.js';
import type { SsmView } from '../../../../domain/patch/decision.js';
import type { Mission } from '../../../../domain/policy.js';
import { assessAsset, assessFinding } from '../../../../domain/asset-assessment.js';
import type { FindingAssessment } from '../../../../domain/risk/finding-assessment.js';
import { aCatalog, aCvss, aFinding, aManagedInstance, anAsset, aPatchState, T0 } from '../../../builders.js';
import { aContext, vectorFor } from '../risk/helpers.js';

const DAY = 86_400_000;
const KEV = 'CVE-2024-6387';
const ctx = aContext({ catalog: aCatalog(KEV) });
const managed: SsmView = { managed: true, managedInstance: aManagedInstance(), patchState: aPatchState() };

interface Shape {
  readonly mission: Mission;
  readonly exposed: boolean;
  readonly kev?: boolean;
  readonly exploited?: boolean;
  readonly automatable: boolean;
  readonly total: boolean;
}

/** A finding assessed in a context chosen to reach one SSVC outcome and timeline. */
function assessed(shape: Shape, over: Partial<Finding> = {}): FindingAssessment {
  const finding = aFinding({
    vulnerabilityId: shape.kev ? KEV : 'CVE-2023-1111',
    lastKnownExploitAt: shape.exploited ? T0 - DAY : null,
    cvss: [aCvss(vectorFor(shape.automatable, shape.total), 7.5)],
    ...over,
  });
  return assessFinding(finding, { mission: shape.mission, exposed: shape.exposed }, ctx);
}

// Each shape is pinned below to the SSVC outcome and timeline it is meant to reach.
const ACT_ONLY = { mission: 'high', exposed: false, exploited: true, automatable: true, total: false } as const;
const THREE_DAYS_ONLY = { mission: 'low', exposed: true, automatable: true, total: true } as const;
const FORENSIC = { mission: 'high', exposed: true, kev: true, automatable: false, total: true } as const;
const ATTEND_ONLY = { mission: 'high', exposed: false, automatable: true, total: false } as const;
const FOURTEEN_ONLY = { mission: 'low', exposed: true, automatable: false, total: true } as const;
const TRACK_60 = { mission: 'medium', exposed: false, automatable: true, total: false } as const;
const TRACK_STAR_UPGRADE = { mission: 'high', exposed: false, automatable: false, total: true } as const;

describe('decision test shapes', () => {
  const pinned: ReadonlyArray<[string, Shape, string, string]> = [
    ['ACT_ONLY', ACT_ONLY, 'act', '60 days'],
    ['THREE_DAYS_ONLY', THREE_DAYS_ONLY, 'track', '3 days'],
    ['FORENSIC', FORENSIC, 'act', '3 days and forensic investigation'],
    ['ATTEND_ONLY', ATTEND_ONLY, 'attend', '60 days'],
    ['FOURTEEN_ONLY', FOURTEEN_ONLY, 'track', '14 days'],
    ['TRACK_60', TRACK_60, 'track', '60 days'],
    ['TRACK_STAR_UPGRADE', TRACK_STAR_UPGRADE, 'track*', 'fix on system upgrade'],
  ];
  for (const [name, shape, ssvc, timeline] of pinned) {
    it(`${name} is SSVC ${ssvc} with timeline ${timeline}`, () => {
      const a = assessed(shape);

      expect([a.ssvc, a.timeline]).to.deep.equal([ssvc, timeline]);
    });
  }
});

describe('decidePatch: from the most urgent finding', () => {
  const cases: ReadonlyArray<[string, Shape, string]> = [
    ['SSVC act', ACT_ONLY, 'patch-now'],
    ['timeline 3 days (SSVC only track)', THREE_DAYS_ONLY, 'patch-now'],
    ['timeline 3 days and forensic investigation', FORENSIC, 'patch-now'],
    ['SSVC attend (timeline 60 days)', ATTEND_ONLY, 'next-window'],
    ['timeline 14 days (SSVC only track)', FOURTEEN_ONLY, 'next-window'],
    ['SSVC track, 60 days', TRACK_60, 'routine'],
    ['SSVC track*, fix on system upgrade', TRACK_STAR_UPGRADE, 'routine'],
  ];
  for (const [what, shape, kind] of cases) {
    it(`${what} -> ${kind}`, () => {
      const d = decidePatch([assessed(shape)], managed);

      expect(d.kind).to.equal(kind);
      expect(d.underlying).to.equal(kind);
    });
  }

  it('no counted finding -> none, with nothing to drive it', () => {
    const d = decidePatch([], managed);

    expect(d).to.deep.include({ kind: 'none', underlying: 'none', dueBy: null, forensicTriage: false, drivers: [] });
    expect(d.reasons[0]).to.equal('no counted findings to patch');
  });

  it('the most urgent level wins, and only its findings drive the decision', () => {
    const urgent = assessed(ACT_ONLY, { findingArn: 'urgent' });
    const later = assessed(ATTEND_ONLY, { findingArn: 'later' });
    const routine = assessed(TRACK_60, { findingArn: 'routine' });

    const d = decidePatch([routine, later, urgent], managed);

    expect(d.kind).to.equal('patch-now');
    expect(d.drivers.map((f) => f.finding.findingArn)).to.deep.equal(['urgent']);
    expect(d.reasons[0]).to.match(/^1 finding needs patching now/);
  });

  it('dueBy is the earliest due date of all counted findings', () => {
    const urgentLate = assessed(THREE_DAYS_ONLY, { firstObservedAt: T0 + 20 * DAY });
    const routineEarly = assessed(TRACK_60, { firstObservedAt: T0 - 58 * DAY });

    const d = decidePatch([urgentLate, routineEarly], managed);

    expect(d.dueBy).to.equal(T0 + 2 * DAY);
  });

  it('a routine decision on fix-on-upgrade findings has no due date', () => {
    expect(decidePatch([assessed(TRACK_STAR_UPGRADE)], managed).dueBy).to.equal(null);
  });

  it('a NETWORK_REACHABILITY finding has nothing to install and drives nothing', () => {
    const reach = assessed(THREE_DAYS_ONLY, { type: 'NETWORK_REACHABILITY', vulnerabilityId: null });

    expect(decidePatch([reach], managed).kind).to.equal('none');
  });
});

describe('decidePatch: blocked', () => {
  it('an instance SSM does not manage at all is blocked, saying so', () => {
    const d = decidePatch([assessed(ACT_ONLY)], { managed: false, managedInstance: null, patchState: null });

    expect(d.kind).to.equal('blocked');
    expect(d.underlying).to.equal('patch-now');
    expect(d.reasons).to.include('blocked: the instance is not managed by SSM (no SSM agent registration), so it cannot be patched through SSM');
  });

  for (const ping of ['ConnectionLost', 'Inactive']) {
    it(`PingStatus ${ping} is blocked, naming the status`, () => {
      const d = decidePatch([assessed(TRACK_60)], { managed: false, managedInstance: aManagedInstance({ pingStatus: ping }), patchState: null });

      expect(d.kind).to.equal('blocked');
      expect(d.underlying).to.equal('routine');
      expect(d.reasons.join(' ')).to.contain(`SSM PingStatus is ${ping}`);
    });
  }

  it('unknown SSM state (managed null) never blocks', () => {
    const d = decidePatch([assessed(ACT_ONLY)], { managed: null, managedInstance: null, patchState: null });

    expect(d.kind).to.equal('patch-now');
    expect(d.reasons).to.include('SSM state unknown: not treated as blocked');
  });

  it('blocked comes before mitigate', () => {
    const d = decidePatch([assessed(ACT_ONLY, { fixAvailable: 'NO' })], { managed: false, managedInstance: null, patchState: null });

    expect(d.kind).to.equal('blocked');
  });

  it('through assessAsset: an unmanaged instance is blocked, an unknown one is not', () => {
    const base = { asset: anAsset(), findings: [aFinding()], patchState: null };

    expect(assessAsset({ ...base, managedInstance: null }, ctx).decision.kind).to.equal('blocked');
    expect(assessAsset({ ...base, managedInstance: aManagedInstance({ pingStatus: 'ConnectionLost' }) }, ctx).decision.kind).to.equal('blocked');
    expect(assessAsset({ ...base, managedInstance: undefined }, ctx).decision.kind).to.equal('patch-now');
  });
});

describe('decidePatch: mitigate', () => {
  it('patch-now whose drivers all have no fix -> mitigate, saying why', () => {
    const d = decidePatch([assessed(ACT_ONLY, { findingArn: 'a', fixAvailable: 'NO' }), assessed(THREE_DAYS_ONLY, { findingArn: 'b', fixAvailable: 'NO' })], managed);

    expect(d.kind).to.equal('mitigate');
    expect(d.underlying).to.equal('patch-now');
    expect(d.reasons).to.include('no patch exists for the driving findings (fixAvailable NO): isolate the instance or apply a compensating control');
  });

  it('next-window whose drivers all have no fix -> mitigate', () => {
    expect(decidePatch([assessed(ATTEND_ONLY, { fixAvailable: 'NO' })], managed).kind).to.equal('mitigate');
  });

  it('one driver with a fix (YES or PARTIAL) keeps the patch decision', () => {
    const none = assessed(ACT_ONLY, { findingArn: 'a', fixAvailable: 'NO' });

    expect(decidePatch([none, assessed(THREE_DAYS_ONLY, { findingArn: 'b', fixAvailable: 'YES' })], managed).kind).to.equal('patch-now');
    expect(decidePatch([none, assessed(THREE_DAYS_ONLY, { findingArn: 'b', fixAvailable: 'PARTIAL' })], managed).kind).to.equal('patch-now');
  });

  it('only the drivers count: a fix on a less urgent finding does not prevent mitigate', () => {
    const d = decidePatch([assessed(ACT_ONLY, { findingArn: 'a', fixAvailable: 'NO' }), assessed(TRACK_60, { findingArn: 'b', fixAvailable: 'YES' })], managed);

    expect(d.kind).to.equal('mitigate');
  });

  it('routine work without a fix stays routine', () => {
    expect(decidePatch([assessed(TRACK_60, { fixAvailable: 'NO' })], managed).kind).to.equal('routine');
  });
});

describe('decidePatch: reboot and forensic triage', () => {
  it('a pending-reboot count above zero expects a reboot', () => {
    const d = decidePatch([assessed(TRACK_60)], { ...managed, patchState: aPatchState({ installedPendingRebootCount: 3 }) });

    expect(d.rebootExpected).to.equal(true);
    expect(d.reasons).to.include('reboot expected: 3 patches installed pending reboot');
  });

  it('no pending reboot and no kernel fix: no reboot', () => {
    expect(decidePatch([assessed(TRACK_60)], managed).rebootExpected).to.equal(false);
  });

  it('a kernel package among the fixes of a driver expects a reboot', () => {
    const kernel = assessed(ACT_ONLY, { packages: [{ name: 'kernel', version: '5.10.210-201.852.amzn2', fixedInVersion: '5.10.215-203.850.amzn2' }] });

    const d = decidePatch([kernel], managed);

    expect(d.rebootExpected).to.equal(true);
    expect(d.reasons).to.include('reboot expected: kernel package kernel among the fixes');
  });

  it('a kernel package on a finding that does not drive the decision, or without a fix, does not', () => {
    const kernel = [{ name: 'linux-image-5.15.0-1050-aws', version: '5.15.0-1050.55', fixedInVersion: '5.15.0-1051.56' }];
    const noFix = [{ name: 'kernel-core', version: '5.14.0-362', fixedInVersion: 'NotAvailable' }];

    expect(decidePatch([assessed(ACT_ONLY, { findingArn: 'a' }), assessed(TRACK_60, { findingArn: 'b', packages: kernel })], managed).rebootExpected).to.equal(false);
    expect(decidePatch([assessed(ACT_ONLY, { packages: noFix })], managed).rebootExpected).to.equal(false);
  });

  it('a finding with timeline "3 days and forensic investigation" asks for forensic triage', () => {
    const d = decidePatch([assessed(FORENSIC, { findingArn: 'f' }), assessed(TRACK_60, { findingArn: 'g' })], managed);

    expect(d.forensicTriage).to.equal(true);
    expect(d.reasons).to.include(`forensic triage: ${KEV} (BOD 26-04 "3 days and forensic investigation")`);
  });

  it('a plain 3-day timeline does not', () => {
    expect(decidePatch([assessed(THREE_DAYS_ONLY)], managed).forensicTriage).to.equal(false);
  });
});

describe('isKernelPackage', () => {
  const kernels = ['kernel', 'kernel-core', 'kernel-modules', 'kernel6.1', 'kernel-default', 'kernel-uek', 'linux-image-5.15.0-1050-aws', 'linux-modules-6.8.0-1012-aws', 'linux-aws', 'linux-generic', 'linux', 'Kernel'];
  const others = ['kernel-headers', 'kernel-tools', 'kernel-devel', 'linux-firmware', 'linux-libc-dev', 'linux-headers-6.8.0-1012', 'linux-aws-headers-5.15.0-1050', 'linux-tools-common', 'kernelshark', 'openssl', 'libkernel'];
  for (const name of kernels) it(`${name} is a kernel package`, () => expect(isKernelPackage(name)).to.equal(true));
  for (const name of others) it(`${name} is not`, () => expect(isKernelPackage(name)).to.equal(false));
});

describe('urgencyOf', () => {
  it('maps SSVC and timeline to the level of the decision table', () => {
    expect(urgencyOf({ ssvc: 'act', timeline: 'fix on system upgrade' })).to.equal('patch-now');
    expect(urgencyOf({ ssvc: 'track', timeline: '3 days' })).to.equal('patch-now');
    expect(urgencyOf({ ssvc: 'attend', timeline: '60 days' })).to.equal('next-window');
    expect(urgencyOf({ ssvc: 'track*', timeline: '14 days' })).to.equal('next-window');
    expect(urgencyOf({ ssvc: 'track*', timeline: '60 days' })).to.equal('routine');
  });
});
