/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/history/). */
import type { FixAvailable, Severity } from '../../../domain/fleet-facts.js';
import type { HistoryOrigin } from '../../../domain/history/assessment-record.js';
import type { AlertKind } from '../../../domain/history/alerts.js';
import type { EscalationKind } from '../../../domain/history/changes.js';
import type { DecisionKind } from '../../../domain/patch/decision.js';
import type { SsvcOutcome, Timeline } from '../../../domain/risk/finding-assessment.js';
import type { FleetReport } from '../assessment/fleet-report.port.js';

/** One recorded assessment, as the reports name it. */
export interface RecordedAssessmentRef {
  readonly id: string;
  /** The instant it was assessed as of (ISO 8601). */
  readonly at: string;
  readonly source: string;
  readonly origin: HistoryOrigin;
  readonly assets: number;
  readonly findings: number;
}

export interface RecordAssessmentReport {
  readonly recorded: RecordedAssessmentRef;
  /** Assessments older than the retention (policy history.retentionDays) removed by this call. */
  readonly pruned: number;
}

/** Which two assessments to compare. */
export interface ChangesRequest {
  /**
   * From the newest assessment at or before this point to the newest one: a duration back from
   * now ("24h", "7d") or an ISO instant (a date-time needs its zone). Default 24h.
   */
  readonly since?: string;
  /** Two assessments, each an id or an instant (the newest assessment at or before it). Excludes `since`. */
  readonly between?: readonly [string, string];
}

/** A finding as a change report shows it. */
export interface ChangedFinding {
  readonly instanceId: string;
  readonly name: string | null;
  /** Set when the organisation scope records them. */
  readonly accountId?: string;
  readonly region?: string;
  readonly advisoryId: string;
  readonly severity: Severity;
  readonly ssvc: SsvcOutcome;
  readonly timeline: Timeline | null;
  readonly dueBy: string | null;
  readonly overdue: boolean;
  readonly inKev: boolean;
  readonly fixAvailable: FixAvailable;
  readonly firstObservedAt: string | null;
  readonly acceptance: { readonly id: string; readonly until: string | null } | null;
  /** The finding in the earlier assessment, for escalations and de-escalations. */
  readonly before?: { readonly ssvc: SsvcOutcome; readonly timeline: Timeline | null; readonly dueBy: string | null; readonly inKev: boolean; readonly fixAvailable: FixAvailable };
  /** What moved (escalations and de-escalations). */
  readonly moved?: readonly EscalationKind[];
}

export interface ChangedDecision {
  readonly instanceId: string;
  readonly name: string | null;
  readonly accountId?: string;
  readonly region?: string;
  /** null: the asset was not in the earlier assessment. */
  readonly from: DecisionKind | null;
  readonly to: DecisionKind;
  readonly riskScore: number;
}

export interface ChangeCounts {
  readonly added: number;
  readonly resolved: number;
  readonly escalations: number;
  readonly deEscalations: number;
  readonly newlyOverdue: number;
  readonly dueSoon: number;
  readonly decisionsChanged: number;
  readonly acceptancesExpiring: number;
}

/** What changed between two recorded assessments (the JSON of `changes --json`, GET /v1/changes, `what_changed`). */
export interface ChangesReport {
  /** When this report was made (the assessment clock: --now, a snapshot's time, or the clock). */
  readonly generatedAt: string;
  /** The earlier assessment; null when fewer than two are recorded (every list is then empty). */
  readonly from: RecordedAssessmentRef | null;
  readonly to: RecordedAssessmentRef | null;
  /** How far ahead "due soon" and "acceptances expiring" look (policy changes.dueSoonDays). */
  readonly dueSoonDays: number;
  readonly counts: ChangeCounts;
  readonly added: readonly ChangedFinding[];
  readonly resolved: readonly ChangedFinding[];
  readonly escalations: readonly ChangedFinding[];
  readonly deEscalations: readonly ChangedFinding[];
  readonly newlyOverdue: readonly ChangedFinding[];
  readonly dueSoon: readonly ChangedFinding[];
  readonly decisionsChanged: readonly ChangedDecision[];
  readonly acceptancesExpiring: readonly ChangedFinding[];
  /** The alerts these changes call for (posted at once by the collector, deduplicated). */
  readonly alerts: readonly { readonly key: string; readonly kind: AlertKind; readonly text: string }[];
  /** The latest assessment's headline counts. */
  readonly summary: FleetTotals | null;
  readonly warnings: readonly string[];
}

