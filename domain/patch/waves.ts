/**
 * Rollout waves: urgency first, then non-production before production, a canary of one in each
 * stage, and never more than a share of one Auto Scaling group at once so its capacity holds.
 */
import type { Asset } from '../fleet-facts.js';
import type { Mission, Policy } from '../policy.js';
import { WAVE_STAGES } from '../vocabulary.js';
import type { PatchedDecision } from './decision.js';
import type { Wave } from './plan-model.js';

/** The order urgencies are rolled out in. */
export const PATCHED_DECISIONS = ['patch-now', 'next-window', 'routine'] as const satisfies readonly PatchedDecision[];
const STAGES: readonly Wave['stage'][] = WAVE_STAGES;

/** One instance to place in a wave. */
export interface WaveCandidate {
  readonly instanceId: string;
  readonly decision: PatchedDecision;
  readonly riskScore: number;
  readonly production: boolean;
  readonly autoScalingGroup: string | null;
}

/** The value of the first tag among `keys` present on the asset; keys compare without regard to case. */
function tagValue(tags: Readonly<Record<string, string>>, keys: readonly string[]): string | null {
  const entries = Object.entries(tags);
  for (const key of keys) {
    const hit = entries.find(([k]) => k.toLowerCase() === key.toLowerCase());
    if (hit) return hit[1];
  }
  return null;
}

/** The instance's environment tag value (the first of policy.tags.environment it carries), lower case; null when untagged. */
export function environmentOf(asset: Asset, policy: Policy): string | null {
  const env = tagValue(asset.tags, policy.tags.environment);
  return env === null ? null : env.trim().toLowerCase();
}

/**
 * Production when the first environment tag (policy.tags.environment) has a value listed in
 * policy.productionEnvironments, compared without regard to case; without such a tag, mission
 * high counts as production.
 */
export function isProduction(asset: Asset, mission: Mission, policy: Policy): boolean {
  const env = tagValue(asset.tags, policy.tags.environment);
  if (env === null) {
    // Untagged and mission-critical: treating it as production keeps it behind the canary and
    // the non-production stage, the safer mistake to make.
    return mission === 'high';
  }
  const value = env.trim().toLowerCase();
  return policy.productionEnvironments.some((p) => p.toLowerCase() === value);
}

/** The instance's Auto Scaling group: the policy's tag when present, else the EC2 field. */
export function autoScalingGroupOf(asset: Asset, policy: Policy): string | null {
  return tagValue(asset.tags, [policy.tags.autoScalingGroup]) ?? asset.autoScalingGroup;
}

/** Members of each Auto Scaling group among the given assets (patched or not). */
export function autoScalingGroupSizes(assets: readonly Asset[], policy: Policy): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const asset of assets) {
    const group = autoScalingGroupOf(asset, policy);
    if (group !== null) sizes.set(group, (sizes.get(group) ?? 0) + 1);
  }
  return sizes;
}

/** Most instances of one group a wave may hold: max(1, floor(groupSize * fraction)). */
export function groupLimit(groupSize: number, fraction: number): number {
  return Math.max(1, Math.floor(groupSize * fraction));
}

/**
 * Splits the instances to patch into waves (docs/patching.md), numbered from 1.
 *
 * For each urgency (patch-now, next-window, routine) and each stage (non-production, production):
 * when policy.rollout.canary is on and the stage has more than one instance, a canary wave of one
 * (the lowest-risk instance outside any Auto Scaling group, else the lowest-risk one); then as few
 * waves as the group limit allows, riskiest first, with every instance outside a group in the
 * first of them.
 *
 * @param groupSizes members of each Auto Scaling group in the whole fleet; a group missing from
 *   it is sized by its members among `candidates`.
 */
export function planWaves(
  candidates: readonly WaveCandidate[],
  groupSizes: ReadonlyMap<string, number>,
  policy: Policy,
  /**
   * urgency-first (the plan): patch-now waves, then next-window, then routine, each staged
   * non-production then production, since they go out in different windows. stage-first (a patch
   * run, whose instances all go out now): every non-production wave before any production wave,
   * urgency ordering the waves within a stage, so production is never the first to take a patch.
   */
  order: 'urgency-first' | 'stage-first' = 'urgency-first',
): Wave[] {
  const counts = new Map<string, number>();
  for (const c of candidates) if (c.autoScalingGroup !== null) counts.set(c.autoScalingGroup, (counts.get(c.autoScalingGroup) ?? 0) + 1);
  const limitOf = (group: string): number =>
    groupLimit(groupSizes.get(group) ?? counts.get(group) ?? 1, policy.rollout.maxAutoScalingGroupFraction);

  const groups = order === 'urgency-first'
    ? PATCHED_DECISIONS.flatMap((decision) => STAGES.map((stage) => ({ decision, stage })))
    : STAGES.flatMap((stage) => PATCHED_DECISIONS.map((decision) => ({ decision, stage })));
  const waves: Wave[] = [];
  for (const { decision, stage } of groups) {
    const members = candidates
      .filter((c) => c.decision === decision && c.production === (stage === 'production'))
      .sort(riskiestFirst);
    if (members.length === 0) continue;
    let rest = members;
    if (policy.rollout.canary && members.length > 1) {
      const canary = pickCanary(members);
      waves.push({ number: waves.length + 1, decision, stage, canary: true, instanceIds: [canary.instanceId] });
      rest = members.filter((m) => m !== canary);
    }
    for (const ids of packByGroup(rest, limitOf)) {
      waves.push({ number: waves.length + 1, decision, stage, canary: false, instanceIds: ids });
    }
  }
  return waves;
}

function riskiestFirst(a: WaveCandidate, b: WaveCandidate): number {
  return b.riskScore - a.riskScore || a.instanceId.localeCompare(b.instanceId);
}

/**
 * Lowest risk limits the harm if the patch breaks it; outside a group because an Auto Scaling
 * group may replace an instance that fails its health check mid-patch, hiding the very failure the
 * canary is there to show.
 */
function pickCanary(members: readonly WaveCandidate[]): WaveCandidate {
  const standalone = members.filter((m) => m.autoScalingGroup === null);
  const pool = standalone.length ? standalone : members;
  return pool.reduce((best, m) => (m.riskScore < best.riskScore || (m.riskScore === best.riskScore && m.instanceId < best.instanceId) ? m : best));
}

/** `members` riskiest first; the i-th member of a group goes to wave floor(i / limit). */
function packByGroup(members: readonly WaveCandidate[], limitOf: (group: string) => number): string[][] {
  const waves: string[][] = [];
  const seen = new Map<string, number>();
  for (const m of members) {
    let index = 0;
    if (m.autoScalingGroup !== null) {
      const i = seen.get(m.autoScalingGroup) ?? 0;
      seen.set(m.autoScalingGroup, i + 1);
      index = Math.floor(i / limitOf(m.autoScalingGroup));
    }
    while (waves.length <= index) waves.push([]);
    waves[index]?.push(m.instanceId);
  }
  // No wave is empty: each group's first member is in wave 0 and a group fills its waves in order.
  return waves;
}
