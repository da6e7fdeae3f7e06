/** Outputs of risk assessment: the SSVC and BOD 26-04 decision inputs, outcomes and scores. */
import type { Finding, KevEntry, RiskAcceptance } from '../fleet-facts.js';
import type { Mission } from '../policy.js';
import type { Instant } from '../time.js';
import type { SSVC_OUTCOMES, TIMELINES } from '../vocabulary.js';

export type Exploitation = 'none' | 'public poc' | 'active';
export type TechnicalImpact = 'partial' | 'total';
export type SsvcOutcome = (typeof SSVC_OUTCOMES)[number];
export type Timeline = (typeof TIMELINES)[number];

/** One factor's contribution to a risk score. Shares of one score add up to the score. */
export interface ScoreReason {
  /** Short factor name: "ssvc", "cvss", "epss", "kev", "exploitation", "exposure", "mission", "count" ... */
  readonly factor: string;
  /** Points of the 0..100 score this factor contributed. */
  readonly points: number;
  /** A sentence a person reads: "in CISA KEV (added 2024-07-01)". */
  readonly text: string;
}

/** The per-asset context a finding is judged in. */
export interface AssetContext {
  readonly mission: Mission;
  /** BOD 26-04 exposure: public address, or an ACTIVE NETWORK_REACHABILITY finding. */
  readonly exposed: boolean;
  /** Where the mission came from ("tag Environment=prod"), for the score's reasons. */
  readonly missionWhy?: string;
  /** Why the asset counts as exposed ("public IPv4 address 203.0.113.7"), for the score's reasons. */
  readonly exposureWhy?: string;
}

/** Everything decided about one finding. */
export interface FindingAssessment {
  readonly finding: Finding;
  /** Every advisory id the finding is known by, upper case: vulnerabilityId, then related ids. */
  readonly ids: readonly string[];
  readonly exploitation: Exploitation;
  readonly automatable: boolean;
  readonly technicalImpact: TechnicalImpact;
  readonly inKev: boolean;
  /** The KEV entry of any of its ids (the earliest listed), if any. */
  readonly kevEntry: KevEntry | null;
  /** The CVSS v3 vector the proxies were read from, if any. */
  readonly cvssVector: string | null;
  readonly cvssScore: number | null;
  readonly ssvc: SsvcOutcome;
  /** The BOD 26-04 timeline; null for network reachability (exposure evidence, no timeline). */
  readonly timeline: Timeline | null;
  readonly dueBy: Instant | null;
  /** How the due date was reached ("due 2026-11-04: 3 days from ..."); null without a timeline. */
  readonly due: string | null;
  /**
   * False when SUPPRESSED / CLOSED, under an acceptance that applies, or network reachability
   * (exposure evidence only): it then scores 0.
   */
  readonly counted: boolean;
  /** The acceptance that suppresses it, if any. */
  readonly acceptedBy: RiskAcceptance | null;
  readonly riskScore: number;
  readonly reasons: readonly ScoreReason[];
}
