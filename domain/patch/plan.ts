/** The patch plan: windows, waves and rollout limits for the assessed fleet. */
import type { FreezeWindow, Policy } from '../policy.js';
import { DECISION_KINDS } from '../vocabulary.js';
import { byIdentity, identityKey, type InstanceMetrics } from '../fleet-facts.js';
import type { AssetAssessment } from '../asset-assessment.js';
import type { DecisionKind } from './decision.js';
import type { Instant } from '../time.js';
import type { PatchPlan, PlannedInstance } from './plan-model.js';
import type { PatchedDecision } from './decision.js';
import { choosePatchWindow, hoursText, instantText, parseUtc, weeklyText } from './window.js';
import type { WindowChoice, WindowFallback } from './window.js';
import { autoScalingGroupOf, autoScalingGroupSizes, isProduction, planWaves } from './waves.js';
import type { WaveCandidate } from './waves.js';

const DECISION_ORDER: readonly DecisionKind[] = DECISION_KINDS;
const FALLBACK_TEXT: Readonly<Record<WindowFallback, string>> = {
  'no-history': 'no CPU history',
  'little-history': 'too little CPU history',
  'nothing-fits': 'no quiet window fits before the due date or outside freezes',
};
/** Instance ids listed in one note before "and N more": enough to act on, short enough to read. */
const MAX_IDS = 10;

function isPatched(kind: DecisionKind): kind is PatchedDecision {
  return kind === 'patch-now' || kind === 'next-window' || kind === 'routine';
}

/**
 * Plans patching for the assessed fleet (docs/patching.md, docs/decision-model.md "Decisions").
 *
 * patch-now, next-window and routine instances get a window (see `choosePatchWindow`, CPU from
 * `metrics`) and a wave (see `planWaves`, Auto Scaling groups sized over all `assessments`);
 * none, blocked and mitigate ones are listed with window and wave null. Instances are sorted by
 * wave, then risk descending, then instance id. Notes name fallbacks, freezes, late windows and
 * counts.
 */
export function buildPatchPlan(
  assessments: readonly AssetAssessment[],
  metrics: ReadonlyMap<string, InstanceMetrics>,
  now: Instant,
  policy: Policy,
): PatchPlan {
  const groupSizes = autoScalingGroupSizes(assessments.map((a) => a.asset), policy);
  const rows = assessments.map((a) => {
    const kind = a.decision.kind;
    const patched = isPatched(kind) ? kind : null;
    const choice = patched
      ? choosePatchWindow({ decision: patched, dueBy: a.decision.dueBy, cpu: byIdentity(metrics, a.asset)?.cpu, escalated: a.decision.escalated }, now, policy)
      : null;
    return { a, patched, choice, production: isProduction(a.asset, a.mission, policy), group: autoScalingGroupOf(a.asset, policy) };
  });

  const candidates = rows.flatMap((r): WaveCandidate[] =>
    r.patched
      // By identity: on an organization read two accounts may hold the same instance id.
      ? [{ instanceId: identityKey(r.a.asset), decision: r.patched, riskScore: r.a.riskScore, production: r.production, autoScalingGroup: r.group }]
      : [],
  );
  const waves = planWaves(candidates, groupSizes, policy);
  const waveOf = new Map<string, { number: number; canary: boolean }>();
  for (const w of waves) for (const id of w.instanceIds) waveOf.set(id, { number: w.number, canary: w.canary });

  const instances: PlannedInstance[] = rows.map(({ a, patched, choice, production, group }) => {
    const wave = patched ? waveOf.get(identityKey(a.asset)) : undefined;
    return {
      instanceId: a.asset.instanceId,
      ...(a.asset.accountId !== undefined ? { accountId: a.asset.accountId } : {}),
      ...(a.asset.region !== undefined ? { region: a.asset.region } : {}),
      name: a.asset.name,
      decision: a.decision.kind,
      riskScore: a.riskScore,
      dueBy: a.decision.dueBy,
      production,
      autoScalingGroup: group,
      rebootExpected: a.decision.rebootExpected,
      window: choice?.window ?? null,
      wave: wave?.number ?? null,
      canary: wave?.canary ?? false,
      lateBy: choice?.lateBy ?? null,
    };
  });
  instances.sort(
    (x, y) => (x.wave ?? Infinity) - (y.wave ?? Infinity) || y.riskScore - x.riskScore || x.instanceId.localeCompare(y.instanceId),
  );

  const choices = rows.flatMap((r) => (r.choice ? [{ id: r.a.asset.instanceId, choice: r.choice }] : []));
  return {
    generatedAt: now,
    instances,
    // The waves name instances by id, as the plan's instances do (the identity key served the grouping).
    waves: waves.map((w) => ({ ...w, instanceIds: w.instanceIds.map((k) => k.slice(k.lastIndexOf('/') + 1)) })),
    rollout: { maxConcurrency: policy.rollout.maxConcurrency, maxErrors: policy.rollout.maxErrors },
    notes: [
      countsNote(instances, waves.length, waves.filter((w) => w.canary).length),
      ...unpatchedNotes(instances),
      ...fallbackNotes(choices, policy),
      ...freezeNotes(choices),
      ...lateNote(instances),
    ],
  };
}

