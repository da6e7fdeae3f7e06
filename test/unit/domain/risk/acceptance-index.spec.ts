import { expect } from 'chai';
import fc from 'fast-check';
import type { RiskAcceptance } from '../../../../domain/fleet-facts.js';
import { DEFAULT_POLICY } from '../../../../domain/policy.js';
import { acceptanceApplies, indexAcceptances } from '../../../../domain/risk/acceptance-index.js';
import { assessAsset } from '../../../../domain/asset-assessment.js';
import { aFinding, anAcceptance, anAsset, T0 } from '../../../builders.js';

const INSTANCES = ['i-a', 'i-b'];
const CVES = ['CVE-2024-1', 'CVE-2024-2', 'cve-2024-3 ', 'ALAS2-2025-1', 'KB5023697'];

const acceptance = fc.record({
  id: fc.uuid(),
  vulnerabilityId: fc.constantFrom(...CVES),
  instanceId: fc.constantFrom<string | null>(null, ...INSTANCES),
  acceptedAt: fc.integer({ min: T0 - 20, max: T0 + 20 }),
  until: fc.integer({ min: T0 - 10, max: T0 + 10 }),
  revokedAt: fc.option(fc.integer({ min: T0 - 30, max: T0 + 30 }), { nil: null }),
}).map((a): RiskAcceptance => anAcceptance(a));

/** The rule of docs/decision-model.md "Risk acceptances", written out independently. */
function modelApplies(a: RiskAcceptance, instanceId: string, ids: readonly string[], now: number): boolean {
  return a.revokedAt === null && now < a.until && (a.instanceId === null || a.instanceId === instanceId)
    && ids.includes(a.vulnerabilityId.trim().toUpperCase());
}

