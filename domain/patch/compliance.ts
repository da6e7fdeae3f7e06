/** Patch compliance over the fleet, as SSM patch states report it. */
import { byIdentity, type Asset, type ManagedInstance, type PatchState } from '../fleet-facts.js';
import type { Instant } from '../time.js';

type InstanceCompliance = ComplianceSummary['perInstance'][number];

/**
 * Summarizes SSM patch compliance for `assets`, in their order.
 *
 * An instance is compliant when it has a patch state with nothing missing, failed, installed
 * pending reboot (SSM reports those as non-compliant: the old code still runs), critical or
 * security non-compliant; non-compliant otherwise; unknown without a patch state. The percentage
 * is over the instances with a state, to one decimal. Managed means SSM PingStatus Online.
 *
 * @param managed SSM's managed instances by id; null when SSM state is unknown (managed is then
 *   null too).
 * @param patchStates patch states by instance id; states of instances not in `assets` are ignored.
 */
export function summarizeCompliance(
  assets: readonly Asset[],
  managed: ReadonlyMap<string, ManagedInstance> | null,
  patchStates: ReadonlyMap<string, PatchState>,
): ComplianceSummary {
  const perInstance = assets.map((asset): InstanceCompliance => {
    const state = byIdentity(patchStates, asset) ?? null;
    const isManaged = managed === null ? null : byIdentity(managed, asset)?.pingStatus === 'Online';
    const counts = {
      missing: state?.missingCount ?? 0,
      failed: state?.failedCount ?? 0,
      pendingReboot: state?.installedPendingRebootCount ?? 0,
      criticalNonCompliant: state?.criticalNonCompliantCount ?? 0,
      securityNonCompliant: state?.securityNonCompliantCount ?? 0,
    };
    const clean = Object.values(counts).every((n) => n === 0);
    return {
      instanceId: asset.instanceId,
      name: asset.name,
      managed: isManaged,
      status: state === null ? 'unknown' : clean ? 'compliant' : 'non-compliant',
      ...counts,
      lastOperation: state?.operation ?? null,
      lastOperationAt: state?.operationEndTime ?? state?.operationStartTime ?? null,
    };
  });

  const sum = (pick: (i: InstanceCompliance) => number): number => perInstance.reduce((acc, i) => acc + pick(i), 0);
  const compliant = perInstance.filter((i) => i.status === 'compliant').length;
  const nonCompliant = perInstance.filter((i) => i.status === 'non-compliant').length;
  const withPatchState = compliant + nonCompliant;
  return {
    instances: perInstance.length,
    managed: managed === null ? null : perInstance.filter((i) => i.managed === true).length,
    withPatchState,
    compliant,
    nonCompliant,
    compliancePercent: withPatchState === 0 ? null : Math.round((compliant / withPatchState) * 1000) / 10,
    missing: sum((i) => i.missing),
    failed: sum((i) => i.failed),
    pendingReboot: sum((i) => i.pendingReboot),
    criticalNonCompliant: sum((i) => i.criticalNonCompliant),
    securityNonCompliant: sum((i) => i.securityNonCompliant),
    perInstance,
  };
}

/** Patch compliance over the fleet (SSM patch states). */
export interface ComplianceSummary {
  readonly instances: number;
  readonly managed: number | null;
  readonly withPatchState: number;
  readonly compliant: number;
  readonly nonCompliant: number;
  /** compliant / withPatchState, 0..100, null when no state. */
  readonly compliancePercent: number | null;
  readonly missing: number;
  readonly failed: number;
  readonly pendingReboot: number;
  readonly criticalNonCompliant: number;
  readonly securityNonCompliant: number;
  readonly perInstance: readonly {
    readonly instanceId: string;
    readonly name: string | null;
    readonly managed: boolean | null;
    readonly status: 'compliant' | 'non-compliant' | 'unknown';
    readonly missing: number;
    readonly failed: number;
    readonly pendingReboot: number;
    readonly criticalNonCompliant: number;
    readonly securityNonCompliant: number;
    readonly lastOperation: string | null;
    readonly lastOperationAt: Instant | null;
  }[];
}
