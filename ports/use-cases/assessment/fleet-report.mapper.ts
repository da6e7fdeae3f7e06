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
import { assetDigest } from '../../inbound/assessment/asset-digest.js';

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

/** Counts a fleet summary one asset at a time, so assets streamed out need not be held. */
export class FleetTally {
  private readonly byDecision = Object.fromEntries(DECISION_KINDS.map((d) => [d, 0])) as Record<DecisionKind, number>;
  private readonly bySsvc = Object.fromEntries(SSVC_OUTCOMES.map((s) => [s, 0])) as Record<SsvcOutcome, number>;
  private readonly byAccount: Record<string, number> = {};
  private readonly byRegion: Record<string, number> = {};
  private assets = 0;
  private findings = 0;
  private overdue = 0;
  private accepted = 0;

  add(a: AssetReport): void {
    this.assets++;
    if (a.accountId !== undefined) this.byAccount[a.accountId] = (this.byAccount[a.accountId] ?? 0) + 1;
    if (a.region !== undefined) this.byRegion[a.region] = (this.byRegion[a.region] ?? 0) + 1;
    this.byDecision[a.decision]++;
    // The digest, not the findings: a report held compressed (the HTTP service's) is not unpacked to be counted.
    const d = assetDigest(a);
    this.findings += d.active;
    this.accepted += d.accepted;
    this.overdue += d.overdue;
    for (const [ssvc, n] of Object.entries(d.bySsvc)) this.bySsvc[ssvc as SsvcOutcome] += n;
  }

  summary(): FleetSummary {
    return {
      assets: this.assets, findings: this.findings, byDecision: { ...this.byDecision }, bySsvc: { ...this.bySsvc }, overdue: this.overdue, accepted: this.accepted,
      ...(Object.keys(this.byAccount).length > 0 ? { byAccount: { ...this.byAccount } } : {}),
      ...(Object.keys(this.byRegion).length > 0 ? { byRegion: { ...this.byRegion } } : {}),
    };
  }
}

export function summarize(assets: readonly AssetReport[]): FleetSummary {
  const tally = new FleetTally();
  for (const a of assets) tally.add(a);
  return tally.summary();
}
