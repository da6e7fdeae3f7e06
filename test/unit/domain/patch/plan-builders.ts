/**
 * Builders for the patch plan specs: assessments as literals (the plan must not depend on how
 * risk is assessed), CPU histories with a known shape, and a policy with overrides.
 */
import type { MetricPoint } from '../../../../domain/fleet-facts.js';
import { DEFAULT_POLICY } from '../../../../domain/policy.js';
import type { Policy } from '../../../../domain/policy.js';
import type { AssetAssessment } from '../../../../domain/asset-assessment.js';
import type { DecisionKind, PatchDecision } from '../../../../domain/patch/decision.js';
import { DAY_MS, HOUR_MS } from '../../../../domain/time.js';
import type { Instant } from '../../../../domain/time.js';
import { T0, anAsset } from '../../../builders.js';

/** Wednesday 2026-11-04 12:00 UTC; T0 (2026-11-01) is a Sunday. */
export const NOW: Instant = T0 + 3 * DAY_MS + 12 * HOUR_MS;
/** Sunday 2026-11-08 00:00 UTC, the next week's start after NOW. */
export const NEXT_SUNDAY: Instant = T0 + 7 * DAY_MS;

export function aDecision(kind: DecisionKind, over: Partial<PatchDecision> = {}): PatchDecision {
  const underlying = kind === 'blocked' || kind === 'mitigate' ? 'next-window' : kind;
  return { kind, underlying, dueBy: null, rebootExpected: false, forensicTriage: false, overdue: false, escalated: false, drivers: [], reasons: [`${kind} for the test`], ...over };
}

export interface AssessmentSpec {
  readonly id: string;
  readonly kind?: DecisionKind;
  readonly risk?: number;
  readonly env?: string | null;
  readonly mission?: AssetAssessment['mission'];
  readonly group?: string | null;
  readonly dueBy?: Instant | null;
}

/** An assessment of one instance with the decision, risk, environment and group given. */
export function anAssessment(spec: AssessmentSpec): AssetAssessment {
  const tags: Record<string, string> = { Name: spec.id };
  const env = spec.env === undefined ? 'dev' : spec.env;
  if (env !== null) tags['Environment'] = env;
  const asset = anAsset({ instanceId: spec.id, name: spec.id, tags, autoScalingGroup: spec.group ?? null });
  return {
    asset,
    mission: spec.mission ?? 'medium',
    exposed: false,
    managed: spec.kind !== 'blocked',
    managedInstance: null,
    patchState: null,
    riskScore: spec.risk ?? 50,
    reasons: [],
    decision: aDecision(spec.kind ?? 'next-window', { dueBy: spec.dueBy ?? null }),
    findings: [],
    excluded: [],
  };
}

/** Hourly CPU for the `days` days before `now`, valued by hour-of-week slot (0 = Sun 00:00 UTC). */
export function cpuWeeks(now: Instant, days: number, cpuAt: (slot: number) => number): MetricPoint[] {
  const end = Math.floor(now / HOUR_MS) * HOUR_MS;
  const points: MetricPoint[] = [];
  for (let t = end - days * DAY_MS; t < end; t += HOUR_MS) {
    const slot = new Date(t).getUTCDay() * 24 + new Date(t).getUTCHours();
    points.push({ t, v: cpuAt(slot) });
  }
  return points;
}

/** Slot number of a weekday (0 = Sunday) and UTC hour. */
export function slot(day: number, hour: number): number {
  return day * 24 + hour;
}

/** A busy week (40–60% CPU) with the slots listed at the CPU given. */
export function busyWeekWith(quiet: Readonly<Record<number, number>>): (slot: number) => number {
  return (s) => quiet[s] ?? 40 + 20 * Math.abs(Math.sin(s));
}

export function aPolicy(over: {
  readonly patchWindow?: Partial<Policy['patchWindow']>;
  readonly rollout?: Partial<Policy['rollout']>;
  readonly freezeWindows?: Policy['freezeWindows'];
} = {}): Policy {
  return {
    ...DEFAULT_POLICY,
    patchWindow: { ...DEFAULT_POLICY.patchWindow, ...over.patchWindow },
    rollout: { ...DEFAULT_POLICY.rollout, ...over.rollout },
    freezeWindows: over.freezeWindows ?? DEFAULT_POLICY.freezeWindows,
  };
}
