/**
 * explain_finding: every input of a finding's SSVC and BOD 26-04 decisions, where each came from,
 * and the table row that turned them into the outcome. Pure, over the instance report the
 * Assistant returns and the decision tables the domain exports as data; it decides nothing anew.
 */
import { NotFoundError } from '../../../domain/errors.js';
import { editDistance } from '../../../domain/instance-lookup.js';
import type { Policy } from '../../../domain/policy.js';
import { parseCvssV3, type CvssV3Metrics } from '../../../domain/risk/proxies.js';
import { SSVC_COORDINATOR_TABLE, SSVC_TABLE_ID } from '../../../domain/risk/ssvc.js';
import { BOD_26_04_TABLE, BOD_TABLE_ID, timelineDays } from '../../../domain/risk/timeline.js';
import type { InstanceReport } from '../../../ports/inbound/assessment/assess-instance.port.js';
import type { AssetReport, FindingReport } from '../../../ports/inbound/assessment/fleet-report.port.js';
import type { ExplainFindingOut, FindingExplanationOut } from './schemas.js';

/** A score reason without its points: "public IPv4 address 192.0.2.20 (+2.0)" -> "public IPv4 address 192.0.2.20". */
function withoutPoints(reason: string): string {
  return reason.replace(/ \(\+\d+(\.\d+)?\)$/, '');
}

function reasonStarting(reasons: readonly string[], prefixes: readonly string[]): string | null {
  const hit = reasons.find((r) => prefixes.some((p) => r.startsWith(p)));
  return hit === undefined ? null : withoutPoints(hit);
}

function exploitationBasis(f: FindingReport): string {
  switch (f.exploitation) {
    case 'active': {
      if (f.inKev) return 'listed in CISA KEV: exploitation in the wild is on record';
      return reasonStarting(f.reasons, ['exploited in the wild']) ?? 'Inspector reports exploitation in the wild (lastKnownExploitAt)';
    }
    case 'public poc':
      return 'Inspector reports a public exploit (exploitAvailable), and there is no evidence of exploitation in the wild';
    case 'none':
      return 'not in CISA KEV, no exploit known to Inspector; EPSS never raises exploitation';
  }
}

function metricList(m: CvssV3Metrics, keys: readonly (keyof CvssV3Metrics)[]): string {
  return keys.map((k) => `${k}:${m[k]}`).join(', ');
}

function automatableBasis(m: CvssV3Metrics | null, automatable: boolean): string {
  if (m === null) return 'no usable CVSS v3 vector, so not automatable';
  if (automatable) return 'AV:N, PR:N and UI:N in the CVSS vector';
  return `${metricList(m, ['AV', 'PR', 'UI'])} in the CVSS vector (automatable needs AV:N, PR:N and UI:N)`;
}

function impactBasis(m: CvssV3Metrics | null, total: boolean): string {
  if (m === null) return 'no usable CVSS v3 vector, so partial';
  if (total) return 'C:H and I:H in the CVSS vector';
  return `${metricList(m, ['C', 'I'])} in the CVSS vector (total needs C:H and I:H)`;
}

function missionBasis(a: AssetReport, f: FindingReport, policy: Policy): string {
  // The score names the tag the mission came from whenever the mission adds points (medium, high).
  const text = reasonStarting([...f.reasons, ...a.scoreReasons], [`mission ${a.mission} (`]);
  const inner = text?.match(/^mission \w+ \((.*)\)$/)?.[1];
  if (inner) return inner;
  const env = a.environment?.trim().toLowerCase();
  if (env && Object.hasOwn(policy.mission.environment, env) && policy.mission.environment[env] === a.mission) return `environment ${a.environment} (the policy maps it to ${a.mission})`;
  return `the criticality tag, else the environment tags (${policy.tags.environment.join(', ')}) as the policy maps them, else the policy default (${policy.mission.default})`;
}

const EXPOSURE_REASONS = ['public IPv4 address', 'IPv6 address', 'reachable from the network', 'exposed ('];

function exposureBasis(a: AssetReport, f: FindingReport): string {
  if (!a.exposed) return 'no public IPv4 or IPv6 address and no active Inspector network reachability finding';
  return reasonStarting([...f.reasons, ...a.scoreReasons], EXPOSURE_REASONS) ?? 'a public address or an open network path (Inspector network reachability)';
}

function kevBasis(f: FindingReport, kevWarning: boolean): string {
  const caveat = kevWarning ? ' (the KEV catalog was not fully read: see warnings)' : '';
  if (f.inKev) return (reasonStarting(f.reasons, ['in CISA KEV']) ?? `${f.vulnerabilityId ?? 'the CVE'} is in CISA KEV`) + caveat;
  if (f.relatedVulnerabilities.length === 0) return `${f.vulnerabilityId ?? 'this finding'} is not in the CISA KEV catalog${caveat}`;
  return `none of ${[f.vulnerabilityId, ...f.relatedVulnerabilities].filter((id) => id !== null).join(', ')} is in the CISA KEV catalog${caveat}`;
}

