/**
 * From the report contract to the bounded shapes the MCP tools return. Pure: every list is cut
 * to its limit here, and the page says what was cut, so a large fleet never floods an agent.
 */
import { DECISION_KINDS } from '../../../domain/vocabulary.js';
import type { ActivityReport } from '../../../ports/inbound/reports/report-activity.port.js';
import type { AssetReport, FindingReport, FleetReport } from '../../../ports/inbound/assessment/fleet-report.port.js';
import type { InstanceReport } from '../../../ports/inbound/assessment/assess-instance.port.js';
import type { FindingsReport } from '../../../ports/inbound/assessment/list-findings.port.js';
import type { MetricsReport } from '../../../ports/inbound/reports/summarize-metrics.port.js';
import type { PlanReport } from '../../../ports/inbound/patching/plan-patches.port.js';
import type { ComplianceReport } from '../../../ports/inbound/reports/summarize-compliance.port.js';
import type { PatchRunReport } from '../../../ports/inbound/patching/patch-runs.port.js';
import type { DecisionKind } from '../../../domain/patch/decision.js';
import {
  LIMITS,
  type AssessFleetOut, type AssessInstanceOut, type FindingBriefOut, type FindingDetailOut, type InstanceActivityOut, type InstanceMetricsOut,
  type ListFindingsOut, type PageOut, type PatchComplianceOut, type PlanPatchesOut, type RequestPatchRunOut,
} from './schemas.js';

export interface PageRequest {
  readonly limit: number;
  readonly offset: number;
}

/** One page of `items`, and a note naming what was left out and how to get it. */
export function page<T>(items: readonly T[], req: PageRequest, noun: string, order: string): { items: T[]; page: PageOut } {
  const total = items.length;
  const offset = Math.min(req.offset, total);
  const slice = items.slice(offset, offset + req.limit);
  const end = offset + slice.length;
  const truncated = offset > 0 || end < total;
  let note: string | null = null;
  if (truncated) {
    const shown = slice.length === 0 ? `no ${noun} shown (offset ${req.offset} is past the end)` : `showing ${noun} ${offset + 1}-${end} of ${total}, ${order}`;
    const more = end < total ? `; ${total - end} more: call again with offset ${end}` : '';
    note = `${shown}${more}`;
  }
  return { items: slice, page: { total, offset, returned: slice.length, truncated, note } };
}

export function findingBrief(f: FindingReport): FindingBriefOut {
  return {
    findingArn: f.findingArn,
    vulnerabilityId: f.vulnerabilityId,
    relatedVulnerabilities: [...f.relatedVulnerabilities],
    title: f.title,
    severity: f.severity,
    riskScore: f.riskScore,
    ssvc: f.ssvc,
    timeline: f.timeline,
    dueBy: f.dueBy,
    due: f.due,
    overdue: f.overdue,
    inKev: f.inKev,
    exploitation: f.exploitation,
    epss: f.epss,
    cvssScore: f.cvssScore,
    fixAvailable: f.fixAvailable,
  };
}

export function findingDetail(f: FindingReport): FindingDetailOut {
  return {
    ...findingBrief(f),
    type: f.type,
    automatable: f.automatable,
    technicalImpact: f.technicalImpact,
    cvssVector: f.cvssVector,
    packages: f.packages.map((p) => ({ name: p.name, version: p.version, fixedInVersion: p.fixedInVersion })),
    firstObservedAt: f.firstObservedAt,
    reasons: [...f.reasons],
    acceptance: f.acceptance ? { id: f.acceptance.id, by: f.acceptance.by, until: f.acceptance.until, reason: f.acceptance.reason } : null,
  };
}

function assetCore(a: AssetReport) {
  return {
    instanceId: a.instanceId,
    ...(a.accountId !== undefined ? { accountId: a.accountId } : {}),
    ...(a.region !== undefined ? { region: a.region } : {}),
    name: a.name,
    environment: a.environment,
    mission: a.mission,
    exposed: a.exposed,
    managed: a.managed,
    riskScore: a.riskScore,
    decision: a.decision,
    decisionReasons: [...a.decisionReasons],
    dueBy: a.dueBy,
    rebootExpected: a.rebootExpected,
    forensicTriage: a.forensicTriage,
  };
}

