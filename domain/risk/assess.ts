/** Puts proxies, SSVC, timeline, score and decision together for one finding and one asset. */
import type { Asset, ExploitedCatalog, Finding, ManagedInstance, PatchState, RiskAcceptance } from '../inputs.js';
import type { Policy } from '../policy.js';
import { toIso } from '../time.js';
import type { Instant } from '../time.js';
import { decidePatch } from '../patch/decision.js';
import { vulnerabilityKey, type AcceptanceIndex } from './acceptance-index.js';
import { automatableFrom, exploitationFrom, readCvss, resolveExposure, resolveMission, technicalImpactFrom } from './proxies.js';
import { scoreAsset, scoreFinding } from './score.js';
import type { CvssSource } from './score.js';
import { ssvcOutcome } from './ssvc.js';
import { dueDate, remediationTimeline } from './timeline.js';
import type { AssetAssessment, AssetContext, FindingAssessment, ScoreReason } from './types.js';

/** One instance with everything known about it, as the use case gathered it. */
export interface AssetInput {
  readonly asset: Asset;
  /** All findings on this asset (any status: the non-ACTIVE ones are listed as excluded). */
  readonly findings: readonly Finding[];
  /** undefined: SSM state unknown; null: known not to be managed. */
  readonly managedInstance: ManagedInstance | null | undefined;
  readonly patchState: PatchState | null;
}

/** What every assessment in one run shares: the catalog, acceptances, the instant and the policy. */
export interface AssessmentContext {
  readonly catalog: ExploitedCatalog | null;
  /** Acceptances in force or not; expired ones are ignored here (compared with `now`). */
  readonly acceptances: readonly RiskAcceptance[];
  readonly now: Instant;
  readonly policy: Policy;
  /**
   * `acceptances` indexed once for the whole run (indexAcceptances, at `now`): a fleet of many
   * acceptances then costs one pass over them instead of one per asset. Optional; same answers.
   */
  readonly acceptanceIndex?: AcceptanceIndex;
}

const idKey = vulnerabilityKey;

/** What assessWith needs of the acceptances in force on one asset. */
type InForce = { get(key: string): RiskAcceptance | undefined };

/** Whether an acceptance in force on the instance replaces the current best for its id. */
function better(a: RiskAcceptance, best: RiskAcceptance | undefined): boolean {
  if (best === undefined) return true;
  const specific = a.instanceId !== null;
  const bestSpecific = best.instanceId !== null;
  return (specific && !bestSpecific) || (specific === bestSpecific && a.until > best.until);
}

function inForce(a: RiskAcceptance, instanceId: string, now: Instant): boolean {
  return a.until > now && (a.instanceId === null || a.instanceId === instanceId);
}

/**
 * The acceptances in force on one instance, by upper-case vulnerability id: same instance or
 * fleet-wide, and `until` after now. An instance-specific acceptance wins over a fleet-wide one;
 * then the latest `until`. Built once per asset, so a fleet run costs O(assets x acceptances +
 * findings) rather than a scan of every acceptance for every finding.
 */
function acceptancesInForce(acceptances: readonly RiskAcceptance[], instanceId: string, now: Instant): ReadonlyMap<string, RiskAcceptance> {
  const m = new Map<string, RiskAcceptance>();
  for (const a of acceptances) {
    if (!inForce(a, instanceId, now)) continue;
    const key = idKey(a.vulnerabilityId);
    if (better(a, m.get(key))) m.set(key, a);
  }
  return m;
}

/** The same choice for a single finding, by a scan that allocates nothing. */
function acceptanceFor(key: string, instanceId: string, acceptances: readonly RiskAcceptance[], now: Instant): RiskAcceptance | null {
  let best: RiskAcceptance | undefined;
  for (const a of acceptances) {
    if (inForce(a, instanceId, now) && idKey(a.vulnerabilityId) === key && better(a, best)) best = a;
  }
  return best ?? null;
}

function notCountedReason(finding: Finding, accepted: RiskAcceptance | null): ScoreReason {
  if (finding.status !== 'ACTIVE') return { factor: 'status', points: 0, text: `not counted: status ${finding.status}` };
  const a = accepted as RiskAcceptance;
  const scope = a.instanceId === null ? 'fleet-wide' : 'on this instance';
  return { factor: 'acceptance', points: 0, text: `not counted: risk accepted ${scope} by ${a.acceptedBy} until ${(toIso(a.until) as string).slice(0, 10)} (${a.reason})` };
}

/** Everything decided about one finding in the context of its asset. */
export function assessFinding(finding: Finding, asset: AssetContext, ctx: AssessmentContext): FindingAssessment {
  return assessWith(finding, asset, ctx, null);
}

