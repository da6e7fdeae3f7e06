/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { PatchWindow, Wave } from '../../../domain/patch/plan-model.js';
import type { DecisionKind } from '../../../domain/patch/decision.js';
import type { InstantBasis } from '../../outbound/source-info.port.js';

export interface PlannedInstanceReport {
  readonly instanceId: string;
  /** The instance's AWS account and region, on an organization read (as on the fleet report's assets). */
  readonly accountId?: string;
  readonly region?: string;
  readonly name: string | null;
  readonly riskScore: number;
  readonly decision: DecisionKind;
  readonly dueBy: string | null;
  readonly window: { readonly start: string; readonly end: string; readonly source: PatchWindow['source']; readonly why: string } | null;
  readonly wave: number | null;
  readonly canary: boolean;
  readonly production: boolean;
  readonly autoScalingGroup: string | null;
  readonly rebootExpected: boolean;
  /** Hours the window ends after dueBy, when nothing fits in time. */
  readonly lateByHours: number | null;
}

export interface PlanReport {
  readonly generatedAt: string;
  readonly asOf: InstantBasis;
  readonly source: string;
  readonly rollout: { readonly maxConcurrency: string; readonly maxErrors: string };
  /** Every decision as a key, each with its instances in wave order. */
  readonly byDecision: Readonly<Record<DecisionKind, readonly PlannedInstanceReport[]>>;
  readonly waves: readonly { readonly number: number; readonly stage: Wave['stage']; readonly canary: boolean; readonly decision: Wave['decision']; readonly instanceIds: readonly string[] }[];
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
}
