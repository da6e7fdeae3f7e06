/** Human renderings of the use cases' reports. JSON output needs none: the reports are the JSON. */
import { DECISION_KINDS } from '../../../domain/vocabulary.js';
import type { ActivityReport } from '../../../ports/inbound/reports/report-activity.port.js';
import type { ComplianceReport } from '../../../ports/inbound/reports/summarize-compliance.port.js';
import type { FindingsReport } from '../../../ports/inbound/assessment/list-findings.port.js';
import type { InstanceReport } from '../../../ports/inbound/assessment/assess-instance.port.js';
import type { MetricsReport } from '../../../ports/inbound/reports/summarize-metrics.port.js';
import type { PlanReport, PlannedInstanceReport } from '../../../ports/inbound/patching/plan-patches.port.js';
import type { AssetReport, FindingReport, FleetReport } from '../../../ports/inbound/assessment/fleet-report.port.js';
import { count, day, minute, table, yesNo, type Colour, type Style } from './terminal.js';

const DECISION_COLOUR: Record<string, Colour> = {
  'patch-now': 'red', 'next-window': 'yellow', routine: 'cyan', mitigate: 'magenta', blocked: 'magenta', none: 'green',
};
const SSVC_COLOUR: Record<string, Colour> = { act: 'red', attend: 'yellow', 'track*': 'cyan', track: 'dim' };

function decision(s: Style, d: string): string {
  return s.paint(DECISION_COLOUR[d] ?? 'bold', d);
}

function score(n: number): string {
  return n.toFixed(1);
}

function topFinding(a: AssetReport): string {
  const f = a.findings[0];
  if (!f) return '-';
  return `${f.vulnerabilityId ?? f.title ?? f.type} (${f.ssvc}, ${f.timeline ?? 'no timeline'})`;
}

/** How the header words where the report's instant comes from. */
const AS_OF: Readonly<Record<string, string>> = {
  option: '--now',
  capturedAt: 'capture time',
  lastObservedAt: 'newest finding observation in the snapshot',
  clock: 'current time',
};

function header(s: Style, title: string, r: { source: string; generatedAt: string; asOf: string }): string {
  return `${s.paint('bold', title)}  ${s.paint('dim', `source ${r.source}, as of ${minute(r.generatedAt)} UTC (${AS_OF[r.asOf] ?? r.asOf})`)}\n`;
}

export function renderFleet(r: FleetReport, s: Style): string {
  const sum = r.summary;
  const counts = DECISION_KINDS.filter((d) => sum.byDecision[d] > 0).map((d) => `${sum.byDecision[d]} ${decision(s, d)}`).join(', ');
  let out = header(s, 'Fleet risk', r);
  out += `${count(sum.assets, 'instance')}, ${count(sum.findings, 'active finding')} (${sum.bySsvc.act} act, ${sum.bySsvc.attend} attend), ${sum.overdue} overdue${sum.accepted ? `, ${sum.accepted} risk-accepted` : ''}\n`;
  out += `${counts || 'no instances'}\n`;
  const byAccount = Object.entries(sum.byAccount ?? {});
  if (byAccount.length > 1) out += `by account: ${byAccount.sort(([a], [b]) => a.localeCompare(b)).map(([id, n]) => `${id} ${n}`).join(', ')}\n`;
  if (r.partial) out += `${s.paint('yellow', 'partial')}: an account or region could not be read (see the warnings)\n`;
  out += '\n';
  // Where an instance lives is shown once the report spans more than one account or region.
  const several = (key: 'accountId' | 'region'): boolean => new Set(r.assets.map((a) => a[key]).filter((v) => v !== undefined)).size > 1;
  out += table(r.assets, [
    { header: 'RISK', cell: (a) => score(a.riskScore), align: 'right' },
    ...(several('accountId') ? [{ header: 'ACCOUNT', cell: (a: AssetReport) => a.accountId ?? '-' }] : []),
    ...(several('region') ? [{ header: 'REGION', cell: (a: AssetReport) => a.region ?? '-' }] : []),
    { header: 'INSTANCE', cell: (a) => a.instanceId },
    { header: 'NAME', cell: (a) => a.name ?? '-', max: 24 },
    { header: 'ENV', cell: (a) => a.environment ?? '-', max: 12 },
    { header: 'MISSION', cell: (a) => a.mission },
    { header: 'EXPOSED', cell: (a) => yesNo(a.exposed) },
    { header: 'SSM', cell: (a) => (a.managed === null ? '?' : a.managed ? 'yes' : s.paint('magenta', 'no')) },
    { header: 'DECISION', cell: (a) => decision(s, a.decision) },
    { header: 'DUE', cell: (a) => day(a.dueBy) },
    { header: 'FINDINGS', cell: (a) => String(a.findings.length), align: 'right' },
    { header: 'TOP FINDING', cell: topFinding, max: 60 },
  ], s);
  return out;
}

