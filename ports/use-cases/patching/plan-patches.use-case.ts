import { DECISION_KINDS } from '../../../domain/vocabulary.js';
import type { InstanceMetrics } from '../../../domain/fleet-facts.js';
import { buildPatchPlan } from '../../../domain/patch/plan.js';
import type { PatchPlan, PlannedInstance } from '../../../domain/patch/plan-model.js';
import type { DecisionKind } from '../../../domain/patch/decision.js';
import { DAY_MS, toIso, type Instant } from '../../../domain/time.js';
import type { CoreDependencies } from '../shared/core-dependencies.js';
import { assessFleet, type FleetAssessment } from '../assessment/fleet-reader.js';
import { asOfOf } from '../assessment/fleet-report.mapper.js';
import { addSourceWarnings, secondary } from '../shared/warnings.js';
import type { PlannedInstanceReport, PlanReport } from '../../inbound/patching/plan-patches.port.js';

function toReport(p: PlannedInstance): PlannedInstanceReport {
  return {
    instanceId: p.instanceId,
    ...(p.accountId !== undefined ? { accountId: p.accountId } : {}),
    ...(p.region !== undefined ? { region: p.region } : {}),
    name: p.name,
    riskScore: p.riskScore,
    decision: p.decision,
    dueBy: toIso(p.dueBy),
    window: p.window ? { start: toIso(p.window.start) as string, end: toIso(p.window.end) as string, source: p.window.source, why: p.window.why } : null,
    wave: p.wave,
    canary: p.canary,
    production: p.production,
    autoScalingGroup: p.autoScalingGroup,
    rebootExpected: p.rebootExpected,
    lateByHours: p.lateBy === null ? null : Math.round((p.lateBy / 3_600_000) * 10) / 10,
  };
}

/**
 * The fleet's assessment and its plan (CPU history read for the instances that wait for a
 * window), at `now` (default: the assessment's instant). Shared by `plan` and the autopilot.
 */
export async function computePlan(deps: CoreDependencies, now?: Instant): Promise<{ fleet: FleetAssessment; plan: PatchPlan; warnings: string[] }> {
  const fleet = await assessFleet(deps);
  const at = now ?? fleet.now;
  const warnings = [...fleet.warnings];
  // CPU history only for instances that wait for a window; patch-now goes out at once.
  const needWindow = fleet.assets.filter((a) => a.decision.kind === 'next-window' || a.decision.kind === 'routine').map((a) => a.asset.instanceId);
  const historyDays = deps.policy.patchWindow.historyDays;
  const metrics =
    needWindow.length === 0
      ? new Map<string, InstanceMetrics>()
      : await secondary(
          warnings,
          'cloudwatch',
          'GetMetricData',
          () => deps.metrics.getInstanceMetrics({ instanceIds: needWindow, start: at - historyDays * DAY_MS, end: at, periodSeconds: 3600 }),
          new Map<string, InstanceMetrics>(),
        );
  addSourceWarnings(warnings, deps.source);
  return { fleet, plan: buildPatchPlan(fleet.assets, metrics, at, deps.policy), warnings };
}

/**
 * What to patch, when and in what order: the quietest window before each due date (from CPU
 * history), waves (non-production first, a canary, Auto Scaling groups kept at capacity).
 */
export class PlanPatches {
  constructor(private readonly deps: CoreDependencies) {}

  async execute(): Promise<PlanReport> {
    const { fleet, plan, warnings } = await computePlan(this.deps);
    const byDecision = Object.fromEntries(DECISION_KINDS.map((d) => [d, [] as PlannedInstanceReport[]])) as Record<DecisionKind, PlannedInstanceReport[]>;
    for (const p of plan.instances) byDecision[p.decision].push(toReport(p));
    return {
      generatedAt: toIso(fleet.now) as string,
      asOf: asOfOf(this.deps.source),
      source: this.deps.source.label,
      rollout: plan.rollout,
      byDecision,
      waves: plan.waves.map((w) => ({ number: w.number, stage: w.stage, canary: w.canary, decision: w.decision, instanceIds: w.instanceIds })),
      notes: plan.notes,
      warnings,
    };
  }
}
