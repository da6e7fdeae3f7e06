/**
 * The library's public API: every use case behind one object. The CLI, the HTTP API, the chat
 * bots and embedding programs all call this and differ only in parsing and rendering.
 */
import type { Actor } from '../../domain/access/actor.js';
import { ValidationError } from '../../domain/errors.js';
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
import type { AuditVerificationReport, PatchOperations, PatchRunReport, PatchRunRequest } from './patch-operations.js';

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

export interface Assistant extends PatchOperations, ActorResolver {
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
  /** What requestPatchRun would create (waves, approval need), storing nothing. */
  previewPatchRun(actor: Actor, request: PatchRunRequest): Promise<PatchRunReport>;
  /** Walks the audit log's hash chain and names the first entry that breaks it. */
  verifyAudit(actor: Actor): Promise<AuditVerificationReport>;
  /** Releases network clients, caches and the state store; call once when done. */
  close(): Promise<void>;
}

const NOT_CONFIGURED = 'patch operations are not configured in this assistant (no state store)';

/** Patch operations that refuse, for an Assistant built without a state store. */
function notConfigured(): Required<PatchOperations> {
  const refuse = async (): Promise<never> => {
    throw new ValidationError('stateStore', 'a configured state store', NOT_CONFIGURED);
  };
  return {
    requestPatchRun: refuse, previewPatchRun: refuse, approvePatchRun: refuse, rejectPatchRun: refuse, cancelPatchRun: refuse,
    getPatchRun: refuse, listPatchRuns: refuse, executePatchRun: refuse, acceptRisk: refuse, listAcceptances: refuse,
    revokeAcceptance: refuse, listAudit: refuse, verifyAudit: refuse, schedulePatching: refuse, listSchedules: refuse, cancelSchedule: refuse,
  };
}

/** Without a resolver nobody has a role: every patch operation would be denied. */
const NO_ACTORS: ActorResolver = {
  actor: { id: 'library', roles: [], via: 'library' },
  actorFor: (id, via, displayName) => ({ id, roles: [], via, ...(displayName !== undefined ? { displayName } : {}) }),
};

/** Builds the facade over use case instances. */
export function assistantFrom(
  deps: Pick<CoreDependencies, 'policy' | 'source'>,
  u: {
    assessFleet: AssessFleet; assessInstance: AssessInstance; listFindings: ListFindings; planPatches: PlanPatches;
    summarizeCompliance: SummarizeCompliance; summarizeMetrics: SummarizeMetrics; reportActivity: ReportActivity;
    captureSnapshot: CaptureSnapshot;
    /** The patch use cases; without them every patch method fails with a clear error. */
    patch?: Required<PatchOperations>;
    actors?: ActorResolver;
  },
  close: () => Promise<void> = async () => {},
): Assistant {
  const actors = u.actors ?? NO_ACTORS;
  return {
    ...(u.patch ?? notConfigured()),
    actor: actors.actor,
    actorFor: (id, via, displayName) => actors.actorFor(id, via, displayName),
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
