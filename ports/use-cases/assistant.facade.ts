/**
 * The library's public API: every use case behind one object. The CLI, the HTTP API, the chat
 * bots and embedding programs all call this and differ only in parsing and rendering.
 */
import { ValidationError } from '../../domain/errors.js';
import type { CoreDependencies } from './shared/core-dependencies.js';
import type { AssessFleet } from './assessment/assess-fleet.use-case.js';
import type { AssessInstance } from './assessment/assess-instance.use-case.js';
import type { ListFindings } from './assessment/list-findings.use-case.js';
import type { PlanPatches } from './patching/plan-patches.use-case.js';
import type { ReportActivity } from './reports/report-activity.use-case.js';
import type { CaptureSnapshot } from './assessment/capture-snapshot.use-case.js';
import type { SummarizeCompliance } from './reports/summarize-compliance.use-case.js';
import type { SummarizeMetrics } from './reports/summarize-metrics.use-case.js';
import type { PatchOperations } from '../inbound/patch-operations.port.js';
import type { ActorResolver, Assistant } from '../inbound/assistant.port.js';
import type { AssessmentHistory } from '../inbound/history/history.port.js';

/** Without a history every history call fails naming what is missing. */
const NO_HISTORY: AssessmentHistory = {
  recordAssessment: async () => {
    throw new ValidationError('history', 'a history store', 'history: this assistant keeps no history of assessments');
  },
  recordAssessmentIfDue: async () => {
    throw new ValidationError('history', 'a history store', 'history: this assistant keeps no history of assessments');
  },
  changes: async () => {
    throw new ValidationError('history', 'a history store', 'history: this assistant keeps no history of assessments');
  },
  trend: async () => {
    throw new ValidationError('history', 'a history store', 'history: this assistant keeps no history of assessments');
  },
  sendDigest: async () => {
    throw new ValidationError('history', 'a history store', 'history: this assistant keeps no history of assessments');
  },
  alertOnChanges: async () => {
    throw new ValidationError('history', 'a history store', 'history: this assistant keeps no history of assessments');
  },
};

const NOT_CONFIGURED = 'patch operations are not configured in this assistant (no state store)';

/** Patch operations that refuse, for an Assistant built without a state store. */
function notConfigured(): Required<PatchOperations> {
  const refuse = async (): Promise<never> => {
    throw new ValidationError('stateStore', 'a configured state store', NOT_CONFIGURED);
  };
  return {
    requestPatchRun: refuse, previewPatchRun: refuse, threadPatchRun: refuse, approvePatchRun: refuse, rejectPatchRun: refuse, cancelPatchRun: refuse,
    getPatchRun: refuse, listPatchRuns: refuse, executePatchRun: refuse, acceptRisk: refuse, listAcceptances: refuse,
    revokeAcceptance: refuse, listAudit: refuse, verifyAudit: refuse, schedulePatching: refuse, listSchedules: refuse, cancelSchedule: refuse, autopilotStatus: refuse,
    patchExecutor: () => {
      throw new ValidationError('stateStore', 'a configured state store', NOT_CONFIGURED);
    },
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
    /** The history of assessments (record, changes, trend). */
    history?: AssessmentHistory;
  },
  close: () => Promise<void> = async () => {},
): Assistant {
  const actors = u.actors ?? NO_ACTORS;
  return {
    ...(u.patch ?? notConfigured()),
    ...(u.history ?? NO_HISTORY),
    actor: actors.actor,
    actorFor: (id, via, displayName) => actors.actorFor(id, via, displayName),
    source: deps.source.label,
    policy: deps.policy,
    assessFleet: (r) => u.assessFleet.execute(r),
    streamFleet: (r) => u.assessFleet.stream(r),
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