describe('risk acceptances: the one rule', () => {
  it('a finding is accepted exactly when an unrevoked acceptance for any of its ids, in scope, ends after the assessment instant', () => {
    fc.assert(fc.property(fc.array(acceptance, { maxLength: 12 }), fc.constantFrom(...INSTANCES), fc.integer({ min: T0 - 40, max: T0 + 40 }), (acceptances, instanceId, now) => {
      const findings = [
        aFinding({ findingArn: 'arn:1', instanceId, vulnerabilityId: 'CVE-2024-1' }),
        aFinding({ findingArn: 'arn:2', instanceId, vulnerabilityId: 'CVE-2024-2', relatedVulnerabilities: ['ALAS2-2025-1'] }),
        aFinding({ findingArn: 'arn:3', instanceId, vulnerabilityId: 'KB5023697', relatedVulnerabilities: ['CVE-2024-3'] }),
      ];
      const r = assessAsset({ asset: anAsset({ instanceId }), findings, managedInstance: undefined, patchState: null }, { catalog: null, acceptances, now, policy: DEFAULT_POLICY });

      for (const f of [...r.findings, ...r.excluded]) {
        const ids = [f.finding.vulnerabilityId as string, ...f.finding.relatedVulnerabilities];
        const expected = acceptances.some((a) => modelApplies(a, instanceId, ids, now));
        expect(f.counted, `${f.finding.findingArn} at ${now - T0}`).to.equal(!expected);
      }
    }), { numRuns: 300 });
  });

  it('a revoked acceptance never applies, whatever the instant, even before its revocation or its creation', () => {
    fc.assert(fc.property(acceptance, fc.integer({ min: T0 - 100, max: T0 + 100 }), (a, now) => {
      const revoked = { ...a, revokedAt: a.revokedAt ?? T0 };
      expect(acceptanceApplies(revoked, now)).to.equal(false);
    }));
  });

  it('an unrevoked acceptance applies before its until only, whenever it was created', () => {
    const a = anAcceptance({ acceptedAt: T0 + 1000, until: T0 + 10, revokedAt: null });

    expect(acceptanceApplies(a, T0 - 1000)).to.equal(true);
    expect(acceptanceApplies(a, T0 + 9)).to.equal(true);
    expect(acceptanceApplies(a, T0 + 10)).to.equal(false);
  });

  it('an acceptance on the instance wins over a fleet-wide one; an expired one counts for nothing', () => {
    const fleet = anAcceptance({ id: 'fleet', instanceId: null, until: T0 + 100 });
    const own = anAcceptance({ id: 'own', instanceId: 'i-a', until: T0 + 1 });
    const expired = anAcceptance({ id: 'old', instanceId: 'i-b', until: T0 });

    const index = indexAcceptances([fleet, own, expired], T0);

    expect(index.lookup('i-a', ['CVE-2024-6387'])?.id).to.equal('own');
    expect(index.lookup('i-b', ['CVE-2024-6387'])?.id).to.equal('fleet');
    expect(index.lookup('i-b', ['CVE-2099-1'])).to.equal(undefined);
  });

  it('matches a finding by any of its advisory ids', () => {
    const byAlas = anAcceptance({ id: 'alas', vulnerabilityId: 'ALAS2-2025-2879', instanceId: null, until: T0 + 100 });

    const index = indexAcceptances([byAlas], T0);

    expect(index.lookup('i-a', ['CVE-2025-1', 'ALAS2-2025-2879'])?.id).to.equal('alas');
  });

  describe('instance identity across accounts (ids are unique within an account and region only)', () => {
    const A = '111111111111';
    const B = '222222222222';
    const R = 'us-east-1';
    const SAME = 'i-0123456789abcdef0';
    // As the fleet reader passes them: findings rebuilt from the compact table carry no account; the asset does.
    const finding = aFinding({ instanceId: SAME, vulnerabilityId: 'CVE-2024-6387' });
    const assess = (accountId: string | undefined, acceptances: readonly RiskAcceptance[], here: { accountId: string | null; region: string | null } | null = null) =>
      assessAsset(
        { asset: anAsset({ instanceId: SAME, ...(accountId ? { accountId, region: R } : {}) }), findings: [finding], managedInstance: undefined, patchState: null },
        { catalog: null, acceptances, now: T0, policy: DEFAULT_POLICY, acceptanceIndex: indexAcceptances(acceptances, T0, here) },
      );

    it('property: an acceptance applies exactly when in force, for one of the ids, and fleet-wide, id-only, or recording the account and region the asset (else the source) is in', () => {
      const located = fc.record({
        base: acceptance,
        accountId: fc.constantFrom<string | null>(null, A, B),
      }).map(({ base, accountId }): RiskAcceptance => (accountId === null || base.instanceId === null ? base : { ...base, accountId, region: R }));
      fc.assert(fc.property(fc.array(located, { maxLength: 12 }), fc.constantFrom(...INSTANCES), fc.constantFrom<string | undefined>(undefined, A, B), fc.constantFrom<string | null>(null, A), fc.integer({ min: T0 - 40, max: T0 + 40 }),
        (acceptances, instanceId, accountId, hereAccount, now) => {
          const findings = [
            aFinding({ findingArn: 'arn:1', instanceId, vulnerabilityId: 'CVE-2024-1' }),
            aFinding({ findingArn: 'arn:2', instanceId, vulnerabilityId: 'CVE-2024-2', relatedVulnerabilities: ['ALAS2-2025-1'] }),
          ];
          const here = hereAccount === null ? null : { accountId: hereAccount, region: R };
          const asset = anAsset({ instanceId, ...(accountId ? { accountId, region: R } : {}) });
          const r = assessAsset({ asset, findings, managedInstance: undefined, patchState: null }, { catalog: null, acceptances, now, policy: DEFAULT_POLICY, acceptanceIndex: indexAcceptances(acceptances, now, here) });
          const where = accountId ?? hereAccount;
          for (const f of [...r.findings, ...r.excluded]) {
            const ids = [f.finding.vulnerabilityId as string, ...f.finding.relatedVulnerabilities];
            const expected = acceptances.some((a) => modelApplies(a, instanceId, ids, now) && (a.instanceId === null || !a.accountId || a.accountId === where));
            expect(f.counted, `${f.finding.findingArn} at ${now - T0} in ${String(accountId)} here ${String(hereAccount)}`).to.equal(!expected);
          }
        }), { numRuns: 300 });
    });

    it('an acceptance recording account A applies to A\'s instance only; B\'s finding of the same id stays counted', () => {
      const accepted = [anAcceptance({ id: 'in-a', instanceId: SAME, accountId: A, region: R, until: T0 + 100 })];

      expect(assess(A, accepted).excluded.map((f) => f.acceptedBy?.id)).to.deep.equal(['in-a']);
      expect(assess(B, accepted).findings.map((f) => f.counted)).to.deep.equal([true]);
      expect(assess(B, accepted).riskScore).to.be.greaterThan(0);
    });

    it('an acceptance in the same account but another region does not apply', () => {
      const accepted = [anAcceptance({ instanceId: SAME, accountId: A, region: 'eu-west-1', until: T0 + 100 })];

      expect(assess(A, accepted).findings).to.have.length(1);
    });

    it('an acceptance stored without an account (before they were recorded) applies by id in every account, as it did', () => {
      const old = [anAcceptance({ id: 'old', instanceId: SAME, until: T0 + 100 })];

      expect(assess(A, old).excluded.map((f) => f.acceptedBy?.id)).to.deep.equal(['old']);
      expect(assess(B, old).excluded.map((f) => f.acceptedBy?.id)).to.deep.equal(['old']);
    });

    it('an asset read without its account is in the source\'s own account: the acceptance applies there only when that is its account', () => {
      const accepted = [anAcceptance({ id: 'in-a', instanceId: SAME, accountId: A, region: R, until: T0 + 100 })];

      expect(assess(undefined, accepted, { accountId: A, region: R }).excluded).to.have.length(1);
      expect(assess(undefined, accepted, { accountId: B, region: R }).findings).to.have.length(1);
      // The source's account unknown (the demo, a snapshot without snapshot.json): it cannot tell, so it does not hide the finding.
      expect(assess(undefined, accepted, null).findings).to.have.length(1);
      expect(assess(undefined, accepted, { accountId: A, region: null }).findings).to.have.length(1);
    });

    it('the index looks up by identity; a fleet-wide acceptance still reaches every account', () => {
      const index = indexAcceptances([
        anAcceptance({ id: 'in-b', instanceId: SAME, accountId: B, region: R, until: T0 + 100 }),
        anAcceptance({ id: 'fleet', vulnerabilityId: 'CVE-2024-2', instanceId: null, until: T0 + 100 }),
      ], T0);

      expect(index.lookup({ instanceId: SAME, accountId: B, region: R }, ['CVE-2024-6387'])?.id).to.equal('in-b');
      expect(index.lookup({ instanceId: SAME, accountId: A, region: R }, ['CVE-2024-6387'])).to.equal(undefined);
      expect(index.lookup(SAME, ['CVE-2024-6387'])).to.equal(undefined);
      expect(index.lookup({ instanceId: SAME, accountId: A, region: R }, ['CVE-2024-2'])?.id).to.equal('fleet');
    });
  });
});