function countsNote(instances: readonly PlannedInstance[], waves: number, canaries: number): string {
  const byKind = DECISION_ORDER.map((k) => [k, instances.filter((i) => i.decision === k).length] as const).filter(([, n]) => n > 0);
  const kinds = byKind.length ? `: ${byKind.map(([k, n]) => `${n} ${k}`).join(', ')}` : '';
  return `${plural(instances.length, 'instance')}${kinds}; ${plural(waves, 'wave')}${canaries ? ` (${canaries} canary)` : ''}.`;
}

function unpatchedNotes(instances: readonly PlannedInstance[]): string[] {
  const blocked = instances.filter((i) => i.decision === 'blocked').map((i) => i.instanceId);
  const mitigate = instances.filter((i) => i.decision === 'mitigate').map((i) => i.instanceId);
  return [
    ...(blocked.length ? [`Not patched, SSM does not manage ${plural(blocked.length, 'instance')}: ${ids(blocked)}.`] : []),
    ...(mitigate.length ? [`Not patched, no fix exists for ${plural(mitigate.length, 'instance')} (isolate or apply a compensating control): ${ids(mitigate)}.`] : []),
  ];
}

function fallbackNotes(choices: readonly { id: string; choice: WindowChoice }[], policy: Policy): string[] {
  const slot = weeklyText(policy.patchWindow.default);
  return (Object.keys(FALLBACK_TEXT) as WindowFallback[]).flatMap((kind) => {
    const hit = choices.filter((c) => c.choice.fallback === kind).map((c) => c.id);
    return hit.length ? [`Policy default window (${slot}) for ${plural(hit.length, 'instance')}, ${FALLBACK_TEXT[kind]}: ${ids(hit)}.`] : [];
  });
}

function freezeNotes(choices: readonly { id: string; choice: WindowChoice }[]): string[] {
  const avoided = new Map<FreezeWindow, string[]>();
  const overridden = new Map<FreezeWindow, string[]>();
  for (const { id, choice } of choices) {
    for (const f of choice.avoidedFreezes) avoided.set(f, [...(avoided.get(f) ?? []), id]);
    if (choice.overriddenFreeze) overridden.set(choice.overriddenFreeze, [...(overridden.get(choice.overriddenFreeze) ?? []), id]);
  }
  return [
    ...[...avoided].map(([f, hit]) => `Freeze ${freezeText(f)} moved the window of ${plural(hit.length, 'instance')}: ${ids(hit)}.`),
    ...[...overridden].map(([f, hit]) => `patch-now overrides freeze ${freezeText(f)} for ${plural(hit.length, 'instance')}: ${ids(hit)}.`),
  ];
}

function lateNote(instances: readonly PlannedInstance[]): string[] {
  const late = instances.filter((i) => i.lateBy !== null);
  if (late.length === 0) return [];
  const list = late.slice(0, MAX_IDS).map((i) => `${i.instanceId} (${hoursText(i.lateBy ?? 0)} late)`);
  const more = late.length > MAX_IDS ? ` and ${late.length - MAX_IDS} more` : '';
  return [`${plural(late.length, 'instance')} patched after the due date: ${list.join(', ')}${more}.`];
}

function freezeText(f: FreezeWindow): string {
  return `"${f.reason}" (${instantText(parseUtc(f.start))} – ${instantText(parseUtc(f.end))})`;
}

function ids(list: readonly string[]): string {
  const more = list.length > MAX_IDS ? ` and ${list.length - MAX_IDS} more` : '';
  return list.slice(0, MAX_IDS).join(', ') + more;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
