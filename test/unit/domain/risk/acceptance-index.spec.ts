import { expect } from 'chai';
import fc from 'fast-check';
import type { RiskAcceptance } from '../../../../domain/inputs.js';
import { DEFAULT_POLICY } from '../../../../domain/policy.js';
import { indexAcceptances } from '../../../../domain/risk/acceptance-index.js';
import { assessAsset } from '../../../../domain/risk/assess.js';
import { aFinding, anAcceptance, anAsset, T0 } from '../../../builders.js';

const INSTANCES = ['i-a', 'i-b'];
const CVES = ['CVE-2024-1', 'CVE-2024-2', 'cve-2024-3 '];

const acceptance = fc.record({
  id: fc.uuid(),
  vulnerabilityId: fc.constantFrom(...CVES),
  instanceId: fc.constantFrom<string | null>(null, ...INSTANCES),
  until: fc.integer({ min: T0 - 10, max: T0 + 10 }),
}).map((a): RiskAcceptance => anAcceptance(a));

describe('acceptance index', () => {
  it('gives every asset the same assessment as scanning every acceptance', () => {
    fc.assert(fc.property(fc.array(acceptance, { maxLength: 12 }), fc.constantFrom(...INSTANCES), (acceptances, instanceId) => {
      const findings = CVES.map((cve, k) => aFinding({ findingArn: `arn:${k}`, instanceId, vulnerabilityId: cve.trim().toUpperCase() }));
      const input = { asset: anAsset({ instanceId }), findings, managedInstance: undefined, patchState: null };
      const ctx = { catalog: null, acceptances, now: T0, policy: DEFAULT_POLICY };

      const scanned = assessAsset(input, ctx);
      const indexed = assessAsset(input, { ...ctx, acceptanceIndex: indexAcceptances(acceptances, T0) });

      expect(indexed.excluded.map((f) => f.acceptedBy?.id ?? null)).to.deep.equal(scanned.excluded.map((f) => f.acceptedBy?.id ?? null));
      expect(indexed.riskScore).to.equal(scanned.riskScore);
    }));
  });

  it('an acceptance on the instance wins over a fleet-wide one; an expired one counts for nothing', () => {
    const fleet = anAcceptance({ id: 'fleet', instanceId: null, until: T0 + 100 });
    const own = anAcceptance({ id: 'own', instanceId: 'i-a', until: T0 + 1 });
    const expired = anAcceptance({ id: 'old', instanceId: 'i-b', until: T0 });

    const index = indexAcceptances([fleet, own, expired], T0);

    expect(index.lookup('i-a', 'CVE-2024-6387')?.id).to.equal('own');
    expect(index.lookup('i-b', 'CVE-2024-6387')?.id).to.equal('fleet');
    expect(index.lookup('i-b', 'CVE-2099-1')).to.equal(undefined);
  });
});