function findingsTable(findings: readonly FindingReport[], s: Style): string {
  return table(findings, [
    { header: 'RISK', cell: (f) => score(f.riskScore), align: 'right' },
    { header: 'VULNERABILITY', cell: (f) => (f.vulnerabilityId ?? f.type) + (f.relatedVulnerabilities.length > 0 ? ` (${f.relatedVulnerabilities.slice(0, 3).join(', ')}${f.relatedVulnerabilities.length > 3 ? ', ...' : ''})` : ''), max: 48 },
    { header: 'SEVERITY', cell: (f) => f.severity },
    { header: 'SSVC', cell: (f) => s.paint(SSVC_COLOUR[f.ssvc] ?? 'bold', f.ssvc) },
    { header: 'TIMELINE', cell: (f) => f.timeline ?? '-', max: 20 },
    { header: 'DUE', cell: (f) => (f.overdue ? s.paint('red', `${day(f.dueBy)}!`) : day(f.dueBy)) },
    { header: 'KEV', cell: (f) => (f.inKev ? s.paint('red', 'yes') : 'no') },
    { header: 'EXPLOIT', cell: (f) => f.exploitation },
    { header: 'EPSS', cell: (f) => (f.epss === null ? '-' : f.epss.toFixed(2)), align: 'right' },
    { header: 'PACKAGE', cell: (f) => f.packages.map((p) => p.name).join(',') || '-', max: 28 },
    { header: 'FIX', cell: (f) => f.packages.map((p) => p.fixedInVersion ?? '').filter(Boolean).join(',') || (f.fixAvailable === 'NO' ? s.paint('magenta', 'none') : '-'), max: 28 },
  ], s);
}

export function renderInstance(r: InstanceReport, s: Style): string {
  const a = r.asset;
  let out = header(s, `${a.name ?? a.instanceId} (${a.instanceId})`, r);
  out += `risk ${s.paint('bold', score(a.riskScore))}   decision ${decision(s, a.decision)}   due ${day(a.dueBy)}` +
    `${a.rebootExpected ? '   reboot expected' : ''}${a.forensicTriage ? s.paint('red', '   forensic triage') : ''}\n`;
  out += `environment ${a.environment ?? '-'}, mission ${a.mission}, exposed ${yesNo(a.exposed)}, SSM-managed ${yesNo(a.managed)}` +
    `${a.autoScalingGroup ? `, Auto Scaling group ${a.autoScalingGroup}` : ''}\n`;
  for (const reason of a.decisionReasons) out += `  - ${reason}\n`;
  if (a.scoreReasons.length) out += `score: ${a.scoreReasons.join('; ')}\n`;
  out += `\n${count(a.findings.length, 'active finding')}\n`;
  if (a.findings.length) out += findingsTable(a.findings, s);
  if (a.accepted.length) {
    out += `\n${count(a.accepted.length, 'risk-accepted finding')} (not counted)\n`;
    for (const f of a.accepted) out += `  ${f.vulnerabilityId ?? f.findingArn}: ${f.acceptance?.reason ?? ''} (by ${f.acceptance?.by ?? '?'}, until ${day(f.acceptance?.until ?? null)})\n`;
  }
  return out;
}

