import type { Asset, ManagedInstance, PatchState } from '../inputs.js';
import type { ComplianceSummary } from './types.js';

/** managed null: SSM state unknown. */
export function summarizeCompliance(
  assets: readonly Asset[],
  managed: ReadonlyMap<string, ManagedInstance> | null,
  patchStates: ReadonlyMap<string, PatchState>,
): ComplianceSummary {
  void assets; void managed; void patchStates;
  throw new Error('TODO');
}
