/**
 * One recorded assessment, kept compactly in the history: per finding its identity (instance and
 * advisory id), SSVC outcome, timeline, due date, KEV status, fix availability, first sighting and
 * acceptance; per asset its decision and score; when it was assessed, from which source and by
 * which process. What `changes`, the alerts, the digest and the trend read.
 */
import type { FixAvailable, Severity } from '../fleet-facts.js';
import type { DecisionKind } from '../patch/decision.js';
import type { SsvcOutcome, Timeline } from '../risk/finding-assessment.js';
import type { Instant } from '../time.js';
import { DECISION_KINDS, SSVC_OUTCOMES } from '../vocabulary.js';

/** Which process recorded an assessment. */
export const HISTORY_ORIGINS = ['cli', 'service', 'collector', 'library'] as const;
export type HistoryOrigin = (typeof HISTORY_ORIGINS)[number];

/**
 * Where an asset lives. `instanceId` alone today; an account and a region join it when the
 * organisation scope records them, and the key (`assetKey`) grows with them.
 */
export interface AssetIdentity {
  readonly instanceId: string;
  readonly accountId?: string | null;
  readonly region?: string | null;
}

export interface RecordedAsset extends AssetIdentity {
  readonly name: string | null;
  readonly decision: DecisionKind;
  readonly riskScore: number;
  readonly exposed: boolean;
}

export interface RecordedAcceptance {
  readonly id: string;
  /** When it stops suppressing the finding; null for never. */
  readonly until: Instant | null;
}

export interface RecordedFinding extends AssetIdentity {
  /** The advisory (CVE, ALAS, ...) or, without one, the finding's own id (network reachability). */
  readonly advisoryId: string;
  readonly severity: Severity;
  readonly ssvc: SsvcOutcome;
  readonly timeline: Timeline | null;
  readonly dueBy: Instant | null;
  readonly inKev: boolean;
  readonly fixAvailable: FixAvailable;
  readonly firstObservedAt: Instant | null;
  /** Set when a risk acceptance suppresses the finding. */
  readonly acceptance: RecordedAcceptance | null;
}

/** The headline counts of one assessment, kept beside it so a trend never decodes the findings. */
export interface AssessmentSummary {
  readonly byDecision: Readonly<Record<DecisionKind, number>>;
  readonly bySsvc: Readonly<Record<SsvcOutcome, number>>;
  /** Counted (not accepted) findings past their due date. */
  readonly overdue: number;
  readonly inKev: number;
  readonly accepted: number;
}

/** What the store lists without reading the findings. */
export interface AssessmentHeader {
  readonly id: string;
  /** The instant it was assessed as of. */
  readonly at: Instant;
  readonly source: string;
  readonly origin: HistoryOrigin;
  readonly assets: number;
  readonly findings: number;
  readonly summary: AssessmentSummary;
}

export interface AssessmentRecord {
  readonly id: string;
  readonly at: Instant;
  readonly source: string;
  readonly origin: HistoryOrigin;
  readonly assets: readonly RecordedAsset[];
  readonly findings: readonly RecordedFinding[];
}

/** The key of an asset across assessments (instance id, with account and region when known). */
export function assetKey(a: AssetIdentity): string {
  return a.accountId || a.region ? `${a.accountId ?? ''}/${a.region ?? ''}/${a.instanceId}` : a.instanceId;
}

/** The key of a finding across assessments: its asset and its advisory. */
export function findingKey(f: RecordedFinding): string {
  return `${assetKey(f)}|${f.advisoryId}`;
}

/** A finding counts (is not suppressed by an acceptance in force at `at`). */
export function counts(f: RecordedFinding, at: Instant): boolean {
  return f.acceptance === null || (f.acceptance.until !== null && f.acceptance.until <= at);
}

export function isOverdue(f: RecordedFinding, at: Instant): boolean {
  return f.dueBy !== null && f.dueBy < at;
}

/** The headline counts of a record. */
export function summarize(r: Pick<AssessmentRecord, 'assets' | 'findings' | 'at'>): AssessmentSummary {
  const byDecision = Object.fromEntries(DECISION_KINDS.map((d) => [d, 0])) as Record<DecisionKind, number>;
  const bySsvc = Object.fromEntries(SSVC_OUTCOMES.map((o) => [o, 0])) as Record<SsvcOutcome, number>;
  for (const a of r.assets) byDecision[a.decision]++;
  let overdue = 0;
  let inKev = 0;
  let accepted = 0;
  for (const f of r.findings) {
    if (!counts(f, r.at)) {
      accepted++;
      continue;
    }
    bySsvc[f.ssvc]++;
    if (isOverdue(f, r.at)) overdue++;
    if (f.inKev) inKev++;
  }
  return { byDecision, bySsvc, overdue, inKev, accepted };
}

export function headerOf(r: AssessmentRecord): AssessmentHeader {
  return { id: r.id, at: r.at, source: r.source, origin: r.origin, assets: r.assets.length, findings: r.findings.length, summary: summarize(r) };
}