/** assessFinding, with the acceptances in force already indexed when a whole asset is assessed. */
function assessWith(finding: Finding, asset: AssetContext, ctx: AssessmentContext, accepted: InForce | null): FindingAssessment {
  const selected = readCvss(finding);
  const metrics = selected?.metrics ?? null;
  const key = finding.vulnerabilityId === null ? null : idKey(finding.vulnerabilityId);
  const kevEntry = key !== null && ctx.catalog !== null ? (ctx.catalog.entries.get(key) ?? null) : null;
  const inKev = kevEntry !== null;
  const exploitation = exploitationFrom(finding, inKev);
  const automatable = automatableFrom(metrics);
  const technicalImpact = technicalImpactFrom(metrics);
  const ssvc = ssvcOutcome({ exploitation, automatable, technicalImpact, mission: asset.mission });
  const timeline = remediationTimeline({ inKev, exposed: asset.exposed, automatable, technicalImpact });
  const dueBy = dueDate(timeline, finding.firstObservedAt, ctx.policy);
  const cvssScore = selected?.cvss.baseScore ?? null;
  let acceptance: RiskAcceptance | null = null;
  if (finding.status === 'ACTIVE' && key !== null && ctx.acceptances.length > 0) {
    acceptance = accepted === null ? acceptanceFor(key, finding.instanceId, ctx.acceptances, ctx.now) : (accepted.get(key) ?? null);
  }
  const counted = finding.status === 'ACTIVE' && acceptance === null;

  let riskScore = 0;
  let reasons: readonly ScoreReason[];
  if (counted) {
    // Without a CVSS v3 record, Inspector's own score is the best severity number there is.
    const useInspector = cvssScore === null && finding.inspectorScore !== null;
    const source: CvssSource | null = useInspector ? 'inspector' : selected === null ? null : selected.cvss === finding.adjustedCvss ? 'adjusted' : 'cvss';
    const scored = scoreFinding({
      ssvc, timeline,
      cvssScore: useInspector ? finding.inspectorScore : cvssScore,
      cvssSource: source,
      cvssVersion: selected?.cvss.version ?? null,
      epss: finding.epss,
      exploitation, inKev, kevEntry,
      lastKnownExploitAt: finding.lastKnownExploitAt,
      exposed: asset.exposed, automatable, technicalImpact,
      mission: asset.mission,
      missionWhy: asset.missionWhy,
      exposureWhy: asset.exposureWhy,
    });
    riskScore = scored.score;
    reasons = scored.reasons;
  } else {
    reasons = [notCountedReason(finding, acceptance)];
  }

  return {
    finding, exploitation, automatable, technicalImpact, inKev,
    cvssVector: selected?.cvss.scoringVector ?? null,
    cvssScore, ssvc, timeline, dueBy, counted,
    acceptedBy: acceptance, riskScore, reasons,
  };
}

/** Highest score first; then the earliest due date (none last); then the ARN, so the order is stable. */
function byRisk(a: FindingAssessment, b: FindingAssessment): number {
  if (a.riskScore !== b.riskScore) return b.riskScore - a.riskScore;
  if (a.dueBy !== b.dueBy) {
    if (a.dueBy === null) return 1;
    if (b.dueBy === null) return -1;
    return a.dueBy - b.dueBy;
  }
  return a.finding.findingArn < b.finding.findingArn ? -1 : a.finding.findingArn > b.finding.findingArn ? 1 : 0;
}

/**
 * Everything decided about one instance: mission and exposure, each finding assessed, the asset
 * score and the patch decision. managedInstance undefined means SSM state unknown (managed null);
 * null means not managed; otherwise managed only when PingStatus is Online.
 */
export function assessAsset(input: AssetInput, ctx: AssessmentContext): AssetAssessment {
  const { asset, findings, managedInstance, patchState } = input;
  const mission = resolveMission(asset, ctx.policy);
  const exposure = resolveExposure(asset, findings);
  const assetCtx: AssetContext = { mission: mission.mission, exposed: exposure.exposed, missionWhy: mission.why, exposureWhy: exposure.why ?? undefined };

  const counted: FindingAssessment[] = [];
  const excluded: FindingAssessment[] = [];
  const index = ctx.acceptanceIndex;
  const accepted: InForce = index !== undefined && index.now === ctx.now
    ? { get: (key) => index.lookup(asset.instanceId, key) }
    : acceptancesInForce(ctx.acceptances, asset.instanceId, ctx.now);
  for (const f of findings) {
    const a = assessWith(f, assetCtx, ctx, accepted);
    (a.counted ? counted : excluded).push(a);
  }
  counted.sort(byRisk);
  excluded.sort(byRisk);

  const managed = managedInstance === undefined ? null : managedInstance === null ? false : managedInstance.pingStatus === 'Online';
  const scored = scoreAsset(counted, assetCtx);
  const decision = decidePatch(counted, { managed, managedInstance: managedInstance ?? null, patchState });

  return {
    asset,
    mission: mission.mission,
    exposed: exposure.exposed,
    managed,
    managedInstance: managedInstance ?? null,
    patchState,
    riskScore: scored.score,
    reasons: scored.reasons,
    decision,
    findings: counted,
    excluded,
  };
}

/** Highest risk first; ties broken by instance id so the order is stable. */
export function compareAssessments(a: AssetAssessment, b: AssetAssessment): number {
  return b.riskScore - a.riskScore || a.asset.instanceId.localeCompare(b.asset.instanceId);
}
