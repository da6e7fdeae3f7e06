import { expect } from 'chai';
import { assessAsset, assessFinding, compareAssessments } from '../../../domain/asset-assessment.js';
import type { AssetInput } from '../../../domain/asset-assessment.js';
import { aCatalog, aCvss, aFinding, aManagedInstance, anAcceptance, anAsset, aPatchState, T0 } from '../../builders.js';
import { aContext, vector } from './risk/helpers.js';

const DAY = 86_400_000;
const prod = { mission: 'high' as const, exposed: true };

function input(over: Partial<AssetInput> = {}): AssetInput {
  return { asset: anAsset(), findings: [aFinding()], managedInstance: aManagedInstance(), patchState: aPatchState(), ...over };
}

describe('assessFinding', () => {
  it('derives the decision inputs, SSVC, timeline and due date from the finding', () => {
    const finding = aFinding({
      adjustedCvss: aCvss('CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.1),
      cvss: [aCvss('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N', 4.4)],
    });

    const a = assessFinding(finding, prod, aContext({ catalog: aCatalog('CVE-2024-6387') }));

    expect(a).to.deep.include({
      exploitation: 'active', automatable: true, technicalImpact: 'total', inKev: true,
      cvssVector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', cvssScore: 8.1,
      ssvc: 'act', timeline: '3 days and forensic investigation', dueBy: T0 + 3 * DAY,
      counted: true, acceptedBy: null,
    });
    expect(a.riskScore).to.be.above(80);
  });

  it('with no v3 vector: not automatable, partial impact, no CVSS score', () => {
    const a = assessFinding(aFinding({ cvss: [aCvss('AV:N/AC:L/Au:N/C:C/I:C/A:C', 10, '2.0')] }), prod, aContext());

    expect(a).to.deep.include({ automatable: false, technicalImpact: 'partial', cvssVector: null, cvssScore: null, ssvc: 'track' });
  });

  for (const status of ['SUPPRESSED', 'CLOSED', 'SOMETHING_NEW']) {
    it(`a ${status} finding is assessed but not counted and scores 0`, () => {
      const a = assessFinding(aFinding({ status }), prod, aContext({ catalog: aCatalog('CVE-2024-6387') }));

      expect(a.counted).to.equal(false);
      expect(a.riskScore).to.equal(0);
      expect(a.ssvc).to.equal('act');
      expect(a.reasons).to.deep.equal([{ factor: 'status', points: 0, text: `not counted: status ${status}` }]);
    });
  }
});

describe('risk acceptances', () => {
  const now = T0 + 10 * DAY;

  it('an unexpired acceptance for this CVE on this instance suppresses the finding', () => {
    const acceptance = anAcceptance({ until: now + DAY });

    const a = assessFinding(aFinding(), prod, aContext({ now, acceptances: [acceptance] }));

    expect(a.counted).to.equal(false);
    expect(a.acceptedBy).to.equal(acceptance);
    expect(a.riskScore).to.equal(0);
    expect(a.reasons[0]?.text).to.equal('not counted: risk accepted on this instance by alice until 2026-11-12 (compensating control)');
  });

  it('an expired acceptance (until now or before) does not', () => {
    const atNow = assessFinding(aFinding(), prod, aContext({ now, acceptances: [anAcceptance({ until: now })] }));
    const before = assessFinding(aFinding(), prod, aContext({ now, acceptances: [anAcceptance({ until: now - DAY })] }));

    expect(atNow.counted).to.equal(true);
    expect(before.counted).to.equal(true);
    expect(before.acceptedBy).to.equal(null);
  });

  it('a fleet-wide acceptance (instanceId null) suppresses the CVE on any instance', () => {
    const acceptance = anAcceptance({ instanceId: null, until: now + DAY });

    const a = assessFinding(aFinding({ instanceId: 'i-0ffffffffffffffff' }), prod, aContext({ now, acceptances: [acceptance] }));

    expect(a.counted).to.equal(false);
    expect(a.reasons[0]?.text).to.contain('risk accepted fleet-wide');
  });

  it('an acceptance for another instance or another CVE does not apply', () => {
    const acceptances = [anAcceptance({ instanceId: 'i-0ffffffffffffffff', until: now + DAY }), anAcceptance({ vulnerabilityId: 'CVE-2023-0001', until: now + DAY })];

    const a = assessFinding(aFinding(), prod, aContext({ now, acceptances }));

    expect(a.counted).to.equal(true);
  });

  it('matches the CVE id without regard to case, and prefers the instance acceptance to the fleet one', () => {
    const fleet = anAcceptance({ id: 'fleet', instanceId: null, vulnerabilityId: 'cve-2024-6387', until: now + 9 * DAY });
    const mine = anAcceptance({ id: 'mine', until: now + DAY });

    const a = assessFinding(aFinding(), prod, aContext({ now, acceptances: [fleet, mine] }));

    expect(a.acceptedBy?.id).to.equal('mine');
  });

  it('through assessAsset: in force, fleet-wide and expired acceptances sort findings into counted and excluded', () => {
    const asset = anAsset({ instanceId: 'i-0aaaaaaaaaaaaaaa1' });
    const on = (arn: string, vulnerabilityId: string) => aFinding({ findingArn: arn, instanceId: asset.instanceId, vulnerabilityId });
    const acceptances = [
      anAcceptance({ id: 'mine', instanceId: asset.instanceId, vulnerabilityId: 'CVE-2024-0001', until: now + DAY }),
      anAcceptance({ id: 'fleet', instanceId: null, vulnerabilityId: 'cve-2024-0002', until: now + DAY }),
      anAcceptance({ id: 'expired', instanceId: asset.instanceId, vulnerabilityId: 'CVE-2024-0003', until: now - DAY }),
      anAcceptance({ id: 'elsewhere', instanceId: 'i-0bbbbbbbbbbbbbbb2', vulnerabilityId: 'CVE-2024-0004', until: now + DAY }),
    ];

    const a = assessAsset({ asset, findings: [on('f1', 'CVE-2024-0001'), on('f2', 'CVE-2024-0002'), on('f3', 'CVE-2024-0003'), on('f4', 'CVE-2024-0004')], managedInstance: undefined, patchState: null }, aContext({ now, acceptances }));

    expect(a.excluded.map((f) => [f.finding.findingArn, f.acceptedBy?.id])).to.deep.equal([['f1', 'mine'], ['f2', 'fleet']]);
    expect(a.findings.map((f) => f.finding.findingArn).sort()).to.deep.equal(['f3', 'f4']);
  });

  it('is not applied to a finding that is already not ACTIVE (the status says why)', () => {
    const a = assessFinding(aFinding({ status: 'CLOSED' }), prod, aContext({ now, acceptances: [anAcceptance({ until: now + DAY })] }));

    expect(a.acceptedBy).to.equal(null);
    expect(a.reasons[0]?.factor).to.equal('status');
  });
});

describe('assessAsset', () => {
  it('reads SSM: undefined is unknown (null), null is not managed, Online is managed, anything else is not', () => {
    const ctx = aContext();

    expect(assessAsset(input({ managedInstance: undefined }), ctx).managed).to.equal(null);
    expect(assessAsset(input({ managedInstance: null }), ctx).managed).to.equal(false);
    expect(assessAsset(input({ managedInstance: aManagedInstance() }), ctx).managed).to.equal(true);
    expect(assessAsset(input({ managedInstance: aManagedInstance({ pingStatus: 'ConnectionLost' }) }), ctx).managed).to.equal(false);
    expect(assessAsset(input({ managedInstance: aManagedInstance({ pingStatus: 'Inactive' }) }), ctx).managed).to.equal(false);
  });

  it('reads mission and exposure from the asset and its findings', () => {
    const reach = aFinding({ findingArn: 'reach', type: 'NETWORK_REACHABILITY', vulnerabilityId: null, cvss: [], networkReachability: { openPortRange: { begin: 443, end: 443 }, protocol: 'TCP' } });

    const a = assessAsset(input({ asset: anAsset({ tags: { env: 'dev' } }), findings: [aFinding(), reach] }), aContext());

    expect(a.mission).to.equal('low');
    expect(a.exposed).to.equal(true);
    expect(a.findings.find((f) => f.finding.findingArn !== 'reach')?.timeline).to.equal('3 days');
  });

  it('sorts counted findings by score, then due date, then ARN; non-counted go to excluded', () => {
    const strong = aFinding({ findingArn: 'z-strong', epss: 0.9 });
    const weakLate = aFinding({ findingArn: 'a-weak-late', epss: 0.1, firstObservedAt: T0 + DAY });
    const weakEarly = aFinding({ findingArn: 'b-weak-early', epss: 0.1 });
    const weakEarlyTwin = aFinding({ findingArn: 'a-weak-early', epss: 0.1 });
    const closed = aFinding({ findingArn: 'closed', status: 'CLOSED' });

    const a = assessAsset(input({ findings: [weakLate, closed, weakEarly, strong, weakEarlyTwin] }), aContext());

    expect(a.findings.map((f) => f.finding.findingArn)).to.deep.equal(['z-strong', 'a-weak-early', 'b-weak-early', 'a-weak-late']);
    expect(a.excluded.map((f) => f.finding.findingArn)).to.deep.equal(['closed']);
  });

  it('carries SSM data and the decision', () => {
    const patchState = aPatchState({ installedPendingRebootCount: 2 });

    const a = assessAsset(input({ patchState }), aContext({ catalog: aCatalog('CVE-2024-6387') }));

    expect(a.patchState).to.equal(patchState);
    expect(a.managedInstance?.pingStatus).to.equal('Online');
    expect(a.decision.kind).to.equal('patch-now');
    expect(a.decision.rebootExpected).to.equal(true);
  });
});

describe('compareAssessments', () => {
  it('orders by risk descending, then by instance id', () => {
    const ctx = aContext({ catalog: aCatalog('CVE-2024-6387') });
    const at = (instanceId: string, findings = [aFinding({ instanceId })]): ReturnType<typeof assessAsset> =>
      assessAsset(input({ asset: anAsset({ instanceId }), findings }), ctx);
    const quiet = at('i-000000000000000aa', [aFinding({ instanceId: 'i-000000000000000aa', vulnerabilityId: 'CVE-2020-0001', cvss: [aCvss(vector(), 2)] })]);

    const sorted = [quiet, at('i-000000000000000cc'), at('i-000000000000000bb')].sort(compareAssessments);

    expect(sorted.map((a) => a.asset.instanceId)).to.deep.equal(['i-000000000000000bb', 'i-000000000000000cc', 'i-000000000000000aa']);
  });
});
