/** Puts proxies, SSVC, timeline, score and decision together for one finding and one asset. */
import type { Asset, ExploitedCatalog, Finding, KevEntry, ManagedInstance, PatchState, RiskAcceptance } from './fleet-facts.js';
import type { Policy } from './policy.js';
import { toIso } from './time.js';
import type { Instant } from './time.js';
import { decidePatch } from './patch/decision.js';
import { indexAcceptances, type AcceptanceIndex, type InstanceIdentity } from './risk/acceptance-index.js';
import { findingKeys } from './risk/advisory-ids.js';
import { automatableFrom, exploitationFrom, readCvss, resolveExposure, resolveMission, technicalImpactFrom } from './risk/proxies.js';
import { scoreAsset, scoreFinding } from './risk/score.js';
import type { CvssSource } from './risk/score.js';
import { ssvcOutcome } from './risk/ssvc.js';
import { remediationTimeline, timelineClock } from './risk/timeline.js';
import type { AssetContext, FindingAssessment, ScoreReason } from './risk/finding-assessment.js';
import type { Mission } from './policy.js';
import type { PatchDecision } from './patch/decision.js';

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
  /** Acceptances in force or not: acceptanceApplies (acceptance-index.ts) decides, at `now`. */
  readonly acceptances: readonly RiskAcceptance[];
  readonly now: Instant;
  readonly policy: Policy;
  /**
   * `acceptances` indexed once for the whole run (indexAcceptances, at `now`): a fleet of many
   * acceptances then costs one pass over them instead of one per asset. Optional; same answers.
   */
  readonly acceptanceIndex?: AcceptanceIndex;
}

const EMPTY_INDEX_AT = new Map<Instant, AcceptanceIndex>();

/** The run's index when it was built for this instant, else one built now (same rule, one place). */
function indexFor(ctx: AssessmentContext): AcceptanceIndex {
  if (ctx.acceptanceIndex !== undefined && ctx.acceptanceIndex.now === ctx.now) return ctx.acceptanceIndex;
  if (ctx.acceptances.length === 0) {
    let empty = EMPTY_INDEX_AT.get(ctx.now);
    if (empty === undefined) {
      if (EMPTY_INDEX_AT.size > 64) EMPTY_INDEX_AT.clear();
      EMPTY_INDEX_AT.set(ctx.now, (empty = indexAcceptances([], ctx.now)));
    }
    return empty;
  }
  return indexAcceptances(ctx.acceptances, ctx.now);
}

function notCountedReason(finding: Finding, accepted: RiskAcceptance | null, exposureWhy: string | null): ScoreReason {
  if (finding.status !== 'ACTIVE') return { factor: 'status', points: 0, text: `not counted: status ${finding.status}` };
  if (finding.type === 'NETWORK_REACHABILITY') {
    return { factor: 'exposure', points: 0, text: `exposure evidence only (${exposureWhy ?? 'network path'}): makes the instance exposed; no timeline, due date or patch of its own` };
  }
  const a = accepted as RiskAcceptance;
  const scope = a.instanceId === null ? 'fleet-wide' : 'on this instance';
  return { factor: 'acceptance', points: 0, text: `not counted: risk accepted ${scope} by ${a.acceptedBy} until ${(toIso(a.until) as string).slice(0, 10)} (${a.reason})` };
}

/** The catalog entry of any id the finding is known by; the earliest listed when several are. */
function kevEntryOf(keys: readonly string[], catalog: ExploitedCatalog | null): KevEntry | null {
  if (catalog === null) return null;
  let hit: KevEntry | null = null;
  for (const k of keys) {
    const e = catalog.entries.get(k);
    if (e !== undefined && (hit === null || e.dateAdded < hit.dateAdded)) hit = e;
  }
  return hit;
}

/** Everything decided about one finding in the context of its asset. */
export function assessFinding(finding: Finding, asset: AssetContext, ctx: AssessmentContext): FindingAssessment {
  return assessWith(finding, asset, ctx, indexFor(ctx));
}

/**
 * assessFinding, with the acceptances in force already indexed when a whole asset is assessed.
 * `instance`: the asset the finding is on, whose account and region pick the acceptances that apply.
 */
