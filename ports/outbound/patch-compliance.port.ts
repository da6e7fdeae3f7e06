import type { ManagedInstance, PatchState } from '../../domain/fleet-facts.js';

/**
 * Systems Manager's view of the fleet: which instances it manages, and their patch state.
 * A secondary source: a failure becomes a warning in the answer, not a crash.
 */
export interface PatchCompliance {
  /**
   * SSM-managed instances by instance id (DescribeInstanceInformation).
   * @returns null when the source cannot tell (e.g. a snapshot without that file): managed
   *   state is then unknown and no instance is reported `blocked`.
   */
  managedInstances(): Promise<ReadonlyMap<string, ManagedInstance> | null>;
  /** Patch states (DescribeInstancePatchStates) of the given instances; missing ids have none. */
  patchStates(instanceIds: readonly string[]): Promise<ReadonlyMap<string, PatchState>>;
}
