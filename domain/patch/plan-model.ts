/** Outputs of patch planning. */
import type { DecisionKind } from './decision.js';
import type { Instant } from '../time.js';
import type { PatchedDecision } from './decision.js';

/** When one instance gets patched, and why then. */
export interface PatchWindow {
  readonly start: Instant;
  readonly end: Instant;
  /** immediate: patch-now; cpu-history: the quietest hour found; default: the policy's window. */
  readonly source: 'immediate' | 'cpu-history' | 'default';
  /** A sentence: "quietest 3 h of the week: Sun 02:00–05:00 UTC, mean CPU 3.2% over 14 days". */
  readonly why: string;
}

export interface PlannedInstance {
  readonly instanceId: string;
  /** The account and region of the instance on an organization read (see fleet-facts): with the id, its identity. */
  readonly accountId?: string;
  readonly region?: string;
  readonly name: string | null;
  readonly decision: DecisionKind;
  readonly riskScore: number;
  readonly dueBy: Instant | null;
  readonly production: boolean;
  readonly autoScalingGroup: string | null;
  readonly rebootExpected: boolean;
  /** null for decisions that are not patched (none, blocked, mitigate). */
  readonly window: PatchWindow | null;
  /** 1-based; null when not patched. */
  readonly wave: number | null;
  readonly canary: boolean;
  /** Set when the window ends after dueBy (no window fits in time). */
  readonly lateBy: number | null;
}

export interface Wave {
  /** 1-based, consecutive across the plan. */
  readonly number: number;
  /** Waves are computed per urgency: every patch-now wave comes before any next-window wave. */
  readonly decision: PatchedDecision;
  readonly stage: 'non-production' | 'production';
  readonly canary: boolean;
  readonly instanceIds: readonly string[];
}

export interface PatchPlan {
  readonly generatedAt: Instant;
  /** Every assessed instance, grouped by the consumer as it likes; sorted by wave then risk. */
  readonly instances: readonly PlannedInstance[];
  readonly waves: readonly Wave[];
  readonly rollout: { readonly maxConcurrency: string; readonly maxErrors: string };
  readonly notes: readonly string[];
}