function assessWith(finding: Finding, asset: AssetContext, ctx: AssessmentContext, index: AcceptanceIndex, instance: InstanceIdentity = finding): FindingAssessment {
  const selected = readCvss(finding);
  const metrics = selected?.metrics ?? null;
  const keys = findingKeys(finding);
  const kevEntry = kevEntryOf(keys, ctx.catalog);
  const inKev = kevEntry !== null;
  const exploitation = exploitationFrom(finding, inKev);
  const automatable = automatableFrom(metrics);
  const technicalImpact = technicalImpactFrom(metrics);
  const ssvc = ssvcOutcome({ exploitation, automatable, technicalImpact, mission: asset.mission });
  const timeline = remediationTimeline({ inKev, exposed: asset.exposed, automatable, technicalImpact });
  // Network reachability is exposure evidence: no timeline, due date or patch of its own.
  const reachability = finding.type === 'NETWORK_REACHABILITY';
  const clock = reachability ? null : timelineClock(timeline, finding.firstObservedAt, kevEntry, { exposed: asset.exposed, automatable, technicalImpact }, ctx.policy);
  const dueBy = clock?.dueBy ?? null;
  const cvssScore = selected?.cvss.baseScore ?? null;
  let acceptance: RiskAcceptance | null = null;
  if (finding.status === 'ACTIVE' && !reachability && keys.length > 0) acceptance = index.lookup(instance, keys) ?? null;
  const counted = finding.status === 'ACTIVE' && !reachability && acceptance === null;

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
      exploitation, inKev, kevEntry, vulnerabilityId: finding.vulnerabilityId,
      lastKnownExploitAt: finding.lastKnownExploitAt,
      exposed: asset.exposed, automatable, technicalImpact,
      mission: asset.mission,
      missionWhy: asset.missionWhy,
      exposureWhy: asset.exposureWhy,
    });
    riskScore = scored.score;
    reasons = scored.reasons;
  } else {
    reasons = [notCountedReason(finding, acceptance, asset.exposureWhy ?? null)];
  }

  return {
    finding, ids: keys, exploitation, automatable, technicalImpact, inKev, kevEntry,
    cvssVector: selected?.cvss.scoringVector ?? null,
    cvssScore, ssvc, timeline: reachability ? null : timeline, dueBy, due: clock?.text ?? null, counted,
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
  const index = indexFor(ctx);
  for (const f of findings) {
    const a = assessWith(f, assetCtx, ctx, index, asset);
    (a.counted ? counted : excluded).push(a);
  }
  counted.sort(byRisk);
  excluded.sort(byRisk);

  const managed = managedInstance === undefined ? null : managedInstance === null ? false : managedInstance.pingStatus === 'Online';
  const scored = scoreAsset(counted, assetCtx);
  const decision = decidePatch(counted, { managed, managedInstance: managedInstance ?? null, patchState }, ctx.now);

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

/** Everything decided about one instance. */
export interface AssetAssessment {
  readonly asset: Asset;
  readonly mission: Mission;
  readonly exposed: boolean;
  /** true / false from SSM; null when SSM state is unknown. */
  readonly managed: boolean | null;
  readonly managedInstance: ManagedInstance | null;
  readonly patchState: PatchState | null;
  readonly riskScore: number;
  readonly reasons: readonly ScoreReason[];
  readonly decision: PatchDecision;
  /** Counted findings, sorted by riskScore descending. */
  readonly findings: readonly FindingAssessment[];
  /** Findings present but not counted (suppressed, closed, accepted). */
  readonly excluded: readonly FindingAssessment[];
}

/** Where a resident assessment's detail comes from: the asset's full assessment, built again from the same facts. */
export interface AssessmentDetails {
  detailOf(asset: Asset): AssetAssessment;
}

/**
 * The resident form of an asset's assessment, for a fleet held whole: only the scalars and
 * references that sorting, filtering, planning and summaries read (score, mission, exposure, SSM
 * state, the decision's kind, dates and flags) are kept. Everything made of text or of finding
 * assessments (the score's `reasons`, the decision's `reasons` and `drivers`, `findings`,
 * `excluded`; most of the memory) is rebuilt by `details` when read, from the same facts by the
 * same rules, so it is equal to what was dropped. A class with getters on its prototype: every
 * resident shares one hidden class, where an object with its own accessors costs one each.
 * `toJSON` gives JSON.stringify the whole assessment, as the full one serializes.
 */
class ResidentAssessment implements AssetAssessment {
  readonly asset: Asset;
  readonly mission: Mission;
  readonly exposed: boolean;
  readonly managed: boolean | null;
  readonly managedInstance: ManagedInstance | null;
  readonly patchState: PatchState | null;
  readonly riskScore: number;
  readonly decision: PatchDecision;
  readonly #details: AssessmentDetails;

  constructor(full: AssetAssessment, details: AssessmentDetails) {
    this.asset = full.asset;
    this.mission = full.mission;
    this.exposed = full.exposed;
    this.managed = full.managed;
    this.managedInstance = full.managedInstance;
    this.patchState = full.patchState;
    this.riskScore = full.riskScore;
    this.#details = details;
    this.decision = new ResidentDecision(full.decision, this);
  }

  /** The full assessment, built again (the details source keeps the last one). */
  detail(): AssetAssessment {
    return this.#details.detailOf(this.asset);
  }

  get reasons(): readonly ScoreReason[] {
    return this.detail().reasons;
  }

  get findings(): readonly FindingAssessment[] {
    return this.detail().findings;
  }

  get excluded(): readonly FindingAssessment[] {
    return this.detail().excluded;
  }

  /** The full assessment, rebuilt from the same facts (equal to this one, with what it leaves out). */
  toJSON(): AssetAssessment {
    return this.detail();
  }
}

/** The decision of a ResidentAssessment: its scalars kept, its reasons and drivers rebuilt when read. */
class ResidentDecision implements PatchDecision {
  readonly kind: PatchDecision['kind'];
  readonly underlying: PatchDecision['underlying'];
  readonly dueBy: Instant | null;
  readonly rebootExpected: boolean;
  readonly forensicTriage: boolean;
  readonly overdue: boolean;
  readonly escalated: boolean;
  readonly #owner: ResidentAssessment;

  constructor(full: PatchDecision, owner: ResidentAssessment) {
    this.kind = full.kind;
    this.underlying = full.underlying;
    this.dueBy = full.dueBy;
    this.rebootExpected = full.rebootExpected;
    this.forensicTriage = full.forensicTriage;
    this.overdue = full.overdue;
    this.escalated = full.escalated;
    this.#owner = owner;
  }

  get drivers(): readonly FindingAssessment[] {
    return this.#owner.detail().decision.drivers;
  }

  get reasons(): readonly string[] {
    return this.#owner.detail().decision.reasons;
  }

  toJSON(): PatchDecision {
    return this.#owner.detail().decision;
  }
}

/**
 * The resident form of `full` (see ResidentAssessment): `details` builds the asset's full
 * assessment again when its reasons or findings are read. One `details` serves a whole fleet.
 */
export function residentAssessment(full: AssetAssessment, details: AssessmentDetails): AssetAssessment {
  return new ResidentAssessment(full, details);
}
