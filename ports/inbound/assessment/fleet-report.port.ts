/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { FixAvailable, Severity } from '../../../domain/fleet-facts.js';
import type { Mission } from '../../../domain/policy.js';
import type { DecisionKind } from '../../../domain/patch/decision.js';
import type { Exploitation, SsvcOutcome, TechnicalImpact, Timeline } from '../../../domain/risk/finding-assessment.js';
import type { InstantBasis } from '../../outbound/source-info.port.js';

export interface FindingReport {
  readonly findingArn: string;
  readonly vulnerabilityId: string | null;
  /** The other advisory ids Inspector relates to it (the CVEs of a KB, the ALAS ids of a CVE). */
  readonly relatedVulnerabilities: readonly string[];
  readonly title: string | null;
  readonly type: string;
  readonly severity: Severity;
  readonly riskScore: number;
  readonly exploitation: Exploitation;
  readonly automatable: boolean;
  readonly technicalImpact: TechnicalImpact;
  readonly inKev: boolean;
  readonly cvssScore: number | null;
  readonly cvssVector: string | null;
  readonly epss: number | null;
  readonly ssvc: SsvcOutcome;
  /** null for network reachability: exposure evidence, no timeline of its own. */
  readonly timeline: Timeline | null;
  readonly dueBy: string | null;
  /** How the due date was reached ("due 2026-11-04: 3 days from the CISA KEV listing on ..."). */
  readonly due: string | null;
  readonly overdue: boolean;
  readonly fixAvailable: FixAvailable;
  readonly packages: readonly { readonly name: string; readonly version: string | null; readonly fixedInVersion: string | null }[];
  readonly firstObservedAt: string | null;
  readonly reasons: readonly string[];
  /** Set when a risk acceptance suppresses the finding. */
  readonly acceptance?: { readonly id: string; readonly by: string; readonly until: string | null; readonly reason: string };
}

export interface AssetReport {
  readonly instanceId: string;
  /** The AWS account the instance lives in: present on an organization read (--accounts, --regions) and its capture. */
  readonly accountId?: string;
  /** The instance's region, present with accountId. */
  readonly region?: string;
  readonly name: string | null;
  readonly state: string;
  readonly environment: string | null;
  readonly autoScalingGroup: string | null;
  readonly mission: Mission;
  readonly exposed: boolean;
  readonly managed: boolean | null;
  readonly riskScore: number;
  readonly decision: DecisionKind;
  readonly decisionReasons: readonly string[];
  readonly dueBy: string | null;
  readonly rebootExpected: boolean;
  readonly forensicTriage: boolean;
  readonly scoreReasons: readonly string[];
  readonly findings: readonly FindingReport[];
  /** Findings present but not counted (risk accepted). */
  readonly accepted: readonly FindingReport[];
}

export interface FleetSummary {
  readonly assets: number;
  readonly findings: number;
  readonly byDecision: Readonly<Record<DecisionKind, number>>;
  readonly bySsvc: Readonly<Record<SsvcOutcome, number>>;
  readonly overdue: number;
  readonly accepted: number;
  /** Assets per AWS account, when the assets carry their account (an organization read). */
  readonly byAccount?: Readonly<Record<string, number>>;
  /** Assets per AWS region, when the assets carry their region (an organization or multi-region read). */
  readonly byRegion?: Readonly<Record<string, number>>;
}

export interface FleetReport {
  /** The instant the report is assessed as of (due dates, overdue, look-backs count from it). */
  readonly generatedAt: string;
  /** Where that instant comes from: --now, the snapshot's capture time, its newest observation, or the clock. */
  readonly asOf: InstantBasis;
  readonly source: string;
  readonly assets: readonly AssetReport[];
  readonly summary: FleetSummary;
  readonly warnings: readonly string[];
  /** true when an account or region of the scope could not be read: the warnings name it, the rest stands. */
  readonly partial?: true;
}

/**
 * A FleetReport whose assets are built one at a time as they are read, for surfaces that stream
 * the report out (the CLI's `assess --json`): the full reports of all assets never exist at once.
 * Written member by member in this order, it is byte for byte the FleetReport of the same request.
 */
export interface FleetReportStream {
  readonly generatedAt: string;
  readonly asOf: InstantBasis;
  readonly source: string;
  /** How many assets `assets` yields. */
  readonly count: number;
  /** The assets, highest risk first; each report is built when reached. Iterate once. */
  readonly assets: Iterable<AssetReport>;
  /** The summary of the assets yielded so far: the whole fleet's once `assets` is exhausted. */
  readonly summary: () => FleetSummary;
  readonly warnings: readonly string[];
  /** As FleetReport.partial. */
  readonly partial?: true;
}
