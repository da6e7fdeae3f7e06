/** Puts proxies, SSVC, timeline, score and decision together for one finding and one asset. */
import type { Asset, ExploitedCatalog, Finding, ManagedInstance, PatchState, RiskAcceptance } from '../inputs.js';
import type { Policy } from '../policy.js';
import type { Instant } from '../time.js';
import type { AssetAssessment, AssetContext, FindingAssessment } from './types.js';

export interface AssetInput {
  readonly asset: Asset;
  /** All findings on this asset (any status: the non-ACTIVE ones are listed as excluded). */
  readonly findings: readonly Finding[];
  /** undefined: SSM state unknown; null: known not to be managed. */
  readonly managedInstance: ManagedInstance | null | undefined;
  readonly patchState: PatchState | null;
}

export interface AssessmentContext {
  readonly catalog: ExploitedCatalog | null;
  /** Acceptances in force or not; expired ones are ignored here (compared with `now`). */
  readonly acceptances: readonly RiskAcceptance[];
  readonly now: Instant;
  readonly policy: Policy;
}

export function assessFinding(finding: Finding, asset: AssetContext, ctx: AssessmentContext): FindingAssessment {
  void finding; void asset; void ctx;
  throw new Error('TODO');
}

export function assessAsset(input: AssetInput, ctx: AssessmentContext): AssetAssessment {
  void input; void ctx;
  throw new Error('TODO');
}

/** Highest risk first; ties broken by instance id so the order is stable. */
export function compareAssessments(a: AssetAssessment, b: AssetAssessment): number {
  return b.riskScore - a.riskScore || a.asset.instanceId.localeCompare(b.asset.instanceId);
}
