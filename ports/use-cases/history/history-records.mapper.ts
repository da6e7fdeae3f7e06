/** Between the reports surfaces see and the records the history keeps. */
import type { AssessmentHeader, AssessmentRecord, HistoryOrigin, RecordedAsset, RecordedFinding } from '../../../domain/history/assessment-record.js';
import { isOverdue } from '../../../domain/history/assessment-record.js';
import type { Changes, Escalation, FindingChange } from '../../../domain/history/changes.js';
import { toIso } from '../../../domain/time.js';
import type { AssetReport, FindingReport, FleetReport } from '../../inbound/assessment/fleet-report.port.js';
import type { ChangedDecision, ChangedFinding, ChangesReport, RecordedAssessmentRef } from '../../inbound/history/history.port.js';

/** An asset report, with the account and region the organisation scope adds to it (when it does). */
type ScopedAsset = AssetReport & { readonly accountId?: string | null; readonly region?: string | null };

const ms = (iso: string | null | undefined): number | null => {
  if (iso === null || iso === undefined) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
};

function scope(a: ScopedAsset): { instanceId: string; accountId?: string; region?: string } {
  return { instanceId: a.instanceId, ...(a.accountId ? { accountId: a.accountId } : {}), ...(a.region ? { region: a.region } : {}) };
}

function recordedFinding(a: ScopedAsset, f: FindingReport): RecordedFinding {
  return {
    ...scope(a),
    advisoryId: f.vulnerabilityId ?? f.findingArn,
    severity: f.severity,
    ssvc: f.ssvc,
    timeline: f.timeline,
    dueBy: ms(f.dueBy),
    inKev: f.inKev,
    fixAvailable: f.fixAvailable,
    firstObservedAt: ms(f.firstObservedAt),
    acceptance: f.acceptance ? { id: f.acceptance.id, until: ms(f.acceptance.until) } : null,
  };
}

/** The record of a fleet report: every finding, counted and accepted. */
export function recordOf(report: FleetReport, id: string, origin: HistoryOrigin): AssessmentRecord {
  const assets: RecordedAsset[] = [];
  const findings: RecordedFinding[] = [];
  for (const a of report.assets as readonly ScopedAsset[]) {
    assets.push({ ...scope(a), name: a.name, decision: a.decision, riskScore: a.riskScore, exposed: a.exposed });
    for (const f of a.findings) findings.push(recordedFinding(a, f));
    for (const f of a.accepted) findings.push(recordedFinding(a, f));
  }
  return { id, at: Date.parse(report.generatedAt), source: report.source, origin, assets, findings };
}

export function refOf(h: AssessmentHeader): RecordedAssessmentRef {
  return { id: h.id, at: toIso(h.at) as string, source: h.source, origin: h.origin, assets: h.assets, findings: h.findings };
}

function identity(x: { accountId?: string | null; region?: string | null }): { accountId?: string; region?: string } {
  return { ...(x.accountId ? { accountId: x.accountId } : {}), ...(x.region ? { region: x.region } : {}) };
}

function changedFinding(c: FindingChange | Escalation, at: number, names: ReadonlyMap<string, string | null>): ChangedFinding {
  const f = c.finding;
  return {
    instanceId: f.instanceId,
    name: names.get(f.instanceId) ?? null,
    ...identity(f),
    advisoryId: f.advisoryId,
    severity: f.severity,
    ssvc: f.ssvc,
    timeline: f.timeline,
    dueBy: toIso(f.dueBy),
    overdue: isOverdue(f, at),
    inKev: f.inKev,
    fixAvailable: f.fixAvailable,
    firstObservedAt: toIso(f.firstObservedAt),
    acceptance: f.acceptance ? { id: f.acceptance.id, until: toIso(f.acceptance.until) } : null,
    ...('kinds' in c ? { before: { ssvc: c.before.ssvc, timeline: c.before.timeline, dueBy: toIso(c.before.dueBy), inKev: c.before.inKev, fixAvailable: c.before.fixAvailable }, moved: c.kinds } : {}),
  };
}

/** The lists of a change report (everything but its frame: generatedAt, from/to, summary, alerts, warnings). */
export function changeLists(changes: Changes, before: AssessmentRecord, after: AssessmentRecord): Pick<ChangesReport, 'counts' | 'added' | 'resolved' | 'escalations' | 'deEscalations' | 'newlyOverdue' | 'dueSoon' | 'decisionsChanged' | 'acceptancesExpiring'> {
  const names = new Map<string, string | null>();
  for (const a of before.assets) names.set(a.instanceId, a.name);
  for (const a of after.assets) names.set(a.instanceId, a.name);
  const list = (cs: readonly (FindingChange | Escalation)[], at: number): ChangedFinding[] => cs.map((c) => changedFinding(c, at, names));
  const decisionsChanged: ChangedDecision[] = changes.decisionsChanged.map((d) => ({ instanceId: d.asset.instanceId, name: d.asset.name, ...identity(d.asset), from: d.from, to: d.to, riskScore: d.asset.riskScore }));
  const lists = {
    added: list(changes.added, after.at),
    resolved: list(changes.resolved, before.at),
    escalations: list(changes.escalations, after.at),
    deEscalations: list(changes.deEscalations, after.at),
    newlyOverdue: list(changes.newlyOverdue, after.at),
    dueSoon: list(changes.dueSoon, after.at),
    decisionsChanged,
    acceptancesExpiring: list(changes.acceptancesExpiring, after.at),
  };
  return {
    counts: {
      added: lists.added.length, resolved: lists.resolved.length, escalations: lists.escalations.length, deEscalations: lists.deEscalations.length,
      newlyOverdue: lists.newlyOverdue.length, dueSoon: lists.dueSoon.length, decisionsChanged: decisionsChanged.length, acceptancesExpiring: lists.acceptancesExpiring.length,
    },
    ...lists,
  };
}