export function renderFindings(r: FindingsReport, s: Style): string {
  let out = header(s, `Findings on ${r.name ?? r.instanceId} (${r.instanceId})`, r);
  out += `${count(r.findings.length, 'active finding')}${r.minSeverity ? ` at ${r.minSeverity} or above (${r.filteredOut} below left out)` : ''}\n\n`;
  if (r.findings.length) out += findingsTable(r.findings, s);
  return out;
}

export function renderPlan(r: PlanReport, s: Style): string {
  let out = header(s, 'Patch plan', r);
  out += `rollout: MaxConcurrency ${r.rollout.maxConcurrency}, MaxErrors ${r.rollout.maxErrors}; ${r.waves.length} waves\n`;
  // Account and region columns when the plan spans more than one, as on the fleet table.
  const every = DECISION_KINDS.flatMap((d) => r.byDecision[d]);
  const several = (key: 'accountId' | 'region'): boolean => new Set(every.map((p) => p[key]).filter((v) => v !== undefined)).size > 1;
  const cols = [
    { header: 'WAVE', cell: (p: PlannedInstanceReport) => (p.wave === null ? '-' : `${p.wave}${p.canary ? ' canary' : ''}`) },
    { header: 'RISK', cell: (p: PlannedInstanceReport) => score(p.riskScore), align: 'right' as const },
    ...(several('accountId') ? [{ header: 'ACCOUNT', cell: (p: PlannedInstanceReport) => p.accountId ?? '-' }] : []),
    ...(several('region') ? [{ header: 'REGION', cell: (p: PlannedInstanceReport) => p.region ?? '-' }] : []),
    { header: 'INSTANCE', cell: (p: PlannedInstanceReport) => p.instanceId },
    { header: 'NAME', cell: (p: PlannedInstanceReport) => p.name ?? '-', max: 24 },
    { header: 'PROD', cell: (p: PlannedInstanceReport) => yesNo(p.production) },
    { header: 'DUE', cell: (p: PlannedInstanceReport) => day(p.dueBy) },
    { header: 'WINDOW (UTC)', cell: (p: PlannedInstanceReport) => (p.window ? `${minute(p.window.start)} – ${p.window.end.slice(11, 16)}` : '-') },
    { header: 'WHY', cell: (p: PlannedInstanceReport) => (p.window ? p.window.why : '-') + (p.lateByHours ? s.paint('red', ` (late by ${p.lateByHours} h)`) : ''), max: 80 },
  ];
  for (const d of DECISION_KINDS) {
    const list = r.byDecision[d];
    if (!list.length) continue;
    out += `\n${decision(s, d)} (${list.length})\n`;
    out += table(list, d === 'none' || d === 'blocked' || d === 'mitigate' ? cols.filter((c) => ['RISK', 'ACCOUNT', 'REGION', 'INSTANCE', 'NAME', 'PROD', 'DUE'].includes(c.header)) : cols, s);
  }
  if (r.notes.length) out += `\nnotes:\n${r.notes.map((n) => `  - ${n}`).join('\n')}\n`;
  return out;
}

