import type { ManagedInstance, PatchState } from '../../../domain/fleet-facts.js';
import type { PatchCompliance } from '../../../ports/outbound/patch-compliance.port.js';
import type { SnapshotDirectory } from './snapshot-directory.js';

/**
 * SSM's view from `ssm-describe-instance-information.json` and
 * `ssm-describe-instance-patch-states.json`, both optional: without the first, managed state is
 * unknown (null); without the second, no instance has a patch state.
 */
export class SnapshotPatchCompliance implements PatchCompliance {
  constructor(private readonly snapshot: SnapshotDirectory) {}

  managedInstances(): Promise<ReadonlyMap<string, ManagedInstance> | null> {
    return this.snapshot.managedInstances();
  }

  async patchStates(instanceIds: readonly string[]): Promise<ReadonlyMap<string, PatchState>> {
    const all = await this.snapshot.patchStates();
    const out = new Map<string, PatchState>();
    if (all === null) return out;
    for (const id of instanceIds) {
      const s = all.get(id);
      if (s !== undefined) out.set(id, s);
    }
    return out;
  }
}