export function fleetOut(r: FleetReport, req: PageRequest & { findingsPerAsset: number }): AssessFleetOut {
  const { items, page: p } = page(r.assets, req, 'assets', 'highest risk first');
  return {
    generatedAt: r.generatedAt,
    asOf: r.asOf,
    source: r.source,
    summary: { ...r.summary, byDecision: { ...r.summary.byDecision }, bySsvc: { ...r.summary.bySsvc }, ...(r.summary.byAccount ? { byAccount: { ...r.summary.byAccount } } : {}), ...(r.summary.byRegion ? { byRegion: { ...r.summary.byRegion } } : {}) },
    assets: items.map((a) => ({
      ...assetCore(a),
      findingCount: a.findings.length,
      acceptedCount: a.accepted.length,
      topFindings: a.findings.slice(0, req.findingsPerAsset).map(findingBrief),
    })),
    page: p,
    warnings: [...r.warnings],
    ...(r.partial ? { partial: true as const } : {}),
  };
}

export function instanceOut(r: InstanceReport, req: PageRequest): AssessInstanceOut {
  const a = r.asset;
  const { items, page: p } = page(a.findings, req, 'findings', 'highest risk first');
  return {
    generatedAt: r.generatedAt,
    asOf: r.asOf,
    source: r.source,
    asset: { ...assetCore(a), state: a.state, autoScalingGroup: a.autoScalingGroup, scoreReasons: [...a.scoreReasons] },
    findings: items.map(findingBrief),
    page: p,
    accepted: a.accepted.slice(0, LIMITS.findings.default).map(findingBrief),
    acceptedCount: a.accepted.length,
    warnings: [...r.warnings],
  };
}

export function findingsOut(r: FindingsReport, req: PageRequest): ListFindingsOut {
  const { items, page: p } = page(r.findings, req, 'findings', 'highest risk first');
  return {
    generatedAt: r.generatedAt,
    asOf: r.asOf,
    source: r.source,
    instanceId: r.instanceId,
    name: r.name,
    minSeverity: r.minSeverity,
    filteredOut: r.filteredOut,
    findings: items.map(findingDetail),
    page: p,
    warnings: [...r.warnings],
  };
}

export function planOut(r: PlanReport, req: PageRequest & { decisions: readonly DecisionKind[] }): PlanPatchesOut {
  // Patched decisions first, each already in wave order; then the instances left unpatched.
  const wanted = req.decisions.length ? DECISION_KINDS.filter((d) => req.decisions.includes(d)) : DECISION_KINDS;
  const all = wanted.flatMap((d) => r.byDecision[d]);
  const { items, page: p } = page(all, req, 'instances', 'in wave order (patch-now, next-window, routine, then unpatched)');
  const counts = Object.fromEntries(DECISION_KINDS.map((d) => [d, r.byDecision[d].length])) as Record<DecisionKind, number>;
  return {
    generatedAt: r.generatedAt,
    asOf: r.asOf,
    source: r.source,
    rollout: { ...r.rollout },
    counts,
    waves: r.waves.map((w) => ({
      number: w.number,
      stage: w.stage,
      canary: w.canary,
      decision: w.decision,
      instanceCount: w.instanceIds.length,
      instanceIds: w.instanceIds.slice(0, LIMITS.waveIds),
    })),
    instances: items.map((i) => ({ ...i, window: i.window ? { ...i.window } : null })),
    page: p,
    notes: [...r.notes],
    warnings: [...r.warnings],
  };
}

const STATUS_ORDER = { 'non-compliant': 0, unknown: 1, compliant: 2 } as const;

export function complianceOut(r: ComplianceReport, req: PageRequest & { readonly status?: keyof typeof STATUS_ORDER | undefined }): PatchComplianceOut {
  const rows = r.perInstance
    .filter((row) => req.status === undefined || row.status === req.status)
    .map((row, i) => ({ row, i }))
    .sort((x, y) => STATUS_ORDER[x.row.status] - STATUS_ORDER[y.row.status] || x.i - y.i)
    .map(({ row }) => row);
  const { items, page: p } = page(rows, req, 'instances', 'non-compliant first');
  return {
    generatedAt: r.generatedAt,
    asOf: r.asOf,
    source: r.source,
    summary: {
      instances: r.instances,
      managed: r.managed,
      withPatchState: r.withPatchState,
      compliant: r.compliant,
      nonCompliant: r.nonCompliant,
      compliancePercent: r.compliancePercent,
      missing: r.missing,
      failed: r.failed,
      pendingReboot: r.pendingReboot,
      criticalNonCompliant: r.criticalNonCompliant,
      securityNonCompliant: r.securityNonCompliant,
    },
    instances: items.map((row) => ({ ...row })),
    page: p,
    warnings: [...r.warnings],
  };
}

