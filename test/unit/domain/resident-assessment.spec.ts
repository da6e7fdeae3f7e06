/**
 * The resident form of an asset's assessment (residentAssessment, issue 17): what a fleet keeps per
 * instance once assessed. It keeps scalars and references only; the texts and the finding
 * assessments are built again when read, and must then equal the full assessment's.
 */
import { retainedMemory } from '../../support/retained-memory.js';
import { expect } from 'chai';
import { assessAsset, residentAssessment, type AssessmentDetails, type AssetAssessment, type AssetInput } from '../../../domain/asset-assessment.js';
import type { Asset, Finding } from '../../../domain/fleet-facts.js';
import { aCatalog, aCvss, aFinding, aManagedInstance, anAcceptance, anAsset, aPatchState, T0 } from '../../builders.js';
import { aContext, vectorFor } from './risk/helpers.js';

const DAY = 86_400_000;

/**
 * Twenty findings of varied kinds on one instance: KEV, overdue, kernel, no fix, closed, accepted,
 * reachability; every sixth instance has only closed findings, and another no fix for any.
 */
function findingsOn(instanceId: string, k: number): Finding[] {
  return Array.from({ length: 20 }, (_, i) => aFinding({
    findingArn: `arn:aws:inspector2:us-east-1:123456789012:finding/${(k * 20 + i).toString(16).padStart(32, '0')}`,
    instanceId,
    vulnerabilityId: `CVE-2024-${1000 + ((k + i) % 50)}`,
    title: `CVE-2024-${1000 + ((k + i) % 50)} - package-${i}`,
    cvss: [aCvss(vectorFor(i % 2 === 0, i % 3 === 0), 5 + (i % 5))],
    epss: (i % 10) / 10,
    fixAvailable: k % 6 === 5 || i % 7 === 0 ? 'NO' : 'YES',
    status: i === 19 || k % 6 === 4 ? 'CLOSED' : 'ACTIVE',
    type: i === 18 ? 'NETWORK_REACHABILITY' : 'PACKAGE_VULNERABILITY',
    networkReachability: i === 18 ? { openPortRange: { begin: 22, end: 22 }, protocol: 'TCP' } : null,
    packages: [{ name: i === 3 ? 'kernel' : `package-${i}`, version: '1.0-1', fixedInVersion: i % 7 === 0 ? 'NotAvailable' : '1.0-2' }],
    firstObservedAt: T0 - (i % 4) * 30 * DAY,
  }));
}

const ctx = aContext({
  catalog: aCatalog('CVE-2024-1001', 'CVE-2024-1007'),
  acceptances: [anAcceptance({ vulnerabilityId: 'CVE-2024-1010', instanceId: null, until: T0 + 90 * DAY })],
  now: T0 + 40 * DAY,
});

function inputsFor(n: number): Map<Asset, AssetInput> {
  const inputs = new Map<Asset, AssetInput>();
  for (let k = 0; k < n; k++) {
    const asset = anAsset({ instanceId: `i-${k.toString(16).padStart(17, '0')}`, name: `host-${k}` });
    inputs.set(asset, {
      asset,
      findings: findingsOn(asset.instanceId, k),
      managedInstance: k % 5 === 0 ? null : k % 5 === 1 ? undefined : aManagedInstance({ instanceId: asset.instanceId }),
      patchState: k % 3 === 0 ? aPatchState({ instanceId: asset.instanceId, installedPendingRebootCount: k % 2 }) : null,
    });
  }
  return inputs;
}

/** A details source over `inputs` that counts how often an asset is assessed again. */
function detailsOver(inputs: ReadonlyMap<Asset, AssetInput>): AssessmentDetails & { calls: number } {
  return {
    calls: 0,
    detailOf(asset: Asset): AssetAssessment {
      this.calls++;
      return assessAsset(inputs.get(asset) as AssetInput, ctx);
    },
  };
}

describe('residentAssessment (the resident form of an asset)', () => {
  it('reads as the full assessment: every field, the decision\'s reasons and drivers, JSON.stringify', () => {
    const inputs = inputsFor(12);
    const details = detailsOver(inputs);
    const kinds = new Set<string>();
    for (const input of inputs.values()) {
      const full = assessAsset(input, ctx);
      const resident = residentAssessment(assessAsset(input, ctx), details);
      kinds.add(full.decision.kind);
      expect(details.calls, 'nothing rebuilt until read').to.equal(0);
      for (const key of ['asset', 'mission', 'exposed', 'managed', 'managedInstance', 'patchState', 'riskScore'] as const) {
        expect(resident[key], key).to.equal(full[key]);
      }
      for (const key of ['kind', 'underlying', 'dueBy', 'rebootExpected', 'forensicTriage', 'overdue', 'escalated'] as const) {
        expect(resident.decision[key], `decision.${key}`).to.equal(full.decision[key]);
      }
      expect(details.calls, 'scalars are kept').to.equal(0);
      expect(resident.reasons).to.deep.equal(full.reasons);
      expect(resident.decision.reasons).to.deep.equal(full.decision.reasons);
      expect(resident.decision.drivers).to.deep.equal(full.decision.drivers);
      expect(resident.findings).to.deep.equal(full.findings);
      expect(resident.excluded).to.deep.equal(full.excluded);
      expect(JSON.stringify(resident)).to.equal(JSON.stringify(full));
      expect(JSON.stringify(resident.decision)).to.equal(JSON.stringify(full.decision));
      details.calls = 0;
    }
    // The inputs reach several decisions (blocked, mitigate, patch-now...), with reasons of each kind.
    expect([...kinds].sort()).to.deep.equal(['blocked', 'mitigate', 'none', 'patch-now']);
  });

  it('keeps at most 400 bytes per instance once assessed (its reasons, decision texts and findings\' assessments not kept)', () => {
    const used = (): number => retainedMemory();
    const n = 3_000;
    const inputs = inputsFor(n);
    const details = detailsOver(inputs);
    const before = used();
    const residents: AssetAssessment[] = [];
    for (const input of inputs.values()) residents.push(residentAssessment(assessAsset(input, ctx), details));
    const perInstance = (used() - before) / n;
    console.log(`      ${perInstance.toFixed(0)} B kept an instance`);
    expect(residents).to.have.length(n);
    expect(residents[0]!.reasons.length).to.be.above(0);
    expect(perInstance, 'bytes kept an instance').to.be.below(400);
  });
});