export interface FleetTotals {
  readonly byDecision: Readonly<Record<DecisionKind, number>>;
  readonly bySsvc: Readonly<Record<SsvcOutcome, number>>;
  readonly overdue: number;
  readonly inKev: number;
  readonly accepted: number;
}

export interface TrendRequest {
  /** Days back from now, 1 to the retention (default 30). */
  readonly days?: number;
}

export interface TrendDay extends FleetTotals {
  /** The UTC day (YYYY-MM-DD). */
  readonly day: string;
  /** The assessment the day's counts come from (its last). */
  readonly assessment: string;
  readonly findings: number;
  /** Findings resolved that day (gone since the previous day's assessment). */
  readonly resolved: number;
  /** Mean hours from first seen to resolved, per SSVC outcome, of the findings resolved that day; null without any. */
  readonly meanHoursToRemediate: Readonly<Record<SsvcOutcome, number | null>>;
}

/** Per day, from the history (the JSON of `trend --json` and GET /v1/trend). */
export interface TrendReport {
  readonly generatedAt: string;
  readonly days: number;
  /** Days with at least one recorded assessment, oldest first. */
  readonly series: readonly TrendDay[];
  readonly warnings: readonly string[];
}

/** What one alerting pass did (the collector's, after each assessment). */
export interface AlertReport {
  /** The alerts the changes since the newest recorded assessment call for. */
  readonly alerts: readonly { readonly key: string; readonly kind: AlertKind; readonly text: string }[];
  /** Keys posted by this pass; the others had been posted before (by this or another process). */
  readonly posted: readonly string[];
  /** Channels that failed, with why; when all fail the alerts are released and tried again next pass. */
  readonly failures: readonly string[];
  /** The id of the assessment recorded, or null when policy history.minIntervalMinutes had not passed. */
  readonly recorded: string | null;
}

/** What one digest did. */
export interface DigestReport {
  /** The UTC day it is for (one digest a day: a second call that day posts nothing). */
  readonly day: string;
  readonly posted: boolean;
  /** Channels it went to. */
  readonly channels: readonly string[];
  readonly failures: readonly string[];
  readonly counts: ChangeCounts;
}

/** The history of assessments and what changed: part of the Assistant. */
export interface AssessmentHistory {
  /** Stores an assessment in the history (compactly) and prunes the ones past the retention. */
  recordAssessment(report: FleetReport, origin?: HistoryOrigin): Promise<RecordAssessmentReport>;
  /**
   * Records it as recordAssessment does when no assessment is recorded before it, or the newest
   * before it is at least policy history.minIntervalMinutes older (the collector's rule); null
   * when not. The HTTP service records its fresh fleet assessments with it.
   */
  recordAssessmentIfDue(report: FleetReport, origin?: HistoryOrigin): Promise<RecordAssessmentReport | null>;
  /** What changed between two recorded assessments. @throws ValidationError naming since / between. */
  changes(request?: ChangesRequest): Promise<ChangesReport>;
  /** Per-day counts from the history. @throws ValidationError naming days. */
  trend(request?: TrendRequest): Promise<TrendReport>;
  /**
   * Compares an assessment with the newest recorded one, posts the alerts it calls for to the
   * configured channels (once each, across processes) and records it (at most once per
   * policy history.minIntervalMinutes).
   */
  alertOnChanges(report: FleetReport, origin?: HistoryOrigin): Promise<AlertReport>;
  /** Posts the daily digest (the last 24 hours) to the configured channels, once a day. */
  sendDigest(): Promise<DigestReport>;
}