/** The header fields metrics and activity share, copied by name so nothing else leaks through. */
function lookBackHeader(r: MetricsReport | ActivityReport): Pick<MetricsReport, 'generatedAt' | 'asOf' | 'source' | 'instanceId' | 'name' | 'hours' | 'start' | 'end'> {
  return { generatedAt: r.generatedAt, asOf: r.asOf, source: r.source, instanceId: r.instanceId, name: r.name, hours: r.hours, start: r.start, end: r.end };
}

export function metricsOut(r: MetricsReport, maxAnomalies: number): InstanceMetricsOut {
  const cut: string[] = [];
  const series = (name: keyof MetricsReport['metrics']) => {
    const s = r.metrics[name];
    const strongest = [...s.anomalies].sort((a, b) => Math.abs(b.score) - Math.abs(a.score) || a.t - b.t);
    const kept = strongest.slice(0, maxAnomalies);
    if (kept.length < strongest.length) cut.push(`${name}: ${kept.length} of ${strongest.length} anomalies shown`);
    return {
      unit: s.unit, count: s.count, mean: s.mean, min: s.min, max: s.max, p95: s.p95, trendPerHour: s.trendPerHour,
      anomalyCount: s.anomalies.length,
      anomalies: kept.map((a) => ({ at: new Date(a.t).toISOString(), value: a.v, score: a.score })),
    };
  };
  const metrics = { cpu: series('cpu'), networkIn: series('networkIn'), networkOut: series('networkOut'), statusCheckFailed: series('statusCheckFailed') };
  return {
    ...lookBackHeader(r),
    periodSeconds: r.periodSeconds,
    metrics,
    note: cut.length ? `${cut.join('; ')} (strongest first; raise maxAnomalies, up to ${LIMITS.anomalies.max}, for more)` : null,
    warnings: [...r.warnings],
  };
}

export function activityOut(r: ActivityReport, req: PageRequest & { flaggedOnly: boolean }): InstanceActivityOut {
  const events = req.flaggedOnly ? r.events.filter((e) => e.flags.length > 0) : r.events;
  const { items, page: p } = page(events, req, req.flaggedOnly ? 'flagged events' : 'events', 'newest first');
  return {
    ...lookBackHeader(r),
    total: r.total,
    flagged: r.flagged,
    events: items.map((e) => ({ ...e, flags: e.flags.map((f) => ({ kind: f.kind, reason: f.reason })) })),
    page: p,
    warnings: [...r.warnings],
  };
}

export function patchRunOut(run: PatchRunReport): RequestPatchRunOut {
  const instanceCount = run.waves.reduce((n, w) => n + w.instances.length, 0);
  const next =
    run.status === 'requested'
      ? `run ${run.id} is requested and nothing has been sent to any instance. ` +
        (run.needsApproval
          ? `A person with the approver role (not ${run.requestedBy}) must approve it${run.approvalWhy ? ` (${run.approvalWhy})` : ''}, then an operator starts it; an agent can do neither.`
          : 'An operator must start it; an agent cannot.') +
        (run.simulated ? ' (Demo source: the run is simulated, nothing is ever sent to AWS.)' : '')
      : `run ${run.id} is ${run.status}.`;
  return {
    run: {
      id: run.id,
      status: run.status,
      operation: run.operation,
      rebootOption: run.rebootOption,
      requestedBy: run.requestedBy,
      requestedAt: run.requestedAt,
      reason: run.reason,
      needsApproval: run.needsApproval,
      approvalWhy: run.approvalWhy ?? null,
      simulated: run.simulated ?? false,
      instanceCount,
      waves: run.waves.map((w) => ({
        number: w.number,
        canary: w.canary,
        instanceCount: w.instances.length,
        instanceIds: w.instances.slice(0, LIMITS.waveIds).map((i) => i.instanceId),
      })),
    },
    next,
  };
}
