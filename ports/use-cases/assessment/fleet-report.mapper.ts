/**
 * The JSON shapes every surface returns (CLI `--json`, HTTP, chat, MCP): one contract, built
 * here from the domain's assessments. Instants become ISO strings; nothing here does I/O.
 */
import type { AssetAssessment } from '../../../domain/asset-assessment.js';
import type { DecisionKind } from '../../../domain/patch/decision.js';
import type { FindingAssessment, ScoreReason, SsvcOutcome } from '../../../domain/risk/finding-assessment.js';
import { toIso, type Instant } from '../../../domain/time.js';
import { DECISION_KINDS, SSVC_OUTCOMES } from '../../../domain/vocabulary.js';
import type { InstantBasis, SourceInfo } from '../../outbound/source-info.port.js';
import type { FindingReport, AssetReport, FleetSummary } from '../../inbound/assessment/fleet-report.port.js';

/** Which instant a report is assessed as of (see InstantBasis); every report carries it beside generatedAt. */
export function asOfOf(source: SourceInfo): InstantBasis {
  return source.asOf ?? 'clock';
}

function reasonText(r: ScoreReason): string {
  return `${r.text} (+${r.points.toFixed(1)})`;
}

export function toFindingReport(a: FindingAssessment, now: Instant): FindingReport {
  const f = a.finding;
  return {
    findingArn: f.findingArn,
    vulnerabilityId: f.vulnerabilityId,
    relatedVulnerabilities: f.relatedVulnerabilities,
    title: f.title,
    type: f.type,
    severity: f.severity,
    riskScore: a.riskScore,
    exploitation: a.exploitation,
    automatable: a.automatable,
    technicalImpact: a.technicalImpact,
    inKev: a.inKev,
    cvssScore: a.cvssScore,
    cvssVector: a.cvssVector,
    epss: f.epss,
    ssvc: a.ssvc,
    timeline: a.timeline,
    dueBy: toIso(a.dueBy),
    due: a.due,
    overdue: a.counted && a.dueBy !== null && a.dueBy < now,
    fixAvailable: f.fixAvailable,
    packages: f.packages.map((p) => ({ name: p.name, version: p.version, fixedInVersion: p.fixedInVersion })),
    firstObservedAt: toIso(f.firstObservedAt),
    reasons: a.reasons.map(reasonText),
    ...(a.acceptedBy
      ? { acceptance: { id: a.acceptedBy.id, by: a.acceptedBy.acceptedBy, until: toIso(a.acceptedBy.until), reason: a.acceptedBy.reason } }
      : {}),
  };
}

function environmentOf(tags: Readonly<Record<string, string>>, keys: readonly string[]): string | null {
  for (const k of keys) {
    const hit = Object.keys(tags).find((t) => t.toLowerCase() === k.toLowerCase());
    if (hit !== undefined) return tags[hit] ?? null;
  }
  return null;
}

export function toAssetReport(a: AssetAssessment, now: Instant, environmentTags: readonly string[]): AssetReport {
  return {
    instanceId: a.asset.instanceId,
    // Where the instance lives, when the source knows (an organization read, a capture of one).
    ...(a.asset.accountId !== undefined ? { accountId: a.asset.accountId } : {}),
    ...(a.asset.region !== undefined ? { region: a.asset.region } : {}),
    name: a.asset.name,
    state: a.asset.state,
    environment: environmentOf(a.asset.tags, environmentTags),
    autoScalingGroup: a.asset.autoScalingGroup,
    mission: a.mission,
    exposed: a.exposed,
    managed: a.managed,
    riskScore: a.riskScore,
    decision: a.decision.kind,
    decisionReasons: a.decision.reasons,
    dueBy: toIso(a.decision.dueBy),
    rebootExpected: a.decision.rebootExpected,
    forensicTriage: a.decision.forensicTriage,
    scoreReasons: a.reasons.map(reasonText),
    findings: a.findings.map((f) => toFindingReport(f, now)),
    accepted: a.excluded.filter((f) => f.acceptedBy !== null).map((f) => toFindingReport(f, now)),
  };
}

export function summarize(assets: readonly AssetReport[]): FleetSummary {
  const byDecision = Object.fromEntries(DECISION_KINDS.map((d) => [d, 0])) as Record<DecisionKind, number>;
  const bySsvc = Object.fromEntries(SSVC_OUTCOMES.map((s) => [s, 0])) as Record<SsvcOutcome, number>;
  let findings = 0;
  let overdue = 0;
  let accepted = 0;
  const byAccount: Record<string, number> = {};
  for (const a of assets) {
    if (a.accountId !== undefined) byAccount[a.accountId] = (byAccount[a.accountId] ?? 0) + 1;
    byDecision[a.decision]++;
    findings += a.findings.length;
    accepted += a.accepted.length;
    for (const f of a.findings) {
      bySsvc[f.ssvc]++;
      if (f.overdue) overdue++;
    }
  }
  return { assets: assets.length, findings, byDecision, bySsvc, overdue, accepted, ...(Object.keys(byAccount).length > 0 ? { byAccount } : {}) };
}
