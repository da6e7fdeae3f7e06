/**
 * The library's public API: every use case behind one object. The CLI, the HTTP API, the chat
 * bots and embedding programs all call this and differ only in parsing and rendering.
 */
import type { Policy } from '../../domain/policy.js';
import type { CoreDependencies } from './dependencies.js';
import { type AssessFleet, type AssessFleetRequest } from './assess-fleet.use-case.js';
import { type AssessInstance, type InstanceReport } from './assess-instance.use-case.js';
import { type ListFindings, type FindingsReport } from './list-findings.use-case.js';
import { type PlanPatches, type PlanReport } from './plan-patches.use-case.js';
import { type ReportActivity, type ActivityReport } from './report-activity.use-case.js';
import type { FleetReport } from './reports.js';
import { type CaptureSnapshot, type CaptureSnapshotRequest } from './capture-snapshot.use-case.js';
import type { CaptureResult } from '../outbound/snapshot-capture.port.js';
import { type SummarizeCompliance, type ComplianceReport } from './summarize-compliance.use-case.js';
import { type SummarizeMetrics, type MetricsReport } from './summarize-metrics.use-case.js';

export interface Assistant {
  /** Where the data comes from ("demo", "snapshot:/path", "aws:eu-west-1"). */
  readonly source: string;
  /** The policy in force (defaults merged with any override). */
  readonly policy: Policy;
  /** Every instance ranked by risk, with its patch decision and findings. */
  assessFleet(request?: AssessFleetRequest): Promise<FleetReport>;
  /** One instance by id or Name tag. @throws NotFoundError (with near matches) / AmbiguousError. */
  assessInstance(instance: string): Promise<InstanceReport>;
  /** Active findings on one instance, highest risk first, optionally at or above a severity. */
  listFindings(request: { instance: string; minSeverity?: string }): Promise<FindingsReport>;
  /** Windows, waves and rollout limits for everything that needs patching. */
  planPatches(): Promise<PlanReport>;
  /** Patch compliance from Systems Manager. */
  complianceSummary(): Promise<ComplianceReport>;
  /** Metric summaries with robust anomalies for one instance over the last `hours` (default 24). */
  metricsSummary(request: { instance: string; hours?: number }): Promise<MetricsReport>;
  /** CloudTrail events about one instance over the last `hours` (default 24), flagged. */
  activityReport(request: { instance: string; hours?: number }): Promise<ActivityReport>;
  /** Writes the live account into a snapshot folder (source aws only). */
  captureSnapshot(request: CaptureSnapshotRequest): Promise<CaptureResult>;
  /** Releases network clients and caches; call once when done. */
  close(): Promise<void>;
}

/** Builds the facade over use case instances. */
export function assistantFrom(
  deps: Pick<CoreDependencies, 'policy' | 'source'>,
  u: {
    assessFleet: AssessFleet; assessInstance: AssessInstance; listFindings: ListFindings; planPatches: PlanPatches;
    summarizeCompliance: SummarizeCompliance; summarizeMetrics: SummarizeMetrics; reportActivity: ReportActivity;
    captureSnapshot: CaptureSnapshot;
  },
  close: () => Promise<void> = async () => {},
): Assistant {
  return {
    source: deps.source.label,
    policy: deps.policy,
    assessFleet: (r) => u.assessFleet.execute(r),
    assessInstance: (i) => u.assessInstance.execute(i),
    listFindings: (r) => u.listFindings.execute(r),
    planPatches: () => u.planPatches.execute(),
    complianceSummary: () => u.summarizeCompliance.execute(),
    metricsSummary: (r) => u.summarizeMetrics.execute(r),
    activityReport: (r) => u.reportActivity.execute(r),
    captureSnapshot: (r) => u.captureSnapshot.execute(r),
    close,
  };
}