function explainOne(a: AssetReport, f: FindingReport, counted: boolean, policy: Policy, kevWarning: boolean): FindingExplanationOut {
  const metrics = parseCvssV3(f.cvssVector);
  const ssvcIndex = SSVC_COORDINATOR_TABLE.findIndex((r) => r.exploitation === f.exploitation && r.automatable === f.automatable && r.technicalImpact === f.technicalImpact);
  const bodIndex = BOD_26_04_TABLE.findIndex((r) => r.inKev === f.inKev && r.exposed === a.exposed && r.automatable === f.automatable && r.technicalImpact === f.technicalImpact);
  const ssvcRow = SSVC_COORDINATOR_TABLE[ssvcIndex];
  const bodRow = BOD_26_04_TABLE[bodIndex];
  // Both tables are complete (the domain proves it when it loads), so every combination has a row.
  if (!ssvcRow || !bodRow) throw new Error('invariant: the decision tables cover every combination of inputs');
  const automatable = { value: f.automatable, basis: automatableBasis(metrics, f.automatable) };
  const technicalImpact = { value: f.technicalImpact, basis: impactBasis(metrics, f.technicalImpact === 'total') };
  return {
    findingArn: f.findingArn,
    vulnerabilityId: f.vulnerabilityId,
    relatedVulnerabilities: [...f.relatedVulnerabilities],
    title: f.title,
    severity: f.severity,
    counted,
    cvss: { vector: f.cvssVector, score: f.cvssScore, metrics: metrics ? { ...metrics } : null },
    ssvc: {
      table: SSVC_TABLE_ID,
      inputs: {
        exploitation: { value: f.exploitation, basis: exploitationBasis(f) },
        automatable,
        technicalImpact,
        mission: { value: a.mission, basis: missionBasis(a, f, policy) },
      },
      row: { number: ssvcIndex + 1, exploitation: ssvcRow.exploitation, automatable: ssvcRow.automatable, technicalImpact: ssvcRow.technicalImpact, outcomes: { ...ssvcRow.outcomes } },
      column: a.mission,
      outcome: ssvcRow.outcomes[a.mission],
    },
    timeline: {
      table: BOD_TABLE_ID,
      inputs: {
        inKev: { value: f.inKev, basis: kevBasis(f, kevWarning) },
        exposed: { value: a.exposed, basis: exposureBasis(a, f) },
        automatable,
        technicalImpact,
      },
      row: { number: bodIndex + 1, inKev: bodRow.inKev, exposed: bodRow.exposed, automatable: bodRow.automatable, technicalImpact: bodRow.technicalImpact, timeline: bodRow.timeline },
      outcome: bodRow.timeline,
      days: timelineDays(bodRow.timeline, policy),
      firstObservedAt: f.firstObservedAt,
      due: f.due,
      dueBy: f.dueBy,
      overdue: f.overdue,
    },
    riskScore: f.riskScore,
    scoreReasons: [...f.reasons],
  };
}

/**
 * Explains every finding on the instance whose CVE id or ARN is `query` (case-insensitive).
 * @throws NotFoundError ("finding on <instance>") with the nearest ids on the instance.
 */
export function explainFinding(r: InstanceReport, query: string, policy: Policy): ExplainFindingOut {
  const a = r.asset;
  const q = query.trim().toUpperCase();
  const all = [...a.findings.map((f) => ({ f, counted: true })), ...a.accepted.map((f) => ({ f, counted: false }))];
  // A finding is known by its vulnerabilityId and its related ids (a KB's CVEs, a CVE's ALAS ids).
  const idsOf = (f: FindingReport): string[] => [f.vulnerabilityId, ...f.relatedVulnerabilities].filter((id): id is string => id !== null).map((id) => id.trim().toUpperCase());
  const hits = all.filter(({ f }) => f.findingArn.toUpperCase() === q || idsOf(f).includes(q));
  const label = a.name ? `${a.name} (${a.instanceId})` : a.instanceId;
  if (hits.length === 0) {
    const ids = [...new Set(all.flatMap(({ f }) => idsOf(f)))];
    const near = ids
      .map((id) => ({ id, d: editDistance(q, id.toUpperCase()) }))
      .filter((x) => x.d <= 3)
      .sort((x, y) => x.d - y.d || x.id.localeCompare(y.id))
      .slice(0, 3)
      .map((x) => x.id);
    throw new NotFoundError(`finding on ${label}`, query.trim(), near);
  }
  const kevWarning = r.warnings.some((w) => /\bkev\b/i.test(w));
  return {
    generatedAt: r.generatedAt,
    asOf: r.asOf,
    source: r.source,
    instanceId: a.instanceId,
    name: a.name,
    decision: a.decision,
    decisionReasons: [...a.decisionReasons],
    explanations: hits.map(({ f, counted }) => explainOne(a, f, counted, policy, kevWarning)),
    warnings: [...r.warnings],
  };
}
