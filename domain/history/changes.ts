/**
 * What changed between two recorded assessments (docs/history.md): findings that appeared or
 * went away, escalations (a more urgent SSVC outcome or timeline, newly in KEV, a fix newly
 * available) and de-escalations, findings newly past their due date, findings due within N days,
 * assets whose patch decision changed, and risk acceptances that run out within N days.
 */
import type { FixAvailable } from '../fleet-facts.js';
import type { DecisionKind } from '../patch/decision.js';
import { DAY_MS, type Instant } from '../time.js';
import { DECISION_KINDS, SSVC_OUTCOMES, TIMELINES } from '../vocabulary.js';
import { assetKey, counts, findingKey, isOverdue, type AssessmentRecord, type RecordedAsset, type RecordedFinding } from './assessment-record.js';

/** Why a finding became more (or less) urgent. */
export const ESCALATION_KINDS = ['ssvc', 'timeline', 'kev', 'fix-available'] as const;
export type EscalationKind = (typeof ESCALATION_KINDS)[number];

export interface FindingChange {
  readonly finding: RecordedFinding;
  /** The same finding in the earlier assessment (absent for a new one). */
  readonly before?: RecordedFinding;
}

export interface Escalation extends FindingChange {
  readonly before: RecordedFinding;
  /** What moved, in the order of ESCALATION_KINDS. */
  readonly kinds: readonly EscalationKind[];
}

export interface DecisionChange {
  readonly asset: RecordedAsset;
  /** null when the asset was not in the earlier assessment. */
  readonly from: DecisionKind | null;
  readonly to: DecisionKind;
}

export interface Changes {
  readonly from: Instant;
  readonly to: Instant;
  readonly added: readonly FindingChange[];
  readonly resolved: readonly FindingChange[];
  readonly escalations: readonly Escalation[];
  readonly deEscalations: readonly Escalation[];
  readonly newlyOverdue: readonly FindingChange[];
  readonly dueSoon: readonly FindingChange[];
  readonly decisionsChanged: readonly DecisionChange[];
  readonly acceptancesExpiring: readonly FindingChange[];
}

export interface ChangeOptions {
  /** "Due soon" and "acceptance expiring" look this many days ahead of the later assessment. */
  readonly dueSoonDays: number;
}

const rank = <T>(list: readonly T[], v: T | null): number => (v === null ? list.length : list.indexOf(v));
const FIX_RANK: Readonly<Record<FixAvailable, number>> = { YES: 0, PARTIAL: 1, NO: 2 };

/** What became more urgent from `b` to `a` (lower rank is more urgent). */
function moved(b: RecordedFinding, a: RecordedFinding, more: boolean): EscalationKind[] {
  const better = (x: number, y: number): boolean => (more ? x < y : x > y);
  const kinds: EscalationKind[] = [];
  if (better(rank(SSVC_OUTCOMES, a.ssvc), rank(SSVC_OUTCOMES, b.ssvc))) kinds.push('ssvc');
  if (better(rank(TIMELINES, a.timeline), rank(TIMELINES, b.timeline))) kinds.push('timeline');
  if (more ? a.inKev && !b.inKev : b.inKev && !a.inKev) kinds.push('kev');
  if (better(FIX_RANK[a.fixAvailable], FIX_RANK[b.fixAvailable])) kinds.push('fix-available');
  return kinds;
}

const byUrgency = (x: FindingChange, y: FindingChange): number =>
  rank(SSVC_OUTCOMES, x.finding.ssvc) - rank(SSVC_OUTCOMES, y.finding.ssvc) ||
  (x.finding.dueBy ?? Infinity) - (y.finding.dueBy ?? Infinity) ||
  findingKey(x.finding).localeCompare(findingKey(y.finding));

/**
 * Compares an earlier assessment with a later one. Accepted findings (an acceptance in force)
 * count as absent for new/resolved/escalations, so accepting a risk does not read as its
 * resolution... it reads as nothing, and its expiry is reported ahead of time instead.
 */
export function compareAssessments(before: AssessmentRecord, after: AssessmentRecord, options: ChangeOptions): Changes {
  const horizon = after.at + options.dueSoonDays * DAY_MS;
  const prev = new Map<string, RecordedFinding>();
  for (const f of before.findings) prev.set(findingKey(f), f);
  const seen = new Set<string>();
  const added: FindingChange[] = [];
  const escalations: Escalation[] = [];
  const deEscalations: Escalation[] = [];
  const newlyOverdue: FindingChange[] = [];
  const dueSoon: FindingChange[] = [];
  const acceptancesExpiring: FindingChange[] = [];
  for (const f of after.findings) {
    const key = findingKey(f);
    if (seen.has(key)) continue;
    seen.add(key);
    const b = prev.get(key);
    if (f.acceptance !== null && f.acceptance.until !== null && f.acceptance.until > after.at && f.acceptance.until <= horizon) {
      acceptancesExpiring.push(b ? { finding: f, before: b } : { finding: f });
    }
    if (!counts(f, after.at)) continue;
    if (!b || !counts(b, before.at)) {
      added.push(b ? { finding: f, before: b } : { finding: f });
    } else {
      const up = moved(b, f, true);
      if (up.length) escalations.push({ finding: f, before: b, kinds: up });
      const down = moved(b, f, false);
      if (down.length) deEscalations.push({ finding: f, before: b, kinds: down });
      if (isOverdue(f, after.at) && !isOverdue(b, before.at)) newlyOverdue.push({ finding: f, before: b });
    }
    if (f.dueBy !== null && f.dueBy >= after.at && f.dueBy <= horizon) dueSoon.push(b ? { finding: f, before: b } : { finding: f });
  }
  const resolved: FindingChange[] = [];
  const now = new Set(after.findings.map(findingKey));
  for (const [key, b] of prev) if (!now.has(key) && counts(b, before.at)) resolved.push({ finding: b });
  const prevAssets = new Map(before.assets.map((a) => [assetKey(a), a]));
  const decisionsChanged: DecisionChange[] = [];
  for (const a of after.assets) {
    const b = prevAssets.get(assetKey(a));
    if (!b || b.decision !== a.decision) decisionsChanged.push({ asset: a, from: b?.decision ?? null, to: a.decision });
  }
  decisionsChanged.sort((x, y) => rank(DECISION_KINDS, x.to) - rank(DECISION_KINDS, y.to) || assetKey(x.asset).localeCompare(assetKey(y.asset)));
  return {
    from: before.at,
    to: after.at,
    added: added.sort(byUrgency),
    resolved: resolved.sort(byUrgency),
    escalations: escalations.sort(byUrgency),
    deEscalations: deEscalations.sort(byUrgency),
    newlyOverdue: newlyOverdue.sort(byUrgency),
    dueSoon: dueSoon.sort((x, y) => (x.finding.dueBy ?? 0) - (y.finding.dueBy ?? 0) || byUrgency(x, y)),
    decisionsChanged,
    acceptancesExpiring: acceptancesExpiring.sort((x, y) => (x.finding.acceptance?.until ?? 0) - (y.finding.acceptance?.until ?? 0)),
  };
}