export function renderCompliance(r: ComplianceReport, s: Style): string {
  let out = header(s, 'Patch compliance', r);
  const pct = r.compliancePercent === null ? 'unknown' : `${r.compliancePercent}%`;
  out += `${r.compliant} of ${r.withPatchState} instances with a patch state are compliant (${pct}); ${r.instances - r.withPatchState} without state; ` +
    `${r.managed === null ? 'SSM-managed count unknown' : `${r.managed} SSM-managed of ${r.instances}`}\n`;
  out += `missing ${r.missing}, failed ${r.failed}, pending reboot ${r.pendingReboot}, critical non-compliant ${r.criticalNonCompliant}, security non-compliant ${r.securityNonCompliant}\n\n`;
  out += table(r.perInstance, [
    { header: 'INSTANCE', cell: (p) => p.instanceId },
    { header: 'NAME', cell: (p) => p.name ?? '-', max: 24 },
    { header: 'SSM', cell: (p) => yesNo(p.managed) },
    { header: 'STATUS', cell: (p) => s.paint(p.status === 'compliant' ? 'green' : p.status === 'unknown' ? 'dim' : 'red', p.status) },
    { header: 'MISSING', cell: (p) => String(p.missing), align: 'right' },
    { header: 'FAILED', cell: (p) => String(p.failed), align: 'right' },
    { header: 'REBOOT', cell: (p) => String(p.pendingReboot), align: 'right' },
    { header: 'CRITICAL', cell: (p) => String(p.criticalNonCompliant), align: 'right' },
    { header: 'SECURITY', cell: (p) => String(p.securityNonCompliant), align: 'right' },
    { header: 'LAST OPERATION', cell: (p) => (p.lastOperation ? `${p.lastOperation} ${minute(p.lastOperationAt)}` : '-') },
  ], s);
  return out;
}

function num(n: number | null, digits = 1): string {
  return n === null ? '-' : n.toFixed(digits);
}

export function renderMetrics(r: MetricsReport, s: Style): string {
  let out = header(s, `Metrics for ${r.name ?? r.instanceId} (${r.instanceId}), last ${r.hours} h`, r);
  const rows = Object.values(r.metrics);
  out += table(rows, [
    { header: 'METRIC', cell: (m) => m.metric },
    { header: 'UNIT', cell: (m) => m.unit },
    { header: 'POINTS', cell: (m) => String(m.count), align: 'right' },
    { header: 'MEAN', cell: (m) => num(m.mean), align: 'right' },
    { header: 'MIN', cell: (m) => num(m.min), align: 'right' },
    { header: 'MAX', cell: (m) => num(m.max), align: 'right' },
    { header: 'P95', cell: (m) => num(m.p95), align: 'right' },
    { header: 'TREND/H', cell: (m) => num(m.trendPerHour, 3), align: 'right' },
    { header: 'ANOMALIES', cell: (m) => (m.anomalies.length ? s.paint('yellow', String(m.anomalies.length)) : '0'), align: 'right' },
  ], s);
  const anomalies = rows.flatMap((m) => m.anomalies.map((a) => ({ metric: m.metric, ...a })));
  if (anomalies.length) {
    out += '\nanomalies (median / MAD rule):\n';
    for (const a of anomalies.slice(0, 20)) out += `  ${minute(new Date(a.t).toISOString())}  ${a.metric} ${num(a.v, 2)} (z ${num(a.score, 1)})\n`;
    if (anomalies.length > 20) out += `  … ${anomalies.length - 20} more (use --json for all)\n`;
  }
  return out;
}

export function renderActivity(r: ActivityReport, s: Style): string {
  let out = header(s, `Activity on ${r.name ?? r.instanceId} (${r.instanceId}), last ${r.hours} h`, r);
  out += `${count(r.total, 'event')}, ${r.flagged} flagged\n`;
  // No events: the count says so; an empty table would print a header with nothing under it.
  if (!r.events.length) return out;
  out += '\n';
  out += table(r.events, [
    { header: 'TIME (UTC)', cell: (e) => minute(e.eventTime) },
    { header: 'EVENT', cell: (e) => e.eventName, max: 34 },
    { header: 'WHO', cell: (e) => e.username ?? e.userIdentityType ?? '-', max: 24 },
    { header: 'FROM', cell: (e) => e.sourceIpAddress ?? '-', max: 24 },
    { header: 'ERROR', cell: (e) => e.errorCode ?? '-', max: 20 },
    { header: 'FLAGS', cell: (e) => (e.flags.length ? s.paint('red', e.flags.map((f) => f.reason).join('; ')) : ''), max: 90 },
  ], s);
  return out;
}
