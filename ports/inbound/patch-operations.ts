/**
 * The contract of patch operations (requests, approvals, runs in waves, verification, schedules,
 * risk acceptances, audit). Shapes are JSON-ready (ISO strings) and shared by every surface.
 * Implemented by the patch use cases; the HTTP API, chat bots, MCP server and CLI code against it.
 */
import type { Actor } from '../../domain/access/actor.js';

export type PatchRunStatus =
  | 'requested' | 'approved' | 'rejected' | 'running' | 'verifying' | 'succeeded' | 'halted' | 'failed' | 'cancelled';

export type InstanceRunStatus = 'pending' | 'sent' | 'in-progress' | 'succeeded' | 'failed' | 'timed-out' | 'cancelled' | 'regressed' | 'skipped';

export interface PatchRunRequest {
  /** Instance ids or Name tags; or `fromPlan` for everything the plan patches now / next. */
  readonly instances?: readonly string[];
  readonly fromPlan?: boolean;
  /** AWS-RunPatchBaseline Operation=Scan only: nothing is installed. */
  readonly dryRun?: boolean;
  /** RebootOption: if-needed (RebootIfNeeded, the default) or never (NoReboot). */
  readonly reboot?: 'if-needed' | 'never';
  /** The same key twice makes one run (retries, double clicks). */
  readonly idempotencyKey?: string;
  readonly reason?: string;
}

export interface InstanceRunReport {
  readonly instanceId: string;
  readonly name: string | null;
  readonly production: boolean;
  readonly status: InstanceRunStatus;
  /** Why it failed, regressed or was skipped. */
  readonly detail: string | null;
}

export interface WaveReport {
  readonly number: number;
  readonly canary: boolean;
  readonly status: 'pending' | 'running' | 'verifying' | 'succeeded' | 'halted' | 'failed' | 'cancelled';
  readonly commandId: string | null;
  readonly sentAt: string | null;
  readonly verifiedAt: string | null;
  readonly instances: readonly InstanceRunReport[];
  /** Non-production waves go before production ones. */
  readonly stage?: 'non-production' | 'production';
  /** Every command of the wave (a wave above 50 instances takes several); commandId is the first. */
  readonly commandIds?: readonly string[];
}

export interface ApprovalReport {
  readonly by: string;
  readonly at: string;
  readonly decision: 'approved' | 'rejected';
  readonly comment: string | null;
}

export interface PatchRunReport {
  readonly id: string;
  readonly status: PatchRunStatus;
  readonly operation: 'Scan' | 'Install';
  readonly rebootOption: 'RebootIfNeeded' | 'NoReboot';
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly reason: string | null;
  /** Production or patch-now runs need an approver other than the requester. */
  readonly needsApproval: boolean;
  readonly approvals: readonly ApprovalReport[];
  /** An approval is valid until then; null when none is needed or none given. */
  readonly approvalExpiresAt: string | null;
  readonly currentWave: number | null;
  readonly waves: readonly WaveReport[];
  /** Why the run halted or failed: which instance and why. */
  readonly haltReason: string | null;
  readonly snapshotId: string;
  readonly updatedAt: string;
  readonly version: number;
  /** The data source it was planned on ("demo", "aws:eu-west-1"); it executes only there. */
  readonly source?: string;
  /** True for runs on the demo source: nothing is ever sent to AWS. */
  readonly simulated?: boolean;
  /** Why approval is needed ("production: web-1 (i-0abc)"), or null. */
  readonly approvalWhy?: string | null;
  /** An approval was given but has expired: the run must be approved again before it starts. */
  readonly approvalExpired?: boolean;
}

export interface RunProgress {
  readonly runId: string;
  readonly wave: number | null;
  readonly instanceId: string | null;
  readonly message: string;
}

export interface AcceptRiskRequest {
  readonly vulnerabilityId: string;
  /** An instance id or Name tag; absent or null for the whole fleet. */
  readonly instance?: string | null;
  /** ISO date or date-time; must be in the future. */
  readonly until: string;
  readonly reason: string;
  /** Accept even when no finding on the instance (or in the fleet) is known by this id now. */
  readonly force?: boolean;
}

export interface AcceptanceReport {
  readonly id: string;
  readonly vulnerabilityId: string;
  readonly instanceId: string | null;
  readonly reason: string;
  readonly acceptedBy: string;
  readonly acceptedAt: string;
  readonly until: string;
  readonly expired: boolean;
  /** Set when the acceptance was revoked (until is then the moment of revocation). */
  readonly revokedBy?: string | null;
  readonly revokedAt?: string | null;
}

export interface AuditEntryReport {
  readonly id: string;
  readonly at: string;
  readonly actor: string;
  readonly via: Actor['via'];
  /** e.g. "patch-run.request", "patch-run.approve", "ssm.send-command", "risk.accept". */
  readonly action: string;
  readonly target: string;
  readonly result: 'ok' | 'denied' | 'failed';
  readonly detail: string | null;
}

/** What `audit verify` found walking the hash chain (domain/access/audit-chain.ts). */
export interface AuditVerificationReport {
  /** True when every entry links to the one before and the head matches the last entry. */
  readonly ok: boolean;
  readonly entries: number;
  /** The last good entry's seq and hash: keep it elsewhere to notice a rewritten chain later. */
  readonly head: { readonly seq: number; readonly hash: string } | null;
  /** The first entry that breaks the chain, and how; null when ok. */
  readonly firstBreak: {
    /** Position in chain order, from 1. */
    readonly position: number;
    readonly id: string | null;
    readonly seq: number | null;
    readonly problem: string;
  } | null;
}

export interface ScheduleRequest {
  /** Instance ids or Name tags, or a patch group tag value. */
  readonly instances?: readonly string[];
  readonly patchGroup?: string;
  /** A cron or rate expression as SSM maintenance windows take it, e.g. "cron(0 3 ? * SUN *)". */
  readonly schedule: string;
  readonly durationHours?: number;
  readonly cutoffHours?: number;
  readonly reboot?: 'if-needed' | 'never';
  readonly name?: string;
}

export interface ScheduleReport {
  readonly windowId: string;
  readonly name: string;
  readonly schedule: string;
  readonly durationHours: number;
  readonly cutoffHours: number;
  readonly targets: readonly string[];
  readonly enabled: boolean;
}

/** Patch operations, every one taking the actor and checking authorization itself. */
export interface PatchOperations {
  requestPatchRun(actor: Actor, request: PatchRunRequest): Promise<PatchRunReport>;
  /** What requestPatchRun would create (waves, approval need), storing nothing. */
  previewPatchRun?(actor: Actor, request: PatchRunRequest): Promise<PatchRunReport>;
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
}
