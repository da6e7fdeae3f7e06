/** The patch plan: windows, waves and rollout limits for the assessed fleet. */
import type { InstanceMetrics } from '../inputs.js';
import type { Policy } from '../policy.js';
import type { AssetAssessment } from '../risk/types.js';
import type { Instant } from '../time.js';
import type { PatchPlan } from './types.js';

export function buildPatchPlan(
  assessments: readonly AssetAssessment[],
  metrics: ReadonlyMap<string, InstanceMetrics>,
  now: Instant,
  policy: Policy,
): PatchPlan {
  void assessments; void metrics; void now; void policy;
  throw new Error('TODO');
}
