/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { Actor } from '../../domain/access/actor.js';
import type { PatchRunRequest, PatchRunReport, PatchRunStatus, RequestOptions, RunProgress } from './patching/patch-runs.port.js';
import type { AcceptRiskRequest, AcceptanceReport } from './acceptances/acceptances.port.js';
import type { AuditEntryReport, AuditVerificationReport } from './audit/audit.port.js';
import type { ScheduleRequest, ScheduleReport } from './patching/schedules.port.js';
import type { PatchExecutor, PatchExecutorOptions } from './patching/patch-executor.port.js';
import type { AutopilotStatus } from './patching/autopilot.port.js';

/** Patch operations, every one taking the actor and checking authorization itself. */
export interface PatchOperations {
  requestPatchRun(actor: Actor, request: PatchRunRequest, options?: RequestOptions): Promise<PatchRunReport>;
  /** What requestPatchRun would create (waves, approval need), storing nothing. */
  previewPatchRun?(actor: Actor, request: PatchRunRequest): Promise<PatchRunReport>;
  /**
   * Records the chat thread the run's progress goes to, once the surface knows it (Slack: the ts
   * of the message that announced the run). The requester only, within the channel it was
   * requested in.
   */
  threadPatchRun?(actor: Actor, runId: string, thread: NonNullable<RequestOptions['progressThread']>): Promise<PatchRunReport>;
  approvePatchRun(actor: Actor, runId: string, comment?: string): Promise<PatchRunReport>;
  rejectPatchRun(actor: Actor, runId: string, reason?: string): Promise<PatchRunReport>;
  cancelPatchRun(actor: Actor, runId: string): Promise<PatchRunReport>;
  getPatchRun(actor: Actor, runId: string): Promise<PatchRunReport>;
  listPatchRuns(actor: Actor, filter?: { status?: readonly PatchRunStatus[]; limit?: number }): Promise<readonly PatchRunReport[]>;
  /** Sends, tracks and verifies wave after wave until the run succeeds, halts or fails; resumable. */
  executePatchRun(actor: Actor, runId: string, onProgress?: (p: RunProgress) => void): Promise<PatchRunReport>;
  acceptRisk(actor: Actor, request: AcceptRiskRequest): Promise<AcceptanceReport>;
  listAcceptances(actor: Actor, filter?: { includeExpired?: boolean }): Promise<readonly AcceptanceReport[]>;
  revokeAcceptance(actor: Actor, id: string): Promise<AcceptanceReport>;
  listAudit(actor: Actor, filter?: { limit?: number; since?: string; target?: string }): Promise<readonly AuditEntryReport[]>;
  /** Walks the audit log's hash chain and names the first entry that breaks it. */
  verifyAudit?(actor: Actor): Promise<AuditVerificationReport>;
  schedulePatching(actor: Actor, request: ScheduleRequest): Promise<ScheduleReport>;
  listSchedules(actor: Actor): Promise<readonly ScheduleReport[]>;
  cancelSchedule(actor: Actor, windowId: string): Promise<ScheduleReport>;
  /** What the autopilot (policy.autopilot) will turn into runs, and the runs it made; changes nothing. */
  autopilotStatus?(actor: Actor): Promise<AutopilotStatus>;
  /** The service's executor over this assistant's store and source (`sre-ops serve --executor`); not started. */
  patchExecutor?(options: PatchExecutorOptions): PatchExecutor;
}
