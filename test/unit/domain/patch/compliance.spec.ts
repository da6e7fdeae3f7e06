import { expect } from 'chai';
import type { ManagedInstance, PatchState } from '../../../../domain/fleet-facts.js';
import { summarizeCompliance } from '../../../../domain/patch/compliance.js';
import { T0, aManagedInstance, aPatchState, anAsset } from '../../../builders.js';

const ids = ['i-clean', 'i-missing', 'i-reboot', 'i-unknown'] as const;
const assets = ids.map((instanceId) => anAsset({ instanceId, name: instanceId.slice(2) }));

function statesOf(...states: PatchState[]): Map<string, PatchState> {
  return new Map(states.map((s) => [s.instanceId, s]));
}

describe('summarizeCompliance', () => {
  const states = statesOf(
    aPatchState({ instanceId: 'i-clean' }),
    aPatchState({ instanceId: 'i-missing', missingCount: 4, failedCount: 1, criticalNonCompliantCount: 2, securityNonCompliantCount: 3 }),
    aPatchState({ instanceId: 'i-reboot', installedPendingRebootCount: 2, operation: 'Install', operationEndTime: T0 + 5_000 }),
  );
  const managed = new Map<string, ManagedInstance>([
    ['i-clean', aManagedInstance({ instanceId: 'i-clean' })],
    ['i-missing', aManagedInstance({ instanceId: 'i-missing' })],
    ['i-reboot', aManagedInstance({ instanceId: 'i-reboot', pingStatus: 'ConnectionLost' })],
  ]);

  it('counts compliant, non-compliant (pending reboot included) and unknown instances', () => {
    const summary = summarizeCompliance(assets, managed, states);

    expect(summary.perInstance.map((i) => [i.instanceId, i.status])).to.deep.equal([
      ['i-clean', 'compliant'], ['i-missing', 'non-compliant'], ['i-reboot', 'non-compliant'], ['i-unknown', 'unknown'],
    ]);
    expect(summary).to.deep.include({
      instances: 4, managed: 2, withPatchState: 3, compliant: 1, nonCompliant: 2, compliancePercent: 33.3,
      missing: 4, failed: 1, pendingReboot: 2, criticalNonCompliant: 2, securityNonCompliant: 3,
    });
  });

  it('reports each instance with its counts and last operation', () => {
    const summary = summarizeCompliance(assets, managed, states);

    expect(summary.perInstance[2]).to.deep.equal({
      instanceId: 'i-reboot', name: 'reboot', managed: false, status: 'non-compliant', missing: 0, failed: 0,
      pendingReboot: 2, criticalNonCompliant: 0, securityNonCompliant: 0, lastOperation: 'Install', lastOperationAt: T0 + 5_000,
    });
    expect(summary.perInstance[3]).to.deep.include({ managed: false, lastOperation: null, lastOperationAt: null, missing: 0 });
  });

  it('calls a security-only non-compliance non-compliant', () => {
    const summary = summarizeCompliance([assets[0]!], managed, statesOf(aPatchState({ instanceId: 'i-clean', securityNonCompliantCount: 1 })));

    expect(summary.perInstance[0]?.status).to.equal('non-compliant');
    expect(summary.compliancePercent).to.equal(0);
  });

  it('rounds the percentage to one decimal', () => {
    const two = statesOf(aPatchState({ instanceId: 'i-clean' }), aPatchState({ instanceId: 'i-missing' }), aPatchState({ instanceId: 'i-reboot', failedCount: 1 }));

    expect(summarizeCompliance(assets, managed, two).compliancePercent).to.equal(66.7);
  });

  it('leaves managed and the percentage null when unknown', () => {
    const summary = summarizeCompliance(assets, null, new Map());

    expect(summary).to.deep.include({ managed: null, withPatchState: 0, compliancePercent: null, compliant: 0, nonCompliant: 0 });
    expect(summary.perInstance.every((i) => i.managed === null && i.status === 'unknown')).to.equal(true);
  });

  it('ignores patch states of instances not in the fleet', () => {
    const summary = summarizeCompliance([assets[0]!], managed, statesOf(aPatchState({ instanceId: 'i-gone', missingCount: 9 })));

    expect(summary).to.deep.include({ instances: 1, withPatchState: 0, missing: 0 });
  });
});
