/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { AutopilotStatus } from './patching/autopilot.port.js';
import type { Actor } from '../../domain/access/actor.js';
import type { Policy } from '../../domain/policy.js';
import type { AssessFleetRequest } from './assessment/assess-fleet.port.js';
import type { InstanceReport } from './assessment/assess-instance.port.js';
import type { FindingsReport } from './assessment/list-findings.port.js';
import type { PlanReport } from './patching/plan-patches.port.js';
import type { ActivityReport } from './reports/report-activity.port.js';
import type { FleetReport, FleetReportStream } from './assessment/fleet-report.port.js';
import type { CaptureSnapshotRequest } from './assessment/capture-snapshot.port.js';
import type { CaptureResult } from '../outbound/snapshot-capture.port.js';
import type { ComplianceReport } from './reports/summarize-compliance.port.js';
import type { MetricsReport, MetricsRequest } from './reports/summarize-metrics.port.js';
import type { AuditVerificationReport } from './audit/audit.port.js';
import type { PatchOperations } from './patch-operations.port.js';
import type { PatchRunReport, PatchRunRequest } from './patching/patch-runs.port.js';
import type { AssessmentHistory } from './history/history.port.js';

/** Turning identities into actors with roles from the policy (access.actors). */
export interface ActorResolver {
  /**
   * The actor of this process for single-user surfaces (the CLI, an embedding program): the OS
   * user, or the name given with --actor / the `actor` option.
   */
  readonly actor: Actor;
  /**
   * An actor for an identity a surface authenticated ("slack:U123", an API key's name), with its
   * roles from policy access.actors, else access.others.
   */
  actorFor(id: string, via: Actor['via'], displayName?: string): Actor;
}

export interface Assistant extends PatchOperations, ActorResolver, AssessmentHistory {
  /** Where the data comes from ("demo", "snapshot:/path", "aws:eu-west-1"). */
  readonly source: string;
  /** The policy in force (defaults merged with any override). */
  readonly policy: Policy;
  /** Every instance ranked by risk, with its patch decision and findings. */
  assessFleet(request?: AssessFleetRequest): Promise<FleetReport>;
  /**
   * The same report with each asset's report built when read, for a surface that writes it out
   * as it goes (see FleetReportStream). Optional: a surface falls back to assessFleet without it.
   */
  streamFleet?(request?: AssessFleetRequest): Promise<FleetReportStream>;
  /** One instance by id or Name tag. @throws NotFoundError (with near matches) / AmbiguousError. */
  assessInstance(instance: string): Promise<InstanceReport>;
  /** Active findings on one instance, highest risk first, optionally at or above a severity. */
  listFindings(request: { instance: string; minSeverity?: string }): Promise<FindingsReport>;
  /** Windows, waves and rollout limits for everything that needs patching. */
  planPatches(): Promise<PlanReport>;
  /** Patch compliance from Systems Manager. */
  complianceSummary(): Promise<ComplianceReport>;
  /** Metric summaries with robust anomalies for one instance over the last `hours` (default 24); the points too with `series`. */
  metricsSummary(request: MetricsRequest): Promise<MetricsReport>;
  /** CloudTrail events about one instance over the last `hours` (default 24), flagged. */
  activityReport(request: { instance: string; hours?: number }): Promise<ActivityReport>;
  /** Writes the live account into a snapshot folder (source aws only). */
  captureSnapshot(request: CaptureSnapshotRequest): Promise<CaptureResult>;
  /** What requestPatchRun would create (waves, approval need), storing nothing. */
  previewPatchRun(actor: Actor, request: PatchRunRequest): Promise<PatchRunReport>;
  /** Walks the audit log's hash chain and names the first entry that breaks it. */
  verifyAudit(actor: Actor): Promise<AuditVerificationReport>;
  /** What the autopilot (policy.autopilot) will turn into runs, and the runs it made. */
  autopilotStatus(actor: Actor): Promise<AutopilotStatus>;
  /** Releases network clients, caches and the state store; call once when done. */
  close(): Promise<void>;
}
